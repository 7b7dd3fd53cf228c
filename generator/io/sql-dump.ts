// A live database from a file, for drift and pull: a SQLite file (wrangler's local D1 state under
// .wrangler/state/v3/d1/, or a copy of one) opened read-only, or a SQL dump (`wrangler d1 export`, or any .sql
// file such as a squash) replayed into an in-memory SQLite.
import { readFile } from "node:fs/promises";
import Database from "better-sqlite3";
import { SchemaError } from "../model/errors.js";
import { openMemoryDatabase, type SqliteDatabase } from "../sqlite/apply.js";

export type LiveSource = { kind: "sqlite"; file: string } | { kind: "dump"; file: string };

/** Opens the source; a missing or unreadable file is a SchemaError naming the database and the file. */
export async function openLiveDatabase(source: LiveSource, database: string): Promise<SqliteDatabase> {
  return source.kind === "sqlite" ? openSqliteFile(source.file, database) : loadSqlDump(source.file, database);
}

export function describeSource(source: LiveSource): string {
  return `${source.kind === "sqlite" ? "SQLite file" : "SQL dump"} ${source.file}`;
}

function openSqliteFile(file: string, database: string): SqliteDatabase {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare("SELECT count(*) FROM sqlite_schema").get(); // a file that is not a database fails here, not later
    return db;
  } catch (error) {
    throw new SchemaError(
      { database },
      `cannot open the SQLite file ${file}: ${(error as Error).message}`,
      "give the path of a SQLite database, e.g. wrangler's .wrangler/state/v3/d1/miniflare-D1DatabaseObject/<id>.sqlite",
    );
  }
}

/**
 * Replays a dump with foreign keys off: `wrangler d1 export` writes each table's rows right after its CREATE TABLE,
 * children possibly before parents, and only the schema matters here.
 */
async function loadSqlDump(file: string, database: string): Promise<SqliteDatabase> {
  const sql = await readFile(file, "utf8").catch((error: Error) => {
    throw new SchemaError(
      { database },
      `cannot read the SQL dump ${file}: ${error.message}`,
      "give the path of a .sql file, e.g. from `npx wrangler d1 export <DB> --output=dump.sql`",
    );
  });
  const db = openMemoryDatabase();
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => db.exec(sql))();
    return db;
  } catch (error) {
    db.close();
    throw new SchemaError(
      { database },
      `cannot load the SQL dump ${file} into SQLite: ${(error as Error).message}`,
      "give a dump SQLite can run, such as `wrangler d1 export` writes",
    );
  }
}
