// Test helpers: build models from DSL tables, generate migrations between them with the real pipeline, and
// apply SQL the way D1 does (foreign keys on, one transaction per file) on real SQLite.
import type { DatabaseOptions } from "../../generator/dsl/database.js";
import { database } from "../../generator/dsl/index.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import type { TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "../../generator/dsl/objects.js";
import { generateDatabase, type DatabaseGeneration } from "../../generator/pipeline/generate-database.js";
import { parseMigrationFileName, type ExistingMigration } from "../../generator/project/migration-files.js";
import { SchemaErrors } from "../../generator/model/errors.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { validateDatabase } from "../../generator/model/validate.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "../../generator/sqlite/apply.js";
import { inspectTables } from "../../generator/sqlite/shape.js";
import { proveSchemaInSqlite } from "../../generator/sqlite/prove.js";
import { canonicalJson } from "../../generator/model/canonical-json.js";
import { inBuiltColumnOrder } from "../../generator/diff/physical-order.js";
import { diffSchemas } from "../../generator/diff/diff.js";
import { planMigration } from "../../generator/plan/plan.js";
import { renderMigration } from "../../generator/render/migration.js";
import { emptyDatabase, parseSnapshot } from "../../generator/model/snapshot.js";

/**
 * A validated model from DSL tables (and views and triggers), as `generate` would load it; `prove: false` leaves out
 * the SQLite proof.
 */
export function modelOf(
  tables: readonly TableDefinition[],
  options: Partial<DatabaseOptions> = {},
  { prove = true, objects = [] }: { prove?: boolean; objects?: readonly (ViewDefinition | TriggerDefinition | VirtualTableDefinition)[] } = {},
): Database {
  const model = normalizeDatabase("test_db", database({ name: "TEST_DB", ...options }), tables, {
    views: objects.filter((object): object is ViewDefinition => object.kind === "view"),
    triggers: objects.filter((object): object is TriggerDefinition => object.kind === "trigger"),
    virtualTables: objects.filter((object): object is VirtualTableDefinition => object.kind === "virtualTable"),
  });
  const errors = validateDatabase(model);
  if (errors.length > 0) throw new SchemaErrors(errors);
  if (prove) proveSchemaInSqlite(model);
  return model;
}

/** A project's history in memory: each `step` generates the next migration from the previous snapshot. */
export class History {
  readonly migrations: ExistingMigration[] = [];
  last?: DatabaseGeneration;

  step(model: Database, options: { allowDestructive?: boolean; name?: string; reorderColumns?: string[] } = {}): DatabaseGeneration {
    const snapshot = this.last && parseSnapshot(this.last.snapshot, this.last.database.name);
    const result = generateDatabase(model, snapshot, this.migrations, {
      allowDestructive: options.allowDestructive ?? true,
      name: options.name,
      reorderColumns: new Set(options.reorderColumns),
    });
    if (result.migration) {
      this.migrations.push({ ...parseMigrationFileName(result.migration.fileName)!, sql: result.migration.sql });
    }
    this.last = result;
    return result;
  }
}

/** The SQL of the migration from `from` to `to` (from scratch when `from` is undefined). */
export function migrationBetween(from: Database | undefined, to: Database, options: { allowDestructive?: boolean; reorderColumns?: string[] } = {}): string {
  const history = new History();
  if (from) history.step(from);
  const result = history.step(to, options);
  if (!result.migration) throw new Error("expected a migration, got no changes");
  return result.migration.sql;
}

/**
 * A fresh database of the schema `to` as generate builds it after `from`: a column declared anywhere is added at
 * the end (diff/physical-order.ts), so this is what a migrated database must equal.
 */
export function databaseAfter(from: Database, to: Database): SqliteDatabase {
  return databaseFrom(inBuiltColumnOrder(to, from));
}

/** A fresh in-memory database built by applying `model`'s migration from scratch, D1 style. */
export function databaseFrom(model: Database): SqliteDatabase {
  const db = openMemoryDatabase();
  applyLikeD1(db, migrationBetween(undefined, model));
  return db;
}

export { applyLikeD1, openMemoryDatabase };

/**
 * A fresh in-memory database built from the migration generate writes for `model` on an empty folder, without
 * generate's own proof of it (for tests that compare shapes themselves, many times).
 */
export function databaseFromScratch(model: Database): SqliteDatabase {
  const empty = emptyDatabase(model);
  const diff = diffSchemas(empty, model);
  const db = openMemoryDatabase();
  applyLikeD1(db, renderMigration(model, "0001_from_scratch.sql", diff.changes, planMigration(diff)));
  return db;
}

/** The database's shape through PRAGMAs, comparable with toEqual. */
export function shapeOf(db: SqliteDatabase): unknown {
  return JSON.parse(canonicalJson(inspectTables(db)));
}

/** Every row of a table in a stable order, for before/after comparisons. */
export function rowsOf(db: SqliteDatabase, table: string): Record<string, unknown>[] {
  const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
  return rows.sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
}

export function foreignKeyViolations(db: SqliteDatabase): unknown[] {
  return db.prepare("PRAGMA foreign_key_check").all();
}
