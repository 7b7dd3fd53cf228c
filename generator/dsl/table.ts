// `table(name, columns, options)`: one table of a database. Column names in options are checked against the
// columns at compile time where TypeScript can, and again (with database.table.column errors) when loading.
import type { ActionName, ColumnBuilder, ConflictName } from "./column.js";
import type { IndexBuilder } from "./index-builder.js";

export interface ForeignKeySpec<C extends string = string> {
  columns: C[];
  references: { table: string; columns: string[] };
  onDelete?: ActionName;
  onUpdate?: ActionName;
  /** The constraint's name: `CONSTRAINT name FOREIGN KEY …`. */
  name?: string;
  /** `DEFERRABLE INITIALLY DEFERRED`: the key is checked when the transaction commits, not after each statement. */
  deferred?: boolean;
}

/** A table CHECK with a name: `CONSTRAINT name CHECK (expression)`. */
export interface NamedCheck {
  expression: string;
  name: string;
}

export interface TableOptions<C extends string = string> {
  /**
   * A composite primary key; a single-column key is written on the column with `.primaryKey()`. `{ columns,
   * onConflict }` writes `PRIMARY KEY (…) ON CONFLICT …`.
   */
  primaryKey?: C[] | { columns: C[]; onConflict?: ConflictName };
  /**
   * Composite UNIQUE constraints; a single-column one is written on the column with `.unique()`. `{ columns,
   * onConflict }` writes `UNIQUE (…) ON CONFLICT …`.
   */
  unique?: (C[] | { columns: C[]; onConflict?: ConflictName })[];
  /** Table CHECK constraints: SQL expressions, or `{ expression, name }` for `CONSTRAINT name CHECK (…)`. */
  checks?: (string | NamedCheck)[];
  /** Composite foreign keys; single-column ones are written on the column with `.references()`. */
  foreignKeys?: ForeignKeySpec<C>[];
  indexes?: IndexBuilder[];
  withoutRowid?: boolean;
  strict?: boolean;
  description?: string;
  /** Why the table should no longer be used; carried to generated types and audits. */
  deprecated?: string;
  /** The migration number that created the table, e.g. "0040". */
  createdIn?: string;
  /** The table's previous name, so the change is a rename that keeps data instead of drop + create. */
  renamedFrom?: string;
  /**
   * Lint rules silenced for this table, each with the reason (required), e.g.
   * `{ "foreign-key-without-index": "parents are never deleted; the audit fixes this table at 18 indexes" }`.
   */
  lint?: Record<string, string>;
}

export interface TableSpec {
  readonly name: string;
  readonly columns: Readonly<Record<string, ColumnBuilder>>;
  readonly options: TableOptions;
}

/** A table as recorded; column names were checked against the options when `table()` was called. */
export class TableDefinition {
  /** Marks table definitions so the loader can collect them from a schema file's exports. */
  readonly kind = "table" as const;

  constructor(readonly spec: TableSpec) {}

  /**
   * The same table with other options merged in, for a table that several databases share: the shards reuse
   * ANALYTICS_DB's definitions with their own `createdIn` and `deprecated`.
   */
  with(options: Omit<TableOptions, "primaryKey" | "unique" | "foreignKeys">): TableDefinition {
    return new TableDefinition({ ...this.spec, options: { ...this.spec.options, ...options } });
  }
}

export function table<C extends Record<string, ColumnBuilder>>(
  name: string,
  columns: C,
  options: TableOptions<Extract<keyof C, string>> = {},
): TableDefinition {
  return new TableDefinition({ name, columns, options });
}
