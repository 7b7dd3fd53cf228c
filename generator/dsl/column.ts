// Column builders: what users write in schema files. Every method returns a new builder (nothing is mutated), so
// a builder can be shared and refined like a Kysely node. The builder only records intent; validation and
// normalization happen in model/, where the database and table are known and errors can name them.
import type { ConflictAlgorithm, LogicalType, ReferentialAction, SqlType } from "../model/model.js";

/** A default given as a JavaScript value (rendered as an SQL literal) or as raw SQL. */
export type DefaultSpec = { value: string | number | bigint | boolean | null } | { sql: string };

/** An ON CONFLICT algorithm, written the way SQL spells it or in lower case. */
export type ConflictName = ConflictAlgorithm | "rollback" | "abort" | "fail" | "ignore" | "replace";

/** ON DELETE / ON UPDATE actions, written the way SQL spells them or in lower case. */
export type ActionName = ReferentialAction | "no action" | "restrict" | "set null" | "set default" | "cascade";

export interface ReferenceSpec {
  table: string;
  column: string;
  onDelete?: ActionName;
  onUpdate?: ActionName;
  /** The constraint's name: `CONSTRAINT name REFERENCES …`. */
  name?: string;
  /** `DEFERRABLE INITIALLY DEFERRED`: the key is checked when the transaction commits, not after each statement. */
  deferred?: boolean;
}

export interface ColumnSpec {
  /** The affinity the constructor stands for; a declared type of another affinity is an error (model/validate.ts). */
  readonly type: SqlType;
  /** The type as the column is declared, when the constructor was given one (`integer("BIGINT")`). */
  readonly declaredType?: string;
  readonly logical: LogicalType;
  readonly tsType?: string;
  readonly notNull: boolean;
  readonly notNullOnConflict?: ConflictName;
  readonly primaryKey: boolean;
  /** `PRIMARY KEY DESC`. */
  readonly primaryKeyDesc?: boolean;
  readonly primaryKeyOnConflict?: ConflictName;
  readonly autoincrement: boolean;
  readonly unique: boolean;
  readonly uniqueOnConflict?: ConflictName;
  readonly default?: DefaultSpec;
  readonly check?: string;
  readonly checkName?: string;
  readonly collate?: string;
  readonly generated?: { expression: string; stored: boolean };
  readonly references: readonly ReferenceSpec[];
  readonly description?: string;
  readonly deprecated?: string;
  readonly renamedFrom?: string;
  readonly backfill?: string;
  readonly convertedFrom?: { type: SqlType; sql: string };
}

export class ColumnBuilder {
  /** Marks builders so the loader can tell them from other exports. */
  readonly kind = "column" as const;

  constructor(readonly spec: ColumnSpec) {}

  private with(patch: Partial<ColumnSpec>): ColumnBuilder {
    return new ColumnBuilder({ ...this.spec, ...patch });
  }

  /** `onConflict` writes `NOT NULL ON CONFLICT …` (`"replace"` stores the default instead of a NULL; see the README). */
  notNull(options: { onConflict?: ConflictName } = {}): ColumnBuilder {
    return this.with({ notNull: true, notNullOnConflict: options.onConflict });
  }

  /**
   * A single-column primary key. For a composite key use the table's `primaryKey` option. `{ desc: true }` writes
   * `PRIMARY KEY DESC`, which SQLite accepts and keeps: the key's index runs descending, and `integer()` so declared
   * is NOT the rowid (a quirk of SQLite's): ids are not assigned, and the key may hold NULL unless it is NOT NULL.
   * `onConflict` writes `PRIMARY KEY ON CONFLICT …`.
   */
  primaryKey(options: { desc?: boolean; onConflict?: ConflictName } = {}): ColumnBuilder {
    return this.with({ primaryKey: true, primaryKeyDesc: options.desc === true, primaryKeyOnConflict: options.onConflict });
  }

  /** `INTEGER PRIMARY KEY AUTOINCREMENT`: ids are never reused, even after deletes. */
  autoincrement(): ColumnBuilder {
    return this.with({ primaryKey: true, autoincrement: true });
  }

  /** `onConflict` writes `UNIQUE ON CONFLICT …` (`"replace"` deletes the row holding the value; see the README). */
  unique(options: { onConflict?: ConflictName } = {}): ColumnBuilder {
    return this.with({ unique: true, uniqueOnConflict: options.onConflict });
  }

  /**
   * A literal default: strings are quoted, booleans become 1/0, null is NULL. An integer beyond 2^53 is written as a
   * bigint (`9223372036854775807n`): as a number, JavaScript has already rounded it.
   */
  default(value: string | number | bigint | boolean | null): ColumnBuilder {
    return this.with({ default: { value } });
  }

  /** An SQL expression default such as `(datetime('now'))` or `CURRENT_TIMESTAMP`. */
  defaultSql(sql: string): ColumnBuilder {
    return this.with({ default: { sql } });
  }

  /** A CHECK; `name` makes it `CONSTRAINT name CHECK (…)`, the name SQLite gives in the error a failed check raises. */
  check(expression: string, options: { name?: string } = {}): ColumnBuilder {
    return this.with({ check: expression, checkName: options.name });
  }

  collate(collation: "BINARY" | "NOCASE" | "RTRIM"): ColumnBuilder {
    return this.with({ collate: collation });
  }

  /**
   * A foreign key to `table(column)`; add it more than once for a column that references several tables. `name`
   * makes it `CONSTRAINT name REFERENCES …`; `deferred: true` makes it `DEFERRABLE INITIALLY DEFERRED`, checked when
   * the transaction (on D1: the migration, the batch) commits rather than after each statement.
   */
  references(table: string, column = "id", actions: { onDelete?: ActionName; onUpdate?: ActionName; name?: string; deferred?: boolean } = {}): ColumnBuilder {
    return this.with({ references: [...this.spec.references, { table, column, ...actions }] });
  }

  /** A generated column; VIRTUAL unless `stored` (a STORED one cannot be added with ALTER TABLE). */
  generatedAs(expression: string, options: { stored?: boolean } = {}): ColumnBuilder {
    return this.with({ generated: { expression, stored: options.stored ?? false } });
  }

  describe(description: string): ColumnBuilder {
    return this.with({ description });
  }

  deprecated(reason: string): ColumnBuilder {
    return this.with({ deprecated: reason });
  }

  /** Says this column was called `previousName`, so the change is a rename that keeps data, not drop + add. */
  renamedFrom(previousName: string): ColumnBuilder {
    return this.with({ renamedFrom: previousName });
  }

  /**
   * How the migration that makes this column NOT NULL (or adds it NOT NULL) fills the rows holding no value: an SQL
   * expression over the row as it was before that migration (`"''"`, `"0"`, `"coalesce(nickname, email)"`).
   * Without it, such a migration copies the values as they are and fails, changing nothing, if a NULL remains.
   */
  backfill(expression: string): ColumnBuilder {
    return this.with({ backfill: expression });
  }

  /**
   * How the migration that changes this column's type from `oldType` computes each value: an SQL expression over the
   * row as it was (`integer().convertedFrom("TEXT", "CAST(replace(price, '$', '') AS INTEGER)")`). With it, a
   * narrowing is no longer a loss that needs --allow-destructive. It applies only while the old type is `oldType`,
   * so it stays harmless in the schema after its migration.
   */
  convertedFrom(oldType: SqlType, expression: string): ColumnBuilder {
    return this.with({ convertedFrom: { type: oldType, sql: expression } });
  }
}

function column(type: SqlType, logical: LogicalType, declaredType: string | undefined, tsType?: string): ColumnBuilder {
  return new ColumnBuilder({
    type,
    declaredType,
    logical,
    tsType,
    notNull: false,
    primaryKey: false,
    autoincrement: false,
    unique: false,
    references: [],
  });
}

// Each constructor takes the type the column is declared with in SQL (`integer("BIGINT")`, `text("VARCHAR(255)")`),
// kept as written; without one it is the affinity's name. The declared type's affinity (SQLite's rules: INT →
// INTEGER; CHAR, CLOB, TEXT → TEXT; BLOB → BLOB; REAL, FLOA, DOUB → REAL; anything else NUMERIC) must be the
// constructor's. Only `integer()` or `integer("INTEGER")` as the primary key is the rowid itself.

export const text = (declaredType?: string): ColumnBuilder => column("TEXT", "text", declaredType);
export const integer = (declaredType?: string): ColumnBuilder => column("INTEGER", "integer", declaredType);
export const real = (declaredType?: string): ColumnBuilder => column("REAL", "real", declaredType);
export const blob = (declaredType?: string): ColumnBuilder => column("BLOB", "blob", declaredType);
export const numeric = (declaredType?: string): ColumnBuilder => column("NUMERIC", "numeric", declaredType);
/** INTEGER holding 0 or 1; also declared with a NUMERIC-affinity type such as `boolean("BOOLEAN")`. */
export const boolean = (declaredType?: string): ColumnBuilder => column("INTEGER", "boolean", declaredType);
/**
 * TEXT holding JSON. `tsType` is the TypeScript type of the parsed value, carried to generated types, for example
 * `json("string[]")` or `json("{ enabled: boolean }")`; `declaredType` a TEXT-affinity type (`json("unknown",
 * "CLOB")`). `JSON` itself is NUMERIC affinity, which would store the JSON text `1` as the number 1.
 */
export const json = (tsType = "unknown", declaredType?: string): ColumnBuilder => column("TEXT", "json", declaredType, tsType);
/**
 * A timestamp stored as ISO-8601 TEXT (`datetime('now')` style) or as unix seconds in an INTEGER. Either may be
 * declared with a NUMERIC-affinity type: `timestamp("iso", "DATETIME")`, `timestamp("unix", "TIMESTAMP")`.
 */
export function timestamp(mode: "iso" | "unix" = "iso", declaredType?: string): ColumnBuilder {
  // A schema file loads without a type check: `timestamp("DATETIME")` must not quietly become a unix timestamp.
  if (mode !== "iso" && mode !== "unix") {
    throw new TypeError(
      `timestamp(${JSON.stringify(mode)}): the first argument is "iso" or "unix"; a declared type comes second, e.g. timestamp("iso", ${JSON.stringify(mode)})`,
    );
  }
  return mode === "iso" ? column("TEXT", "timestamp_iso", declaredType) : column("INTEGER", "timestamp_unix", declaredType);
}
