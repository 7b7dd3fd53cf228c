// Helpers for the ClearLift schema tests: load one schema/<folder>/ as `generate` does, build its fresh squash
// in SQLite, and count what the audit counts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadSchemaFolder } from "../../generator/io/load-schema.js";
import { SchemaErrors } from "../../generator/model/errors.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { validateDatabase } from "../../generator/model/validate.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "../../generator/sqlite/apply.js";
import { proveSchemaInSqlite } from "../../generator/sqlite/prove.js";
import { highestMigrationNumber, migrationNumber } from "../../generator/project/migration-files.js";

export const schemaDir = path.resolve(import.meta.dirname, "../../schema");
export const migrationsDir = path.resolve(import.meta.dirname, "../../migrations");

/** A database built by applying the committed migrations/<folder>/*.sql in order, the D1 way, up to number `through`. */
export function migrationsDatabase(folder: string, through = highestMigrationNumber): SqliteDatabase {
  const dir = path.join(migrationsDir, folder);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".sql") && (migrationNumber(file) ?? 0) <= through)
    .sort();
  const db = openMemoryDatabase();
  for (const file of files) applyLikeD1(db, readFileSync(path.join(dir, file), "utf8"));
  return db;
}

/** The validated model of schema/<folder>/. */
export async function loadDatabaseModel(folder: string): Promise<Database> {
  const { definition, tables } = await loadSchemaFolder(schemaDir, folder);
  const model = normalizeDatabase(folder, definition, tables);
  const errors = validateDatabase(model);
  if (errors.length > 0) throw new SchemaErrors(errors);
  proveSchemaInSqlite(model);
  return model;
}

/** An in-memory SQLite database built from the model's fresh squash, the D1 way. */
export function squashDatabase(model: Database): SqliteDatabase {
  const db = openMemoryDatabase();
  applyLikeD1(db, renderFreshSchema(model, undefined));
  return db;
}

/** Named indexes (CREATE INDEX), not SQLite's automatic ones for PRIMARY KEY and UNIQUE. */
export function namedIndexes(db: SqliteDatabase, table?: string): { name: string; tbl_name: string; sql: string }[] {
  const rows = db.prepare("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as {
    name: string;
    tbl_name: string;
    sql: string;
  }[];
  return table === undefined ? rows : rows.filter((row) => row.tbl_name === table);
}

export function tableNames(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );
}
