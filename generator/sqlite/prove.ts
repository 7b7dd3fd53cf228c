// SQLite is the judge of the SQL we write. Before anything is written, the schema is built in memory (so a bad
// CHECK or index expression fails here, naming its table), and a new migration is applied on top of the replayed
// history and must give exactly the squash's schema.
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { parentFirst } from "../plan/fk-graph.js";
import { renderCreateIndex, renderCreateTable } from "../render/ddl.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "./apply.js";
import { inspectTables } from "./inspect.js";
import { compileDefaultInserts, inChunks, shapesOfSchemaScript } from "./schema-script.js";
import { canonicalJson } from "../model/canonical-json.js";

/**
 * Builds every table and index in SQLite, a chunk of tables a database (schema-script.ts: one database would take
 * time quadratic in the tables); throws a SchemaError naming the table SQLite rejected.
 */
export function proveSchemaInSqlite(database: Database): void {
  const groups = parentFirst(database.tables).map((table) => ({
    table: table.name,
    statements: [renderCreateTable(table, { ifNotExists: false }), ...table.indexes.map((index) => renderCreateIndex(table, index, { ifNotExists: false }))],
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
    proveDefaults(db, database, chunk.map((group) => group.table));
  });
}

/**
 * The shape of a squash (a schema script), built in chunks when it is a plain one; with `model`, also the proof
 * that every default of every table compiles. Throws naming the squash when SQLite rejects it.
 */
export function shapeOfSquash(sql: string, model?: Database): string {
  const prove = model && ((db: SqliteDatabase, tables: readonly string[]) => proveDefaults(db, model, tables));
  let shapes;
  try {
    shapes = shapesOfSchemaScript(sql, prove);
  } catch (error) {
    if (error instanceof SchemaError) throw error;
    throw new Error(`the fresh squash fails on SQLite: ${(error as Error).message}`);
  }
  return shapes ? canonicalJson(shapes) : shapeAfterMigrations([{ name: "the fresh squash", sql }], prove && ((db) => prove(db, model.tables.map((table) => table.name))));
}

/**
 * The schema shape after applying each SQL file in order, the D1 way; throws with the failing file's name.
 * `thenCheck` runs on the result first (the defaults proof, when the files are a schema's squash).
 */
export function shapeAfterMigrations(files: readonly { name: string; sql: string }[], thenCheck?: (db: SqliteDatabase) => void): string {
  const db = openMemoryDatabase();
  try {
    for (const file of files) {
      try {
        applyLikeD1(db, file.sql);
      } catch (error) {
        throw new Error(`${file.name} fails on SQLite: ${(error as Error).message}`);
      }
    }
    thenCheck?.(db);
    return canonicalJson(inspectTables(db));
  } finally {
    db.close();
  }
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
