// One representative row in every table of a SQLite database, built from what SQLite itself reports (PRAGMA
// table_xinfo, foreign_key_list and the CREATE TABLE text), so that any database (a committed baseline, a squash, a
// replay) can be filled without a model or hand-written rows.
//
// - Tables are filled parents first along the foreign key graph. A foreign key column gets the parent row's key;
//   a self-reference points at the row itself; an edge that closes a cycle (A → B → A) is written as NULL at insert
//   time and linked by an UPDATE once the parent row exists (a NOT NULL edge in a cycle cannot be filled: error).
// - Every other column gets a value of its declared type's affinity (INTEGER 1, REAL 0.5, NUMERIC 1, BLOB bytes,
//   TEXT "<table>.<column>"), or the first value of a `CHECK (column IN (...))` list, or an explicit override.
// - `fill: "all"` (the default) writes every column; `fill: "required"` writes only what SQLite requires (NOT NULL
//   columns without a default), the primary key, and the foreign keys, so defaults fill the rest.
// - Generated and hidden columns are never written.
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import type { TableXInfoRow } from "../../generator/sqlite/pragma-rows.js";

export interface RepresentativeRowOptions {
  /** Which columns to write: every writable column, or only the required ones (see above). Default "all". */
  fill?: "all" | "required";
  /** Values the builder cannot guess, keyed "table.column". */
  overrides?: Record<string, unknown>;
  /** Only these tables (their parents must already have a row, or be in the list). Default: every table. */
  tables?: readonly string[];
}

export interface ForeignKeyInfo {
  /** The child columns, in key order. */
  columns: string[];
  parent: string;
  /** The parent columns, in key order (the parent's primary key when the REFERENCES clause names none). */
  parentColumns: string[];
  onDelete: string;
}

/** The database's own tables, sorted: sqlite_ internals and D1's bookkeeping (d1_migrations, _cf_*) left out. */
export function userTables(db: SqliteDatabase): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> 'd1_migrations' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((row) => row.name);
}

export function columnsOf(db: SqliteDatabase, table: string): TableXInfoRow[] {
  return db.prepare("SELECT * FROM pragma_table_xinfo(?) ORDER BY cid").all(table) as TableXInfoRow[];
}

export function primaryKeyOf(db: SqliteDatabase, table: string): string[] {
  return columnsOf(db, table)
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
}

/** The table's foreign keys, composite ones as one entry, with the parent columns resolved. */
export function foreignKeysOf(db: SqliteDatabase, table: string): ForeignKeyInfo[] {
  const rows = db.prepare("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq").all(table) as {
    id: number;
    table: string;
    from: string;
    to: string | null;
    on_delete: string;
  }[];
  const byId = new Map<number, ForeignKeyInfo>();
  for (const row of rows) {
    const key = byId.get(row.id) ?? { columns: [], parent: row.table, parentColumns: [], onDelete: row.on_delete };
    key.columns.push(row.from);
    if (row.to !== null) key.parentColumns.push(row.to);
    byId.set(row.id, key);
  }
  for (const key of byId.values()) {
    if (key.parentColumns.length === 0) key.parentColumns = primaryKeyOf(db, key.parent);
  }
  return [...byId.values()];
}

/** Tables ordered parents first; an edge that would close a cycle is left out (broken in name order). */
export function parentFirstTables(db: SqliteDatabase, tables: readonly string[] = userTables(db)): string[] {
  const names = new Set(tables);
  const ordered: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string) => {
    if (state.has(table)) return;
    state.set(table, "visiting");
    const parents = [...new Set(foreignKeysOf(db, table).map((key) => key.parent))].sort();
    for (const parent of parents) if (parent !== table && names.has(parent)) visit(parent);
    state.set(table, "done");
    ordered.push(table);
  };
  [...tables].sort().forEach(visit);
  return ordered;
}

/** SQLite's type affinity of a declared column type (https://sqlite.org/datatype3.html, 3.1). */
export function affinityOf(declaredType: string): "INTEGER" | "TEXT" | "BLOB" | "REAL" | "NUMERIC" {
  const type = declaredType.toUpperCase();
  if (type.includes("INT")) return "INTEGER";
  if (type.includes("CHAR") || type.includes("CLOB") || type.includes("TEXT")) return "TEXT";
  if (type === "" || type.includes("BLOB")) return "BLOB";
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return "REAL";
  return "NUMERIC";
}

/** `column → first allowed value` for every `CHECK (column IN ('a', 'b', ...))` in the table's CREATE TABLE. */
function checkInLists(db: SqliteDatabase, table: string): Map<string, unknown> {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined;
  const found = new Map<string, unknown>();
  for (const match of (row?.sql ?? "").matchAll(/CHECK\s*\(\s*["`[]?(\w+)["`\]]?\s+IN\s*\(\s*('(?:[^']|'')*'|-?\d+(?:\.\d+)?)/gi)) {
    const literal = match[2];
    found.set(match[1], literal.startsWith("'") ? literal.slice(1, -1).replace(/''/g, "'") : Number(literal));
  }
  return found;
}

function sampleValue(table: string, column: TableXInfoRow): unknown {
  switch (affinityOf(column.type)) {
    case "INTEGER":
    case "NUMERIC":
      return 1;
    case "REAL":
      return 0.5;
    case "BLOB":
      return column.type === "" ? `${table}.${column.name}` : Buffer.from(`${table}.${column.name}`);
    case "TEXT":
      return `${table}.${column.name}`;
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface RepresentativeRowsResult {
  /** Insertion order (parents first). */
  order: string[];
  /** Each table's row as SQLite stored it (defaults applied, cycle links written), read back after all inserts. */
  rows: Map<string, Record<string, unknown>>;
  /** The cycle edges written NULL at insert and linked afterwards, as "table.column → parent". */
  deferredLinks: string[];
}

/**
 * Inserts one representative row into every table (or `options.tables`), parents first, with whatever foreign key
 * setting the connection has (D1: on). Throws, naming the table, when an insert fails.
 */
export function insertRepresentativeRows(db: SqliteDatabase, options: RepresentativeRowOptions = {}): RepresentativeRowsResult {
  const fill = options.fill ?? "all";
  const overrides = options.overrides ?? {};
  const order = parentFirstTables(db, options.tables ?? userTables(db));
  // Columns some foreign key points at are always written, so that every child has a real key to copy.
  const referenced = new Set(order.flatMap((table) => foreignKeysOf(db, table).flatMap((key) => key.parentColumns.map((column) => `${key.parent}.${column}`))));
  const written = new Map<string, Record<string, unknown>>();
  const locators = new Map<string, { where: string; values: unknown[] }>();
  const pending: { table: string; key: ForeignKeyInfo }[] = [];

  for (const table of order) {
    const columns = columnsOf(db, table).filter((column) => column.hidden === 0);
    const checks = checkInLists(db, table);
    const foreignKeys = foreignKeysOf(db, table);
    const foreignKeyColumns = new Set(foreignKeys.flatMap((key) => key.columns));
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      const override = `${table}.${column.name}`;
      const required = column.notnull === 1 && column.dflt_value === null;
      const keyColumn = column.pk > 0 || foreignKeyColumns.has(column.name) || referenced.has(override);
      if (fill === "required" && !required && !keyColumn && !(override in overrides)) continue;
      row[column.name] = override in overrides ? overrides[override] : checks.has(column.name) ? checks.get(column.name) : sampleValue(table, column);
    }
    for (const key of foreignKeys) {
      if (key.columns.some((column) => `${table}.${column}` in overrides)) continue;
      const parentRow = key.parent === table ? row : (written.get(key.parent) ?? (order.includes(key.parent) ? undefined : anyRow(db, key.parent)));
      if (parentRow) {
        key.columns.forEach((column, position) => (row[column] = parentRow[key.parentColumns[position]]));
        continue;
      }
      const notNull = key.columns.filter((column) => columns.find((entry) => entry.name === column)?.notnull === 1);
      if (notNull.length > 0) {
        throw new Error(
          `${table}(${key.columns.join(", ")}) → ${key.parent}: NOT NULL foreign key with no parent row to point at (a cycle, or an empty parent outside the tables filled)`,
        );
      }
      for (const column of key.columns) row[column] = null;
      pending.push({ table, key });
    }
    const names = Object.keys(row);
    const sql =
      names.length === 0
        ? `INSERT INTO ${quote(table)} DEFAULT VALUES`
        : `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
    let rowid: number | bigint;
    try {
      rowid = db.prepare(sql).run(...names.map((name) => row[name])).lastInsertRowid;
    } catch (error) {
      throw new Error(`${table}: representative row refused: ${(error as Error).message}`, { cause: error });
    }
    locators.set(table, locatorOf(db, table, row, rowid));
    written.set(table, readBack(db, table, locators)!);
  }

  const deferredLinks: string[] = [];
  for (const { table, key } of pending) {
    const parentRow = written.get(key.parent);
    if (!parentRow) continue; // an empty parent outside the tables filled: the link stays NULL
    const locator = locators.get(table)!;
    const set = key.columns.map((column) => `${quote(column)} = ?`).join(", ");
    try {
      db.prepare(`UPDATE ${quote(table)} SET ${set} WHERE ${locator.where}`).run(...key.parentColumns.map((column) => parentRow[column]), ...locator.values);
    } catch (error) {
      throw new Error(`${table}: linking ${key.columns.join(", ")} → ${key.parent} refused: ${(error as Error).message}`, { cause: error });
    }
    deferredLinks.push(`${table}.${key.columns.join("+")} → ${key.parent}`);
  }

  const rows = new Map(order.map((table) => [table, readBack(db, table, locators)!]));
  return { order, rows, deferredLinks };
}

/** How to find the inserted row again: by rowid, or by primary key in a WITHOUT ROWID table. */
function locatorOf(db: SqliteDatabase, table: string, row: Record<string, unknown>, rowid: number | bigint): { where: string; values: unknown[] } {
  const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
  if (!/WITHOUT\s+ROWID\s*(,|$)/i.test(sql.slice(sql.lastIndexOf(")")))) return { where: "rowid = ?", values: [rowid] };
  const key = primaryKeyOf(db, table);
  return { where: key.map((column) => `${quote(column)} = ?`).join(" AND "), values: key.map((column) => row[column]) };
}

/** Some row of a table outside the ones being filled, to point a foreign key at (undefined when it is empty). */
function anyRow(db: SqliteDatabase, table: string): Record<string, unknown> | undefined {
  return db.prepare(`SELECT * FROM ${quote(table)} LIMIT 1`).get() as Record<string, unknown> | undefined;
}

function readBack(db: SqliteDatabase, table: string, locators: Map<string, { where: string; values: unknown[] }>): Record<string, unknown> | undefined {
  const locator = locators.get(table);
  if (!locator) return undefined;
  return db.prepare(`SELECT * FROM ${quote(table)} WHERE ${locator.where}`).get(...locator.values) as Record<string, unknown> | undefined;
}
