// SQLite is the judge of the SQL we write. Before anything is written, the schema is built in memory (so a bad
// CHECK or index expression fails here, naming its table), and a new migration is applied on top of the replayed
// history and must give exactly the squash's schema.
import { SchemaError } from "../model/errors.js";
import { quoteIdentifier } from "../model/identifiers.js";
import type { Database } from "../model/model.js";
import { parentFirst } from "../plan/fk-graph.js";
import { renderCreateIndex, renderCreateTable } from "../render/ddl.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "./apply.js";
import { inspectTables } from "./inspect.js";
import { canonicalJson } from "../model/canonical-json.js";

/** Builds every table and index in SQLite; throws a SchemaError naming the table SQLite rejected. */
export function proveSchemaInSqlite(database: Database): void {
  const db = openMemoryDatabase();
  try {
    for (const table of parentFirst(database.tables)) {
      for (const statement of [renderCreateTable(table, { ifNotExists: false }), ...table.indexes.map((index) => renderCreateIndex(table, index, { ifNotExists: false }))]) {
        try {
          db.exec(statement);
        } catch (error) {
          throw new SchemaError(
            { database: database.name, table: table.name },
            `is rejected by SQLite: ${(error as Error).message}\n  in: ${statement}`,
            "fix the expression, default, CHECK or index that SQLite names",
          );
        }
      }
    }
    // After every table exists: an INSERT compiles its foreign keys, whose parents may come later in a cycle.
    proveDefaults(db, database);
  } finally {
    db.close();
  }
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
 * every INSERT on D1 fails later. Preparing (not running) an insert of all defaults compiles them now.
 */
export function proveDefaults(db: SqliteDatabase, database: Database): void {
  for (const table of database.tables) {
    try {
      db.prepare(`INSERT INTO ${quoteIdentifier(table.name)} DEFAULT VALUES`);
    } catch (error) {
      throw new SchemaError(
        { database: database.name, table: table.name },
        `has a default SQLite cannot compute: ${(error as Error).message}`,
        "change the default to a function SQLite (and D1) has, such as lower(hex(randomblob(16))) or datetime('now')",
      );
    }
  }
}
