// SQLite is the judge of the SQL we write. Before anything is written, the schema is built in memory (so a bad
// CHECK or index expression fails here, naming its table), and a new migration is applied on top of the replayed
// history and must give exactly the squash's schema.
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { planSchemaFromNothing } from "../plan/from-nothing.js";
import { renderStep } from "../render/statements.js";
import { openMemoryDatabase, type SqliteDatabase } from "./apply.js";
import { inspectTables, type TableShape } from "./shape.js";
import { compileDefaultInserts, inChunks, sameStatementsAsSquash, shapesOfSchemaScript } from "./schema-script.js";
import { canonicalJson } from "../model/canonical-json.js";
import { replayMigrations, type MigrationFile } from "./replay.js";
import { shapesOfTableLocalFolder } from "./chunked-replay.js";
import { objectShapes, proveObjects, readObjects } from "./objects.js";
import { objectsOf } from "../model/objects.js";

/**
 * Builds every table and index in SQLite as the squash does (plan/from-nothing.ts), a chunk of tables a database (schema-script.ts: one database would take
 * time quadratic in the tables); throws a SchemaError naming the table SQLite rejected.
 */
export function proveSchemaInSqlite(database: Database): void {
  // Without IF NOT EXISTS: a name that two tables or indexes take must fail here, not pass as a no-op.
  const groups = planSchemaFromNothing({ ...database, ifNotExists: false }).map(({ table, steps }) => ({
    table: table.name,
    statements: steps.map(renderStep),
  }));
  inChunks(groups, (db, chunk) => {
    for (const { table, statements } of chunk) {
      for (const statement of statements) {
        try {
          db.exec(statement);
        } catch (error) {
          throw new SchemaError(
            { database: database.name, table },
            `is rejected by SQLite: ${(error as Error).message}\n  in: ${statement}`,
            "fix the expression, default, CHECK or index that SQLite names",
          );
        }
      }
    }
    proveDefaults(
      db,
      database,
      chunk.map((group) => group.table),
    );
  });
  const { views, triggers, virtualTables } = objectsOf(database);
  if (views.length + triggers.length + virtualTables.length > 0) {
    // Views, triggers and virtual tables may name any table: one database of every table (without indexes) holds them.
    const db = openMemoryDatabase();
    try {
      db.exec(groups.map((group) => group.statements[0]).join(";\n"));
      proveObjects(db, database);
    } finally {
      db.close();
    }
  }
}

/** A database's shape as one text: its tables' and, when it has any, its views' and triggers'. */
export function shapeOfDatabase(db: SqliteDatabase): string {
  return shapeText(inspectTables(db), objectShapes(readObjects(db)));
}

function shapeText(tables: readonly TableShape[], objects: readonly string[]): string {
  return canonicalJson(objects.length === 0 ? tables : { tables, objects });
}

/**
 * The shape of a squash (a schema script), built in chunks when it is a plain one; with `model`, also the proof
 * that every default of every table compiles. Throws naming the squash when SQLite rejects it.
 */
export function shapeOfSquash(sql: string, model?: Database): string {
  const { tables, objects } = squashShapes(sql, model);
  return shapeText(tables, objects);
}

/** shapeOfSquash's tables, for naming what differs. */
export function tableShapesOfSquash(sql: string, model?: Database): TableShape[] {
  return squashShapes(sql, model).tables;
}

/** The tables' shapes and the objects' (objectShapes) a squash builds. */
export function squashShapes(sql: string, model?: Database): { tables: TableShape[]; objects: string[] } {
  const prove = model && ((db: SqliteDatabase, tables: readonly string[]) => proveDefaults(db, model, tables));
  let shapes;
  try {
    shapes = shapesOfSchemaScript(sql, prove);
  } catch (error) {
    if (error instanceof SchemaError) throw error;
    throw new Error(`the fresh squash fails on SQLite: ${(error as Error).message}`, { cause: error });
  }
  if (shapes) return { tables: shapes, objects: [] };
  const db = openMemoryDatabase();
  try {
    replayMigrations(db, [{ name: "the fresh squash", sql }]);
    if (prove)
      prove(
        db,
        model.tables.map((table) => table.name),
      );
    return { tables: inspectTables(db), objects: objectShapes(readObjects(db)) };
  } finally {
    db.close();
  }
}

/**
 * The schema shape after applying each SQL file in order, the D1 way; throws with the failing file's name.
 * `thenCheck` runs on the result first.
 */
export function shapeAfterMigrations(files: readonly MigrationFile[], thenCheck?: (db: SqliteDatabase) => void): string {
  const chunked = thenCheck ? undefined : shapesOfTableLocalFolder(files);
  if (chunked) return shapeText(chunked, []);
  return afterReplay(files, thenCheck, shapeOfDatabase);
}

/** The tables' shapes and the objects' (objectShapes) after the files, for naming what differs. */
export function schemaShapesAfterMigrations(files: readonly MigrationFile[]): { tables: TableShape[]; objects: string[] } {
  const chunked = shapesOfTableLocalFolder(files);
  if (chunked) return { tables: chunked, objects: [] };
  return afterReplay(files, undefined, (db) => ({ tables: inspectTables(db), objects: objectShapes(readObjects(db)) }));
}

/** shapeAfterMigrations's tables, for naming what differs. */
export function tableShapesAfterMigrations(files: readonly MigrationFile[], thenCheck?: (db: SqliteDatabase) => void): TableShape[] {
  const chunked = thenCheck ? undefined : shapesOfTableLocalFolder(files);
  if (chunked) return chunked;
  return afterReplay(files, thenCheck, (db) => inspectTables(db));
}

/** What `read` finds in one database after the files, replayed the D1 way, and `thenCheck` passed. */
function afterReplay<T>(files: readonly MigrationFile[], thenCheck: ((db: SqliteDatabase) => void) | undefined, read: (db: SqliteDatabase) => T): T {
  const db = openMemoryDatabase();
  try {
    replayMigrations(db, files);
    thenCheck?.(db);
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Whether replaying the files gives exactly the squash's schema: what lets a migrations folder stand (`check`, and
 * `pull` keeping a folder). Both shapes are returned so a caller can name what differs. Throws naming the file or the
 * squash SQLite rejects. (`generate` and `verify` compare the same two shapes on a replay they share with other
 * proofs, so they compare `tableShapes…` themselves rather than replay twice.)
 */
export function replayAgainstSquash(files: readonly MigrationFile[], squash: string): { same: true } | { same: false; replayed: string; squashed: string } {
  // A folder of one migration running exactly the squash's statements gives the squash's schema if it builds at all:
  // one build, not two (at 1,000 tables each costs a third of a second). When it fails, the replay names the file.
  if (files.length === 1 && sameStatementsAsSquash(files[0].sql, squash) && builds(() => tableShapesOfSquash(squash))) return { same: true };
  const replayed = shapeAfterMigrations(files);
  const squashed = shapeOfSquash(squash);
  return replayed === squashed ? { same: true } : { same: false, replayed, squashed };
}

/**
 * SQLite checks default expressions only when a row takes them, so CREATE TABLE accepts `gen_random_uuid()` and
 * every INSERT on D1 fails later. Preparing (not running) an insert of all defaults compiles them now, with
 * foreign keys off: their parents may be in another chunk, and a foreign key's target is validation's concern.
 */
export function proveDefaults(db: SqliteDatabase, database: Database, tables: readonly string[] = database.tables.map((table) => table.name)): void {
  compileDefaultInserts(db, tables, (table, error) => {
    throw new SchemaError(
      { database: database.name, table },
      `has a default SQLite cannot compute: ${error.message}`,
      "change the default to a function SQLite (and D1) has, such as lower(hex(randomblob(16))) or datetime('now')",
    );
  });
}

function builds(work: () => unknown): boolean {
  try {
    work();
    return true;
  } catch {
    return false;
  }
}
