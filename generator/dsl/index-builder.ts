// Index builders: `index("idx_users_email").on("email").unique()`. Immutable like the column builders.
import type { IndexPart } from "../model/model.js";

/** A column of an index, optionally descending or with a collation: `desc("created_at")`. */
export type IndexColumn = string | IndexPart;

export interface IndexSpec {
  readonly name: string;
  readonly unique: boolean;
  readonly parts: readonly IndexPart[];
  readonly where?: string;
}

export class IndexBuilder {
  readonly kind = "index" as const;

  constructor(readonly spec: IndexSpec) {}

  /** The indexed columns or expressions, in order. */
  on(...columns: IndexColumn[]): IndexBuilder {
    const parts = columns.map((part) => (typeof part === "string" ? { column: part } : part));
    return new IndexBuilder({ ...this.spec, parts });
  }

  unique(): IndexBuilder {
    return new IndexBuilder({ ...this.spec, unique: true });
  }

  /** A partial index: only rows matching this SQL condition are indexed. */
  where(condition: string): IndexBuilder {
    return new IndexBuilder({ ...this.spec, where: condition });
  }
}

export function index(name: string): IndexBuilder {
  return new IndexBuilder({ name, unique: false, parts: [] });
}

export function uniqueIndex(name: string): IndexBuilder {
  return index(name).unique();
}

/** A descending index column. */
export function desc(column: string): IndexPart {
  return { column, order: "DESC" };
}

/** An index on an SQL expression, such as `expr("lower(email)")`. */
export function expr(expression: string): IndexPart {
  return { expression };
}
