// The normalized schema model: plain JSON, the one shape that every later stage (diff, plan, render, types)
// reads and that snapshots store. The zod schemas are the single description; TypeScript types are inferred.
import { z } from "zod";

export const sqlTypes = ["TEXT", "INTEGER", "REAL", "BLOB", "NUMERIC"] as const;
export const sqlType = z.enum(sqlTypes);
export type SqlType = z.infer<typeof sqlType>;

/** What the application sees; maps onto a storage type (boolean is INTEGER 0/1, json is TEXT, ...). */
export const logicalType = z.enum(["text", "integer", "real", "blob", "numeric", "boolean", "json", "timestamp_iso", "timestamp_unix"]);
export type LogicalType = z.infer<typeof logicalType>;

export const referentialAction = z.enum(["NO ACTION", "RESTRICT", "SET NULL", "SET DEFAULT", "CASCADE"]);
export type ReferentialAction = z.infer<typeof referentialAction>;

/**
 * An `ON CONFLICT` clause on a PRIMARY KEY, UNIQUE or NOT NULL constraint: what SQLite does to a statement that breaks
 * it (sqlite.org/lang_conflict.html). REPLACE deletes the rows in the way (or writes the default for a NULL); IGNORE
 * skips the row; ABORT is the default. Kept as written: SQLite accepts it on no other constraint.
 */
export const conflictAlgorithm = z.enum(["ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"]);
export type ConflictAlgorithm = z.infer<typeof conflictAlgorithm>;

/**
 * A column default as SQL text. `constant` is true for literals ('x', 3, -1.5, NULL, X'00'), the only defaults
 * that `ALTER TABLE ADD COLUMN` accepts; expressions in parentheses and CURRENT_* are not constant.
 */
export const columnDefault = z.object({ sql: z.string(), constant: z.boolean() });
export type ColumnDefault = z.infer<typeof columnDefault>;

export const generatedColumn = z.object({ expression: z.string(), stored: z.boolean() });

export const column = z.object({
  name: z.string(),
  /** The column's affinity, which decides how values are stored (model/declared-type.ts). */
  type: sqlType,
  /**
   * The type as declared (`BIGINT`, `VARCHAR(255)`), as SQLite reports it; absent when it is the affinity's name, so
   * a schema written with the five names has the snapshot it always had.
   */
  declaredType: z.string().optional(),
  logical: logicalType,
  /** TypeScript type carried to generated code for json columns. */
  tsType: z.string().optional(),
  notNull: z.boolean(),
  /** `NOT NULL ON CONFLICT …`. */
  notNullOnConflict: conflictAlgorithm.optional(),
  default: columnDefault.optional(),
  check: z.string().optional(),
  /** The name of the column's CHECK (`CONSTRAINT name CHECK (…)`): SQLite names it in the error a failed check raises. */
  checkName: z.string().optional(),
  collate: z.string().optional(),
  generated: generatedColumn.optional(),
  description: z.string().optional(),
  deprecated: z.string().optional(),
  renamedFrom: z.string().optional(),
  /** How a migration making the column NOT NULL fills rows without a value: SQL over the old row (dsl/column.ts). */
  backfill: z.string().optional(),
  /** How a migration changing the column's type from `type` computes each value: SQL over the old row. */
  convertedFrom: z.object({ type: sqlType, sql: z.string() }).optional(),
});
export type Column = z.infer<typeof column>;

export const primaryKey = z.object({
  columns: z.array(z.string()).min(1),
  autoincrement: z.boolean(),
  /**
   * `PRIMARY KEY DESC` written on the key's one column: its index runs descending, and an INTEGER key so declared is
   * not the rowid (a quirk SQLite keeps: sqlite.org/lang_createtable.html, "ROWIDs and the INTEGER PRIMARY KEY").
   * Present only when true, so snapshots without it are unchanged.
   */
  desc: z.literal(true).optional(),
  /** `PRIMARY KEY … ON CONFLICT …`. */
  onConflict: conflictAlgorithm.optional(),
});
export type PrimaryKey = z.infer<typeof primaryKey>;

export const uniqueConstraint = z.object({
  columns: z.array(z.string()).min(1),
  /** `UNIQUE … ON CONFLICT …`. */
  onConflict: conflictAlgorithm.optional(),
});
export type UniqueConstraint = z.infer<typeof uniqueConstraint>;

/** `name`: `CONSTRAINT name CHECK (…)`, the name SQLite gives in the error a failed check raises. */
export const checkConstraint = z.object({ expression: z.string(), name: z.string().optional() });
export type CheckConstraint = z.infer<typeof checkConstraint>;

export const foreignKey = z.object({
  columns: z.array(z.string()).min(1),
  table: z.string(),
  refColumns: z.array(z.string()).min(1),
  onDelete: referentialAction,
  onUpdate: referentialAction,
  /** `CONSTRAINT name FOREIGN KEY …` (or `CONSTRAINT name REFERENCES …` on the column): kept in the SQL, unused by SQLite. */
  name: z.string().optional(),
  /**
   * `DEFERRABLE INITIALLY DEFERRED`: SQLite checks the key when the transaction commits (on D1, at the end of the
   * migration or batch), not after each statement. Present only when true, so snapshots without it are unchanged.
   */
  deferred: z.literal(true).optional(),
});
export type ForeignKey = z.infer<typeof foreignKey>;

export const indexPart = z.union([
  z.object({
    column: z.string(),
    order: z.enum(["ASC", "DESC"]).optional(),
    collate: z.string().optional(),
  }),
  z.object({ expression: z.string() }),
]);
export type IndexPart = z.infer<typeof indexPart>;

export const index = z.object({
  name: z.string(),
  unique: z.boolean(),
  parts: z.array(indexPart).min(1),
  where: z.string().optional(),
});
export type Index = z.infer<typeof index>;

export const table = z.object({
  name: z.string(),
  columns: z.array(column).min(1),
  primaryKey: primaryKey.optional(),
  uniques: z.array(uniqueConstraint),
  checks: z.array(checkConstraint),
  foreignKeys: z.array(foreignKey),
  indexes: z.array(index),
  withoutRowid: z.boolean(),
  strict: z.boolean(),
  description: z.string().optional(),
  deprecated: z.string().optional(),
  createdIn: z.string().optional(),
  renamedFrom: z.string().optional(),
  /** Lint rule id → why it is silenced for this table. */
  lint: z.record(z.string(), z.string()).optional(),
  /**
   * `columns` are in the order the migrations built them (ADD COLUMN appends); where the schema file declares them
   * in another order, that order, by name (diff/physical-order.ts). Types and docs show columns in it.
   */
  declaredOrder: z.array(z.string()).optional(),
});
export type Table = z.infer<typeof table>;

/** The columns in the order the schema file declares them: what types and docs show. */
export function columnsInDeclaredOrder(table: Pick<Table, "columns" | "declaredOrder">): Table["columns"] {
  if (!table.declaredOrder) return table.columns;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  return table.declaredOrder.map((name) => byName.get(name)!);
}

/**
 * A view: `CREATE VIEW name[(columns)] AS select`. `select` is kept as written (trimmed, without a closing `;`), so
 * the text SQLite stores is the schema's; a view holds no rows, so a changed one is dropped and created again.
 */
export const view = z.object({
  name: z.string(),
  columns: z.array(z.string()).min(1).optional(),
  select: z.string(),
  description: z.string().optional(),
});
export type View = z.infer<typeof view>;

/**
 * A trigger: `CREATE TRIGGER name definition`, `definition` kept as written (`AFTER UPDATE ON users FOR EACH ROW
 * BEGIN …; END`). `table` is the table (or view) it is on, read from the definition.
 */
export const trigger = z.object({
  name: z.string(),
  table: z.string(),
  definition: z.string(),
  description: z.string().optional(),
});
export type Trigger = z.infer<typeof trigger>;

/**
 * A virtual table: `CREATE VIRTUAL TABLE name USING <using>`, `using` the module and its arguments as written
 * (`fts5(title, body, content='docs', content_rowid='id')`). SQLite makes and keeps its shadow tables (`name_data`, …).
 */
export const virtualTable = z.object({
  name: z.string(),
  using: z.string(),
  description: z.string().optional(),
});
export type VirtualTable = z.infer<typeof virtualTable>;

export const database = z.object({
  /** The wrangler binding name of the database, e.g. ANALYTICS_DB; for shards a shared name such as SHARD. */
  name: z.string(),
  /** Folder under schema/ and migrations/, e.g. analytics_db. */
  folder: z.string(),
  /** Every wrangler binding this schema serves; SHARD_0..SHARD_3 share one schema and one migrations folder. */
  bindings: z.array(z.string()).min(1),
  /** Migration numbers continue after this one when the folder holds no migration yet. */
  continueFrom: z.number().int().min(0).max(9998),
  /** Follow ClearLift's convention: CREATE TABLE/INDEX IF NOT EXISTS for new objects. */
  ifNotExists: z.boolean(),
  /** Tables sorted by name. */
  tables: z.array(table),
  /** Views sorted by name; absent when there are none, so schemas without them have the snapshot they always had. */
  views: z.array(view).optional(),
  /** Triggers sorted by name; absent when there are none. */
  triggers: z.array(trigger).optional(),
  /** Virtual tables sorted by name; absent when there are none. */
  virtualTables: z.array(virtualTable).optional(),
});
export type Database = z.infer<typeof database>;
