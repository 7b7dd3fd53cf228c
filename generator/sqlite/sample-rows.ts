// Sample rows: before each migration, `verify` adds a row to every table, and afterwards checks that the migration
// kept them. Driven by what SQLite reports (PRAGMA table_xinfo, foreign_key_list, index_list), so it fills whatever
// state a migrations folder is in at that point, without a model of that state.
import { backupPrefix, isReservedTableName } from "../model/identifiers.js";
import type { SqliteDatabase } from "./apply.js";
import type { TableXInfoRow } from "./pragma-rows.js";

interface ForeignKeyInfo {
  columns: string[];
  parent: string;
  /** The parent's primary key when the REFERENCES clause names no columns. */
  parentColumns: string[];
}

type Row = Record<string, unknown>;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The database's own tables: SQLite's and D1's bookkeeping and a rebuild's backups left out. */
function userTables(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((row) => row.name)
    .filter((name) => !isReservedTableName(name) && !name.startsWith(backupPrefix));
}

/** The writable columns (generated and hidden ones left out). */
function columnsOf(db: SqliteDatabase, table: string): TableXInfoRow[] {
  return (db.prepare("SELECT * FROM pragma_table_xinfo(?) ORDER BY cid").all(table) as TableXInfoRow[]).filter((column) => column.hidden === 0);
}

function primaryKeyOf(columns: readonly TableXInfoRow[]): string[] {
  return columns
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
}

function isWithoutRowid(db: SqliteDatabase, table: string): boolean {
  const { sql } = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string };
  return /WITHOUT\s+ROWID/i.test(sql.slice(sql.lastIndexOf(")")));
}

function foreignKeysOf(db: SqliteDatabase, table: string): ForeignKeyInfo[] {
  const rows = db.prepare('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table) as {
    id: number;
    table: string;
    from: string;
    to: string | null;
  }[];
  const byId = new Map<number, ForeignKeyInfo>();
  for (const row of rows) {
    const key = byId.get(row.id) ?? { columns: [], parent: row.table, parentColumns: [] };
    key.columns.push(row.from);
    if (row.to !== null) key.parentColumns.push(row.to);
    byId.set(row.id, key);
  }
  for (const key of byId.values()) {
    if (key.parentColumns.length === 0) key.parentColumns = primaryKeyOf(columnsOf(db, key.parent));
  }
  return [...byId.values()];
}

/** Columns of a UNIQUE constraint or index (the primary key included): each new row needs its own value there. */
function uniqueColumns(db: SqliteDatabase, table: string): Set<string> {
  const indexes = db.prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1').all(table) as { name: string }[];
  const columns = indexes.flatMap((index) => db.prepare("SELECT name FROM pragma_index_info(?) WHERE name IS NOT NULL").all(index.name) as { name: string }[]);
  return new Set(columns.map((column) => column.name));
}

/** `column → first allowed value` for each `CHECK (column IN (...))`, which the generic values would not satisfy. */
function firstAllowedValues(db: SqliteDatabase, table: string): Map<string, unknown> {
  const { sql } = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string };
  const found = new Map<string, unknown>();
  for (const match of sql.matchAll(/CHECK\s*\(\s*["`[]?(\w+)["`\]]?\s+IN\s*\(\s*('(?:[^']|'')*'|-?\d+(?:\.\d+)?)/gi)) {
    found.set(match[1], match[2].startsWith("'") ? match[2].slice(1, -1).replaceAll("''", "'") : Number(match[2]));
  }
  return found;
}

/** Tables ordered parents first, so that a child's foreign key can point at this round's parent row. */
function parentsFirst(db: SqliteDatabase, tables: readonly string[]): string[] {
  const names = new Set(tables);
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (table: string) => {
    if (seen.has(table)) return;
    seen.add(table); // a cycle is broken here; its edge then points at an older row (see addSampleRow)
    for (const key of foreignKeysOf(db, table)) if (names.has(key.parent)) visit(key.parent);
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}

/**
 * A value of the column's type affinity (https://sqlite.org/datatype3.html, 3.1): numbers that most CHECKs accept,
 * and text naming the table, column and round. Columns that must be unique get a number no row has yet.
 */
function sampleValue(db: SqliteDatabase, table: string, column: TableXInfoRow, unique: boolean, round: number): unknown {
  const type = column.type.toUpperCase();
  const text = `${table}.${column.name}#${round}`;
  if (type.includes("INT")) return unique ? nextNumber(db, table, column.name) : 1;
  if (/CHAR|CLOB|TEXT/.test(type) || type === "") return text;
  if (type.includes("BLOB")) return Buffer.from(text);
  if (/REAL|FLOA|DOUB/.test(type)) return unique ? nextNumber(db, table, column.name) : 0.5;
  return unique ? nextNumber(db, table, column.name) : 1; // NUMERIC
}

function nextNumber(db: SqliteDatabase, table: string, column: string): number {
  return (db.prepare(`SELECT IFNULL(MAX(${quote(column)}), 0) + 1 AS next FROM ${quote(table)}`).get() as { next: number }).next;
}

function latestRow(db: SqliteDatabase, table: string): Row | undefined {
  const order = isWithoutRowid(db, table) ? "" : " ORDER BY rowid DESC";
  return db.prepare(`SELECT * FROM ${quote(table)}${order} LIMIT 1`).get() as Row | undefined;
}

export interface RefusedSampleRow {
  table: string;
  reason: string;
}

/**
 * Adds one row to every table, parents first, with the connection's foreign key setting (D1: on). `round` makes
 * the text values of this call distinct from earlier ones. Returns the tables that refused a row, with SQLite's
 * reason (a single-row table, a CHECK the values do not meet); the other tables each have a new row.
 */
export function addSampleRows(db: SqliteDatabase, round: number): RefusedSampleRow[] {
  const added = new Map<string, Row>();
  const refused: RefusedSampleRow[] = [];
  for (const table of parentsFirst(db, userTables(db))) {
    let result: Row | string;
    try {
      result = addSampleRow(db, table, round, added);
    } catch (error) {
      result = (error as Error).message; // e.g. a foreign key to a table that does not exist
    }
    if (typeof result === "string") refused.push({ table, reason: result });
    else added.set(table, result);
  }
  return refused;
}

/** The inserted row as stored, or why SQLite refused it. */
function addSampleRow(db: SqliteDatabase, table: string, round: number, added: ReadonlyMap<string, Row>): Row | string {
  const columns = columnsOf(db, table);
  const withoutRowid = isWithoutRowid(db, table);
  const primaryKey = primaryKeyOf(columns);
  // An INTEGER PRIMARY KEY is the rowid: SQLite picks a free one.
  const rowidAlias =
    !withoutRowid && primaryKey.length === 1 && columns.find((column) => column.name === primaryKey[0])?.type.toUpperCase() === "INTEGER"
      ? primaryKey[0]
      : undefined;
  const unique = uniqueColumns(db, table);
  const allowed = firstAllowedValues(db, table);
  const full: Row = {};
  for (const column of columns) {
    if (column.name === rowidAlias) continue;
    full[column.name] = allowed.has(column.name) ? allowed.get(column.name) : sampleValue(db, table, column, unique.has(column.name), round);
  }
  const links: Row = {};
  for (const key of foreignKeysOf(db, table)) {
    // This round's parent row; for a self-reference or an edge that closes a cycle, an older row.
    const parent = (key.parent !== table ? added.get(key.parent) : undefined) ?? latestRow(db, key.parent);
    if (parent) key.columns.forEach((column, position) => (links[column] = parent[key.parentColumns[position]]));
    else if (key.columns.every((name) => columns.find((column) => column.name === name)?.notnull !== 1))
      key.columns.forEach((column) => (links[column] = null));
    else return `no row in ${key.parent} for the NOT NULL foreign key (${key.columns.join(", ")}) to point at`;
  }
  // Defaults are meant to satisfy the table's CHECKs: a refused row is tried again with only what SQLite requires.
  const required = Object.fromEntries(
    Object.entries(full).filter(([name]) => columns.some((column) => column.name === name && column.notnull === 1 && column.dflt_value === null)),
  );
  let reason = "";
  for (const values of [
    { ...full, ...links },
    { ...required, ...links },
  ]) {
    try {
      return insertRow(db, table, values, withoutRowid ? primaryKey : undefined);
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  return reason;
}

function insertRow(db: SqliteDatabase, table: string, values: Row, withoutRowidKey: string[] | undefined): Row {
  const names = Object.keys(values);
  const sql =
    names.length === 0
      ? `INSERT INTO ${quote(table)} DEFAULT VALUES`
      : `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
  const { lastInsertRowid } = db.prepare(sql).run(...names.map((name) => values[name]));
  if (!withoutRowidKey) return db.prepare(`SELECT * FROM ${quote(table)} WHERE rowid = ?`).get(lastInsertRowid) as Row;
  if (!withoutRowidKey.every((name) => name in values)) return values;
  return db
    .prepare(`SELECT * FROM ${quote(table)} WHERE ${withoutRowidKey.map((name) => `${quote(name)} = ?`).join(" AND ")}`)
    .get(...withoutRowidKey.map((name) => values[name])) as Row;
}

/** One table's rows as a migration found or left them. */
export interface TableRows {
  columns: { name: string; type: string; notnull: number }[];
  primaryKey: string[];
  /** Rows by column name; rowid tables also carry their rowid under `rowidKey`. */
  rows: Row[];
  hasRowid: boolean;
}

const rowidKey = `${backupPrefix}rowid`;

/** Every table's rows, to compare before and after a migration. */
export function captureRows(db: SqliteDatabase): Map<string, TableRows> {
  const tables = new Map<string, TableRows>();
  for (const table of userTables(db)) {
    const columns = columnsOf(db, table);
    const hasRowid = !isWithoutRowid(db, table);
    const list = [...(hasRowid ? [`rowid AS ${quote(rowidKey)}`] : []), ...columns.map((column) => quote(column.name))].join(", ");
    tables.set(table, {
      columns: columns.map(({ name, type, notnull }) => ({ name, type: type.toUpperCase(), notnull })),
      primaryKey: primaryKeyOf(columns),
      rows: db.prepare(`SELECT ${list} FROM ${quote(table)}`).all() as Row[],
      hasRowid,
    });
  }
  return tables;
}

/**
 * What a migration lost of the rows of the tables it kept: fewer rows, rows no longer found by their key, or values
 * changed in columns that persist with the same type. A NULL may become a value in a column that became NOT NULL
 * (the rebuild fills it from the default). Tables and columns the migration dropped are not losses here.
 */
export function rowLosses(before: ReadonlyMap<string, TableRows>, after: ReadonlyMap<string, TableRows>): string[] {
  const losses: string[] = [];
  for (const [table, old] of before) {
    const kept = after.get(table);
    if (!kept || old.rows.length === 0) continue;
    const problems = tableLosses(old, kept);
    if (problems.length > 0) losses.push(`${table}: ${problems.join("; ")}`);
  }
  return losses;
}

function tableLosses(old: TableRows, kept: TableRows): string[] {
  const keptColumns = new Map(kept.columns.map((column) => [column.name, column]));
  const compared = old.columns.filter((column) => keptColumns.get(column.name)?.type === column.type).map((column) => column.name);
  const nowNotNull = new Set(old.columns.filter((column) => column.notnull === 0 && keptColumns.get(column.name)?.notnull === 1).map((column) => column.name));
  const problems: string[] = [];
  const lost = old.rows.length - kept.rows.length;
  if (lost > 0) problems.push(`${lost} of ${old.rows.length} rows lost`);

  const sameKey = old.primaryKey.length > 0 && old.primaryKey.join() === kept.primaryKey.join() && old.primaryKey.every((name) => compared.includes(name));
  const key = sameKey ? old.primaryKey : old.hasRowid && kept.hasRowid ? [rowidKey] : undefined;
  if (!key) {
    // No identity survives the migration: every old row must still be there, value for value.
    const remaining = new Map<string, number>();
    for (const row of kept.rows) remaining.set(tuple(row, compared), (remaining.get(tuple(row, compared)) ?? 0) + 1);
    const missing = old.rows.filter((row) => {
      const count = remaining.get(tuple(row, compared)) ?? 0;
      remaining.set(tuple(row, compared), count - 1);
      return count === 0;
    }).length;
    if (missing > Math.max(lost, 0)) problems.push(`${missing - Math.max(lost, 0)} of ${old.rows.length} rows changed`);
    return problems;
  }
  const byKey = new Map(kept.rows.map((row) => [tuple(row, key), row]));
  let notFound = 0;
  const changes: string[] = [];
  for (const row of old.rows) {
    const now = byKey.get(tuple(row, key));
    if (!now) {
      notFound++;
      continue;
    }
    for (const column of compared) {
      if (sameValue(row[column], now[column]) || (row[column] === null && nowNotNull.has(column))) continue;
      changes.push(`${column} ${literal(row[column])} → ${literal(now[column])}`);
    }
  }
  if (notFound > Math.max(lost, 0)) problems.push(`${notFound} of ${old.rows.length} rows no longer found by ${sameKey ? "primary key" : "rowid"}`);
  if (changes.length > 0) problems.push(`values changed: ${changes.slice(0, 3).join(", ")}${changes.length > 3 ? `, and ${changes.length - 3} more` : ""}`);
  return problems;
}

function tuple(row: Row, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => literal(row[column])));
}

function sameValue(a: unknown, b: unknown): boolean {
  return literal(a) === literal(b);
}

/** A value as SQL shows it: 'text', 12, NULL, X'0A'. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Buffer.isBuffer(value)) return `X'${value.toString("hex").toUpperCase()}'`;
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  // What SQLite has left: an integer (number or bigint) or a real.
  return `${value as number | bigint}`;
}

/** The data a migration removed on purpose: the tables it dropped (with their row count) and the columns. */
export function droppedData(before: ReadonlyMap<string, TableRows>, after: ReadonlyMap<string, TableRows>): string[] {
  const tables = [...before.keys()].filter((table) => !after.has(table));
  const columns = [...before].flatMap(([table, old]) => {
    const kept = after.get(table);
    return kept ? old.columns.filter((column) => !kept.columns.some((entry) => entry.name === column.name)).map((column) => `${table}.${column.name}`) : [];
  });
  const rows = tables.reduce((sum, table) => sum + before.get(table)!.rows.length, 0);
  return [
    ...(tables.length > 0
      ? [`drops ${tables.length === 1 ? "table" : `${tables.length} tables`} ${tables.join(", ")} (${rows} ${rows === 1 ? "row" : "rows"})`]
      : []),
    ...(columns.length > 0 ? [`drops ${columns.length === 1 ? "column" : "columns"} ${columns.join(", ")}`] : []),
  ];
}
