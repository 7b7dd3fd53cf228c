// The in-process core, timed with performance.now(): diff + plan in the three situations, and each other stage a
// generate or check goes through, so whole-process times can be read against them. The CLI runs compiled; this
// harness imports generator/'s TypeScript directly, so run.ts starts it under tsx:
//   node --import tsx bench/core.ts <project dir> <changed table> <added column> <minimum runs> [diff-only]
// Prints one JSON object on stdout.
import { performance } from "node:perf_hooks";
import { diffSchemas } from "../generator/diff/diff.js";
import { text } from "../generator/dsl/column.js";
import { table, type TableDefinition } from "../generator/dsl/table.js";
import { loadSchemaFolders } from "../generator/io/load-schema.js";
import { projectPaths, snapshotPath } from "../generator/io/paths.js";
import { emptyDatabase } from "../generator/model/snapshot.js";
import { readSnapshot } from "../generator/project/snapshot-file.js";
import { canonicalJson } from "../generator/model/canonical-json.js";
import type { Database } from "../generator/model/model.js";
import { normalizeDatabase } from "../generator/model/normalize.js";
import { validateDatabase } from "../generator/model/validate.js";
import { planMigration } from "../generator/plan/plan.js";
import { renderFreshSchema } from "../generator/render/fresh.js";
import { renderMigration } from "../generator/render/migration.js";
import { proveSchemaInSqlite, shapeAfterMigrations } from "../generator/sqlite/prove.js";
import { renderTypes } from "../generator/types/render-types.js";
import { clearRenderCaches } from "../generator/io/render-cache.js";

export interface CoreTiming {
  id: string;
  label: string;
  medianMs: number;
  runs: number;
}

export interface CoreReport {
  tables: number;
  timings: CoreTiming[];
}

const [projectDir, changedTable, addedColumnName, minRunsText, only] = process.argv.slice(2);
const breakdown = only !== "diff-only";
const minRuns = Number(minRunsText ?? 5);
/** Repeat a fast stage until this much time has passed, for a steadier median. */
const targetMs = 1000;
/** Stop repeating a slow stage after this much time, whatever minRuns says (at least one run). */
const capMs = 20_000;

/** A stage whose first run takes longer than this is measured by that run alone (its cost is work, not JIT). */
const slowMs = 2000;

async function time(id: string, label: string, work: () => unknown): Promise<CoreTiming> {
  const warmUpStart = performance.now();
  await work(); // warm-up: JIT, lazy imports, caches
  const warmUpMs = performance.now() - warmUpStart;
  if (warmUpMs > slowMs) return { id, label, medianMs: warmUpMs, runs: 1 };
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < 200) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
    const elapsed = performance.now() - started;
    if (elapsed > capMs || (samples.length >= minRuns && elapsed > targetMs)) break;
  }
  samples.sort((a, b) => a - b);
  const middle = Math.floor(samples.length / 2);
  const medianMs = samples.length % 2 === 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
  return { id, label, medianMs, runs: samples.length };
}

function diffAndPlan(from: Database, to: Database): number {
  const diff = diffSchemas(from, to);
  if (diff.changes.length > 0) planMigration(diff);
  return diff.changes.length;
}

/** A distinct copy, as the snapshot read from disk would be. */
function copy(model: Database): Database {
  return JSON.parse(JSON.stringify(model)) as Database;
}

async function main(): Promise<CoreReport> {
  const paths = projectPaths(projectDir);
  const loadStart = performance.now();
  const [loaded] = await loadSchemaFolders(paths.schemaDir);
  const loadMs = performance.now() - loadStart;
  const normalize = (tables: readonly TableDefinition[]) => normalizeDatabase(loaded.folder, loaded.definition, tables);
  const model = normalize(loaded.tables);
  const problems = validateDatabase(model);
  if (problems.length > 0) throw new Error(`the synthetic schema is invalid: ${problems[0].message}`);
  const withColumn = normalize(
    loaded.tables.map((definition) =>
      definition.spec.name === changedTable
        ? table(definition.spec.name, { ...definition.spec.columns, [addedColumnName]: text() }, definition.spec.options)
        : definition,
    ),
  );
  const snapshot = copy(model);
  const empty = emptyDatabase(model);
  if (diffAndPlan(snapshot, model) !== 0) throw new Error("the copied model differs from itself");
  if (diffAndPlan(snapshot, withColumn) !== 1) throw new Error("adding one column did not give one change");
  const fullDiff = diffSchemas(empty, model);
  const fullChanges = fullDiff.changes;
  const fullPlan = planMigration(fullDiff);
  const snapshotFile = snapshotPath(paths, loaded.folder);

  const timings: CoreTiming[] = [
    { id: "load", label: "load the schema files (loadSchemaFolders: one esbuild bundle; the process's first load)", medianMs: loadMs, runs: 1 },
    await time("diffPlanEmpty", "diff + plan from an empty snapshot", () => diffAndPlan(empty, model)),
    await time("diffPlanNoChange", "diff + plan with no change", () => diffAndPlan(snapshot, model)),
    await time("diffPlanAddColumn", "diff + plan after one added column", () => diffAndPlan(snapshot, withColumn)),
  ];
  if (!breakdown) return { tables: model.tables.length, timings };
  const fresh = renderFreshSchema(model, "0001_bench.sql");
  timings.push(
    await time("loadAgain", "load the schema files again (loadSchemaFolders: bundles and runs them anew)", () => loadSchemaFolders(paths.schemaDir)),
    await time("normalizeValidate", "normalize + validate (model/)", () => validateDatabase(normalize(loaded.tables))),
    await time("prove", "prove the schema in SQLite (proveSchemaInSqlite)", () => proveSchemaInSqlite(model)),
    await time("renderFresh", "render the fresh squash (no render cache)", () => (clearRenderCaches(), renderFreshSchema(model, "0001_bench.sql"))),
    await time("renderFreshCached", "render the fresh squash (every block in the render cache)", () => renderFreshSchema(model, "0001_bench.sql")),
    await time(
      "renderMigration",
      "render the whole-schema migration (no render cache)",
      () => (clearRenderCaches(), renderMigration(model, "0001_bench.sql", fullChanges, fullPlan)),
    ),
    await time("replay", "apply the squash and inspect it (shapeAfterMigrations, once)", () => shapeAfterMigrations([{ name: "fresh", sql: fresh }])),
    await time("canonicalJson", "canonical JSON of the model (snapshot compare, once)", () => canonicalJson(model)),
    await time("readSnapshot", "read + zod-parse the snapshot file", () => readSnapshot(snapshotFile, model.name)),
    await time("renderTypes", "render the row types (no render cache)", () => (clearRenderCaches(), renderTypes(model))),
    await time("renderTypesOneTable", "render the row types (every block in the render cache)", () => renderTypes(model)),
  );
  return { tables: model.tables.length, timings };
}

main().then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
