// Building a schema script (CREATE TABLE and CREATE INDEX statements only, as a squash is) in chunks of tables,
// each chunk in its own in-memory database. SQLite re-reads its schema table after every CREATE, so one database
// takes time quadratic in the statements: a minute at 5,000 tables, against a second in chunks. A table's shape
// (PRAGMA table_xinfo, foreign_key_list, index_list) does not depend on other tables, so the chunks' shapes
// together are the whole database's. Anything else in the script (another kind of statement, a name twice, an
// index before its table) returns undefined, and the caller builds it in one database as before.
import { quoteIdentifier } from "../model/identifiers.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "./apply.js";
import { inspectTables, type TableShape } from "./shape.js";
import { splitSqlStatements } from "../model/sql-lexer.js";

/** Tables a chunk database holds. */
const tablesPerChunk = 100;

/** One table's statements: its CREATE TABLE, then its indexes. */
export interface TableStatements {
  table: string;
  statements: string[];
}

/**
 * The shapes of every table the script creates, built chunk by chunk; `check` runs on each chunk's database
 * (the defaults proof). Undefined when the script is not a plain schema script.
 */
export function shapesOfSchemaScript(sql: string, check?: (db: SqliteDatabase, tables: readonly string[]) => void): TableShape[] | undefined {
  const statements = splitStatements(sql);
  const grouped = statements && groupByTable(statements);
  return grouped && shapesOfTableGroups(grouped, check);
}

/** Builds table groups chunk by chunk and returns every table's shape, sorted by name as inspectTables sorts them. */
export function shapesOfTableGroups(groups: readonly TableStatements[], check?: (db: SqliteDatabase, tables: readonly string[]) => void): TableShape[] {
  const shapes: TableShape[] = [];
  inChunks(groups, (db, chunk) => {
    applyLikeD1(db, chunk.flatMap((group) => group.statements).join(";\n"));
    check?.(
      db,
      chunk.map((group) => group.table),
    );
    shapes.push(...inspectTables(db));
  });
  return shapes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Runs `work` on each chunk of groups in a new in-memory database of its own. */
export function inChunks<T>(groups: readonly T[], work: (db: SqliteDatabase, chunk: readonly T[]) => void): void {
  for (let start = 0; start < groups.length; start += tablesPerChunk) {
    const db = openMemoryDatabase();
    try {
      work(db, groups.slice(start, start + tablesPerChunk));
    } finally {
      db.close();
    }
  }
}

/** Compiles an insert of all defaults into each table with foreign keys off (their parents may be in another chunk). */
export function compileDefaultInserts(db: SqliteDatabase, tables: readonly string[], onError: (table: string, error: Error) => never): void {
  db.pragma("foreign_keys = OFF");
  for (const table of tables) {
    try {
      db.prepare(`INSERT INTO ${quoteIdentifier(table)} DEFAULT VALUES`);
    } catch (error) {
      onError(table, error as Error);
    }
  }
}

/** A table or index name as these statements write it, captured: "quoted" (doubled quotes inside) or plain. */
export const sqlName = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)`;
export const createTable = new RegExp(String.raw`^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${sqlName}\s*\(`, "i");
export const createIndex = new RegExp(String.raw`^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?${sqlName}\s+ON\s+${sqlName}\s*\(`, "i");

export function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

/** Statements grouped by table, or undefined for anything but CREATE TABLE / CREATE INDEX on a table created before. */
function groupByTable(statements: readonly string[]): TableStatements[] | undefined {
  const groups = new Map<string, TableStatements>();
  const indexNames = new Set<string>();
  for (const statement of statements) {
    const table = createTable.exec(statement);
    if (table) {
      const name = unquote(table[1]).toLowerCase();
      if (groups.has(name)) return undefined;
      groups.set(name, { table: unquote(table[1]), statements: [statement] });
      continue;
    }
    const index = createIndex.exec(statement);
    const group = index && groups.get(unquote(index[2]).toLowerCase());
    if (!index || !group || indexNames.has(unquote(index[1]).toLowerCase())) return undefined;
    indexNames.add(unquote(index[1]).toLowerCase());
    group.statements.push(statement);
  }
  return [...groups.values()];
}

/**
 * The script's statements without comments (each one a space), or undefined where a simple scan cannot be sure where
 * one ends (a trigger body, an unterminated string or comment).
 */
export function splitStatements(sql: string): readonly string[] | undefined {
  // One check splits the same squash up to three times (is the folder the squash? build it; replay it), and the lexer
  // costs 35 ms a megabyte: the last few answers are kept (the arrays are shared, so they are read-only).
  if (recentSplits.has(sql)) return recentSplits.get(sql);
  const statements = splitStatementsOnce(sql);
  recentSplits.set(sql, statements);
  if (recentSplits.size > 4) recentSplits.delete(recentSplits.keys().next().value!);
  return statements;
}

const recentSplits = new Map<string, readonly string[] | undefined>();

function splitStatementsOnce(sql: string): readonly string[] | undefined {
  const statements = splitSqlStatements(sql);
  if (!statements) return undefined;
  return statements.some((statement) => /^CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(statement)) ? undefined : statements;
}

/** Whether a migration runs exactly the squash's statements, in order (a PRAGMA that only defers checks aside). */
export function sameStatementsAsSquash(migration: string, squash: string): boolean {
  const ofMigration = splitStatements(migration)?.filter((statement) => statement !== "PRAGMA defer_foreign_keys = on");
  const ofSquash = splitStatements(squash);
  return (
    ofMigration !== undefined &&
    ofSquash !== undefined &&
    ofMigration.length === ofSquash.length &&
    ofMigration.every((statement, index) => statement === ofSquash[index])
  );
}
