// Every ClearLift database, end to end: the committed migrations replay to exactly the fresh squash, every table's
// rows parse with the generated zod schemas, every row of every baseline table survives the later migrations
// applied the D1 way, and both the squash and the migrations folder run on wrangler's local D1 engine.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderTypes } from "../../generator/types/render-types.js";
import { applyLikeD1, rowsOf, shapeOf } from "../helpers/evolve.js";
import { loadDatabaseModel, migrationsDatabase, migrationsDir } from "../helpers/clearlift.js";
import { applyWithWrangler, executeFileWithWrangler } from "../helpers/local-d1.js";
import { insertRepresentativeRows, userTables } from "../helpers/representative-rows.js";
import { importGeneratedModule, insertSampleRows, rowsFailingTheirSchema } from "../types/row-samples.js";
import Database from "better-sqlite3";
import { parseMigrationFileName } from "../../generator/project/migration-files.js";

const databases = [
  { folder: "db", binding: "DB" },
  { folder: "ai_db", binding: "AI_DB" },
  { folder: "analytics_db", binding: "ANALYTICS_DB" },
  { folder: "shard", binding: "SHARD_0" },
];
const freshFile = (folder: string) => path.join(migrationsDir, "fresh", folder, "0001_complete_schema.sql");
const migrationFiles = (folder: string) =>
  readdirSync(path.join(migrationsDir, folder))
    .filter((file) => file.endsWith(".sql"))
    .sort();
const wranglerTimeout = 180_000;

describe.each(databases)("$binding", ({ folder, binding }) => {
  it("replaying migrations/<db>/*.sql in order gives exactly the fresh squash's schema", () => {
    const squash = migrationsDatabase("fresh/" + folder);
    expect(shapeOf(migrationsDatabase(folder))).toEqual(shapeOf(squash));
  });

  it("stores rows in every table that parse with the generated zod schema", async () => {
    const model = await loadDatabaseModel(folder);
    const db = migrationsDatabase(folder);
    insertSampleRows(db, model);
    const generated = await importGeneratedModule(await renderTypes(model), `${folder}.ts`);
    expect(rowsFailingTheirSchema(db, model, generated)).toEqual([]);
    expect(model.tables.every((table) => rowsOf(db, table.name).length === 2)).toBe(true);
  });

  it("keeps every row of every baseline table through the later migrations", () => {
    const [baseline, ...later] = migrationFiles(folder);
    const db = migrationsDatabase(folder, parseMigrationFileName(baseline)!.number);
    // A one-row table whose CHECK pins its key: the one value a generic row builder cannot guess.
    insertRepresentativeRows(db, { overrides: { "global_events_watermark.id": "global_events" } });
    const before = new Map(userTables(db).map((table) => [table, rowsOf(db, table)]));
    for (const file of later) applyLikeD1(db, readFileSync(path.join(migrationsDir, folder, file), "utf8"));
    const kept = userTables(db).filter((table) => before.has(table));
    for (const table of kept) {
      const columnsBefore = Object.keys(before.get(table)![0]);
      const after = rowsOf(db, table).map((row) => Object.fromEntries(columnsBefore.map((column) => [column, row[column]])));
      expect(after, table).toEqual(before.get(table));
    }
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(kept.length).toBeGreaterThan(0);
  });

  it(
    "applies on wrangler's local D1 engine: the migrations folder, and the squash on a new database",
    async () => {
      const applied = await applyWithWrangler(path.join(migrationsDir, folder), { binding });
      expect(applied.appliedNames).toEqual(migrationFiles(folder));
      const fresh = await executeFileWithWrangler(freshFile(folder), { binding });
      const fromMigrations = new Database(applied.sqlitePath, { readonly: true });
      const fromSquash = new Database(fresh.sqlitePath, { readonly: true });
      expect(shapeOf(fromSquash)).toEqual(shapeOf(fromMigrations));
      expect(shapeOf(fromMigrations)).toEqual(shapeOf(migrationsDatabase(folder)));
      fromMigrations.close();
      fromSquash.close();
    },
    wranglerTimeout,
  );
});
