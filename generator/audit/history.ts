// A migrations folder replayed file by file, the D1 way, to learn its history: which migration created and dropped
// each table, which added each column after the table existed, and what each file does. The audit's "created by",
// "dropped tables" and "added by later migrations" come from here (and from `createdIn` for what a baseline
// adopted, whose history lives in the old repository).
import { isBaselineMigration } from "../project/baseline.js";
import { openMemoryDatabase, type SqliteDatabase } from "../sqlite/apply.js";
import { inspectTables, type TableShape } from "../sqlite/shape.js";
import { replayMigrations } from "../sqlite/replay.js";
import { shapeChanges, type ShapeChange } from "../sqlite/shape-changes.js";

export interface MigrationStep {
  file: string;
  number: number;
  /** A baseline adopts production's history: what it creates existed before it. */
  baseline: boolean;
  created: string[];
  dropped: string[];
  addedColumns: { table: string; columns: string[] }[];
  /** What it does, as `status` and `verify` describe it. */
  effects: ShapeChange[];
}

export interface FolderHistory {
  steps: MigrationStep[];
  /** Table → the migration that created it (the baseline for what it adopted). */
  createdBy: Map<string, string>;
  /** Table → the migration that dropped it, for tables gone at the end. */
  droppedBy: Map<string, string>;
  /** Table → column → the migration that added it after the table was created. */
  columnsAddedBy: Map<string, Map<string, string>>;
  /** Table → the migrations that changed it after creating it. */
  alteredBy: Map<string, string[]>;
  /** Table names after each file: the state of a database that applied the files up to it. */
  tablesAfter: Map<string, string[]>;
}

export function replayHistory(migrations: readonly { fileName: string; number: number; sql: string }[]): FolderHistory {
  const history: FolderHistory = {
    steps: [],
    createdBy: new Map(),
    droppedBy: new Map(),
    columnsAddedBy: new Map(),
    alteredBy: new Map(),
    tablesAfter: new Map(),
  };
  const db = openMemoryDatabase();
  try {
    let before: TableShape[] = [];
    let schemaBefore = new Map<string, string>();
    replayMigrations(
      db,
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
      (_file, index) => {
        const migration = migrations[index];
        const schemaAfter = schemaTextByTable(db);
        const after = shapesAfter(db, before, schemaBefore, schemaAfter);
        schemaBefore = schemaAfter;
        const step = stepBetween(migration, before, after);
        history.steps.push(step);
        record(history, step, before, after);
        history.tablesAfter.set(
          migration.fileName,
          after.map((table) => table.name),
        );
        before = after;
      },
    );
  } finally {
    db.close();
  }
  return history;
}

/**
 * Each table's entries in sqlite_schema (the table's, its indexes' and triggers' SQL text): a table's shape is read
 * from these, so a table whose text is the same after a migration has the same shape.
 */
function schemaTextByTable(db: SqliteDatabase): Map<string, string> {
  const rows = db.prepare("SELECT tbl_name AS name, type, sql FROM sqlite_schema ORDER BY tbl_name, type, name").all() as {
    name: string;
    type: string;
    sql: string | null;
  }[];
  const text = new Map<string, string>();
  for (const row of rows) text.set(row.name, `${text.get(row.name) ?? ""}${row.type}:${row.sql ?? ""}\n`);
  return text;
}

/**
 * The shapes after a migration: the tables whose schema text changed are read again, the others keep the shape they
 * had (reading all of ClearLift's tables after each of its 85 DB migrations was most of the audit's replay).
 */
function shapesAfter(db: SqliteDatabase, before: readonly TableShape[], schemaBefore: Map<string, string>, schemaAfter: Map<string, string>): TableShape[] {
  const changed = new Set([...schemaAfter].filter(([table, text]) => schemaBefore.get(table) !== text).map(([table]) => table));
  const read = new Map((changed.size > 0 ? inspectTables(db, changed) : []).map((shape) => [shape.name, shape]));
  const kept = new Map(before.map((shape) => [shape.name, shape]));
  return [...schemaAfter.keys()].sort(compareAsSqlite).flatMap((table) => {
    const shape = changed.has(table) ? read.get(table) : kept.get(table);
    return shape ? [shape] : [];
  });
}

/** SQLite's default (BINARY) order of names, which inspectTables lists them in: by UTF-8 bytes. */
function compareAsSqlite(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function columnNames(shape: TableShape): string[] {
  return shape.columns.map((column) => (column as { name: string }).name);
}

function stepBetween(migration: { fileName: string; number: number; sql: string }, before: TableShape[], after: TableShape[]): MigrationStep {
  const old = new Map(before.map((table) => [table.name, table]));
  const now = new Set(after.map((table) => table.name));
  const addedColumns = after.flatMap((table) => {
    const previous = old.get(table.name);
    if (!previous) return [];
    const had = new Set(columnNames(previous));
    const columns = columnNames(table).filter((column) => !had.has(column));
    return columns.length > 0 ? [{ table: table.name, columns }] : [];
  });
  return {
    file: migration.fileName,
    number: migration.number,
    baseline: isBaselineMigration(migration.sql),
    created: after.filter((table) => !old.has(table.name)).map((table) => table.name),
    dropped: before.filter((table) => !now.has(table.name)).map((table) => table.name),
    addedColumns,
    effects: shapeChanges(before, after),
  };
}

function record(history: FolderHistory, step: MigrationStep, before: TableShape[], after: TableShape[]): void {
  for (const table of step.created) {
    history.createdBy.set(table, step.file);
    history.droppedBy.delete(table);
  }
  for (const table of step.dropped) {
    history.droppedBy.set(table, step.file);
    history.createdBy.delete(table);
    history.columnsAddedBy.delete(table);
    history.alteredBy.delete(table);
  }
  for (const { table, columns } of step.addedColumns) {
    const added = history.columnsAddedBy.get(table) ?? new Map<string, string>();
    for (const column of columns) added.set(column, step.file);
    history.columnsAddedBy.set(table, added);
  }
  const created = new Set(step.created);
  const old = new Map(before.map((table) => [table.name, JSON.stringify(table)]));
  for (const table of after) {
    if (created.has(table.name) || old.get(table.name) === JSON.stringify(table)) continue;
    history.alteredBy.set(table.name, [...(history.alteredBy.get(table.name) ?? []), step.file]);
  }
}
