// The one reader of the migrations wrangler recorded in a database: the rows of its migrations table
// (`d1_migrations` unless the config's migrations_table names another), which wrangler writes as it applies files.
import type { SqliteDatabase } from "../sqlite/apply.js";

/** The names a database's migrations table lists, in the order applied; undefined when the table does not exist. */
export function readAppliedMigrations(db: SqliteDatabase, migrationsTable = "d1_migrations"): string[] | undefined {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(migrationsTable);
  if (!exists) return undefined;
  // A plain table name (the config's migrations_table is checked to be one), quoted all the same.
  return (db.prepare(`SELECT name FROM "${migrationsTable}" ORDER BY id`).all() as { name: string }[]).map((row) => row.name);
}
