// `generate`: every database's new migration, squash, snapshot, types and audit docs, written in one commit.
import { computeSum, renderSum } from "../project/migration-sum.js";
import { databaseMigrationsDir, displayPath, snapshotPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { integrityFindings } from "../project/integrity.js";
import { renderFinding } from "../model/finding.js";
import { pendingWrites, writeFilesAtomically, type FileWrite } from "../io/write-files.js";
import { describeChange, tableNameOf } from "../diff/changes.js";
import { inputsHash, stampFile } from "../io/fingerprint.js";
import { renderFreshSchema } from "../render/fresh.js";
import { isCurrent, readDerivedFiles } from "../project/derived-files.js";
import { renderTypesIndex, typesIndexFileName } from "../types/render-index.js";
import { renderTypes } from "../types/render-types.js";
import { generateDatabase, type DatabaseGeneration, type GenerateOptions } from "../pipeline/generate-database.js";
import { editedCustomMigrations } from "../project/integrity.js";
import { recordCustomMigrations } from "../project/custom-migration.js";
import { renderCustomMigration } from "../project/custom-migration-file.js";
import { nextMigrationFileName, parseMigrationFileName, sanitizeMigrationName, type ExistingMigration } from "../project/migration-files.js";
import { renderCurrentSnapshot, type Snapshot } from "../model/snapshot.js";
import { loadSchema } from "../project/load-models.js";
import { renderRuleFinding } from "../model/finding.js";
import { runLintRules } from "../lint/lint.js";
import type { PendingMigration } from "../lint/migration-rules.js";
import { staleAuditDocumentWrites } from "../audit/documents.js";
import { readDatabaseState, type DatabaseState } from "../project/database-state.js";
import { selectDatabases } from "../project/select-databases.js";
import { readFile } from "node:fs/promises";
import { saveRenderCaches, useRenderCacheDir } from "../io/render-cache.js";
import { reportPhase } from "../io/progress.js";
import path from "node:path";
import { SchemaError, SchemaErrors } from "../model/errors.js";
import { bindingDatabases, openLocalDatabases, type WranglerStateOptions } from "../wrangler/local-state.js";
import { readAppliedMigrations } from "../wrangler/applied-migrations.js";
import { readWranglerD1Config } from "../wrangler/config.js";
import { readsRows } from "../model/lint-rules.js";
import type { Database } from "../model/model.js";
import { sameValue } from "../model/same-value.js";

export interface GenerateReport {
  written: string[];
  lines: string[];
  /** Lint findings on each database that got a migration, and on that migration (printed on stderr). */
  warnings: string[];
}

export interface GenerateCommandOptions extends Omit<GenerateOptions, "reorderColumns"> {
  /** Only this database (its name or folder); the others are left as they are. */
  only?: string;
  /** `TABLE` or `DATABASE.TABLE`: tables whose columns take their declared order physically (a rebuild). */
  reorderColumns?: readonly string[];
  /**
   * Read each binding's local D1 database (wrangler's state) and write nothing when a new migration would fail on
   * its rows: duplicates under a new UNIQUE key, rows without a value under a new NOT NULL column.
   */
  local?: WranglerStateOptions;
  /** Write the next migration of the one database selected empty, for hand-written SQL, named so (`--custom`). */
  custom?: string;
}

/**
 * The empty custom migration `--custom` asks for, numbered after the folder. Refused while schema/ has changes no
 * migration holds yet: they would be planned after the custom file and mix with what it is for.
 */
function customMigrationFile(model: Database, existing: readonly ExistingMigration[], result: DatabaseGeneration, name: string): ExistingMigration {
  if (result.migration) {
    throw new SchemaError(
      { database: model.name },
      `schema/${model.folder}/ has changes that generate has not written yet:\n${result.changes.map((change) => `    - ${describeChange(change)}`).join("\n")}`,
      "run `npx d1-schema generate` first (without --custom) so that they get their own migration; then add the custom migration",
    );
  }
  const fileName = nextMigrationFileName(existing, model.continueFrom, sanitizeMigrationName(name));
  return { ...parseMigrationFileName(fileName)!, sql: renderCustomMigration(model, fileName) };
}

/** The tables of each database that `--reorder-columns` names; a name that matches no table is an error. */
function tablesToReorder(models: readonly Database[], names: readonly string[]): Map<string, Set<string>> {
  const byDatabase = new Map(models.map((model) => [model.name, new Set<string>()]));
  for (const name of names) {
    const [database, table] = name.includes(".") ? name.split(".", 2) : [undefined, name];
    const matches = models.filter(
      (model) => (database === undefined || model.name === database || model.folder === database) && model.tables.some((candidate) => candidate.name === table),
    );
    if (matches.length === 0) {
      throw new SchemaError(
        database === undefined ? { table } : { database, table },
        "is named by --reorder-columns but is no table of the schema",
        "name a table as TABLE or DATABASE.TABLE, as the schema spells it",
      );
    }
    for (const model of matches) byDatabase.get(model.name)!.add(table);
  }
  return byDatabase;
}

export async function runGenerate(paths: ProjectPaths, options: GenerateCommandOptions): Promise<GenerateReport> {
  useRenderCacheDir(paths.root);
  reportPhase("loading schema/");
  const { models: all, files } = await loadSchema(paths.schemaDir, { prove: false });
  const models = selectDatabases(all, options.only);
  if (options.custom !== undefined && models.length !== 1) {
    throw new SchemaError(
      {},
      `--custom writes one database's migration, and schema/ has ${models.length === 0 ? "no database" : `${models.length}: ${models.map((model) => model.name).join(", ")}`}`,
      models.length === 0
        ? "define a database under schema/ and generate its first migration"
        : `name one with --database (one of: ${models.map((model) => model.name).join(", ")})`,
    );
  }
  const reorder = tablesToReorder(models, options.reorderColumns ?? []);
  // Each schema is proven in SQLite when its new migration is (generate-database.ts): building the squash is the
  // proof. A schema equal to its snapshot was proven when the snapshot was written.
  const states = await Promise.all(models.map((model) => readDatabaseState(paths, model)));
  const writes: FileWrite[] = [];
  const lines: string[] = [];
  const pending: PendingMigration[] = [];
  const recordedEdits: RecordedEdits[] = [];
  for (const [position, model] of models.entries()) {
    const state = states[position];
    const { snapshot, edited } = startingSnapshot(model, state, lines);
    if (edited.length > 0) recordedEdits.push({ model, files: edited });
    const derivedOnDisk = await readDerivedFiles(paths, model.folder, state);
    const previousText = (kind: "fresh" | "types") => derivedOnDisk.find((file) => file.kind === kind)?.renderedFromSnapshot;
    const previousFresh = previousRendering(state.snapshot, previousText("fresh"));
    const previousTypes = previousRendering(state.snapshot, previousText("types"));
    reportPhase(`${model.name}: diff, plan and proof in SQLite`);
    const result = generateDatabase(model, snapshot, state.migrations, { ...options, reorderColumns: reorder.get(model.name), previousFresh });
    if (result.migration) pending.push({ model: result.database, previous: snapshot?.database, changes: result.changes, plan: result.migration.plan });
    let snapshotText = result.snapshot;
    let lastMigration = result.migration?.fileName ?? snapshot?.lastMigration;
    let folder: readonly { fileName: string; sql: string }[] | undefined;
    if (options.custom !== undefined) {
      const custom = customMigrationFile(model, state.migrations, result, options.custom);
      writes.push({ path: path.join(databaseMigrationsDir(paths, model.folder), custom.fileName), content: custom.sql });
      lines.push(
        `${model.name}: ${displayPath(paths, path.join(databaseMigrationsDir(paths, model.folder), custom.fileName))}`,
        "  an empty custom migration: write its SQL, then run generate to record it",
      );
      folder = [...state.migrations, custom];
      lastMigration = custom.fileName;
      snapshotText = renderCurrentSnapshot({ version: 2, lastMigration, folderHash: computeSum(folder).folderHash, database: result.database }, snapshot);
    } else if (result.snapshotChanged || edited.length > 0) {
      if (result.migration) {
        const file = path.join(databaseMigrationsDir(paths, model.folder), result.migration.fileName);
        writes.push({ path: file, content: result.migration.sql });
        lines.push(`${model.name}: ${displayPath(paths, file)}`, ...result.changes.map((change) => `  ${describeChange(change)}`));
      } else if (edited.length === 0) {
        const upgraded = state.snapshot?.version === 1 && sameValue(state.snapshot.database, result.database);
        lines.push(
          upgraded
            ? `${model.name}: no schema change; ${displayPath(paths, snapshotPath(paths, model.folder))} proved against a replay of its folder and now records the folder's digest`
            : `${model.name}: no schema change; descriptions or other metadata updated`,
        );
      }
      folder = [...state.migrations, ...(result.migration ? [result.migration] : [])];
    }
    if (folder) {
      writes.push(
        { path: sumPath(paths, model.folder), content: renderSum(computeSum(folder)) },
        { path: snapshotPath(paths, model.folder), content: snapshotText },
      );
    }
    for (const derived of derivedOnDisk) {
      const inputs = await inputsHash(derived.kind, snapshotText);
      if (isCurrent(derived, inputs)) continue;
      reportPhase(`${model.name}: rendering ${displayPath(paths, derived.path)}`);
      // From the generated model, in the order the migrations built (the squash) with the declared order beside it (the types).
      const content =
        derived.kind === "fresh"
          ? (result.fresh ?? renderFreshSchema(result.database, lastMigration, previousFresh))
          : await renderTypes(result.database, previousTypes);
      writes.push({ path: derived.path, content: stampFile(content, inputs, derived.comment) });
      if (!folder) lines.push(`${model.name}: ${displayPath(paths, derived.path)} rewritten (the generator changed, or the file was edited)`);
    }
  }
  // The index lists every database, so it is compared with what is on disk rather than written with one of them.
  const index = { path: path.join(paths.generatedDir, typesIndexFileName), content: renderTypesIndex(all) };
  if ((await readFile(index.path, "utf8").catch(() => undefined)) !== index.content) {
    writes.push(index);
    lines.push(`${displayPath(paths, index.path)}: re-exports ${all.map((model) => model.folder).join(", ") || "no database"}`);
  }
  // The audit report and diagrams follow the snapshots, sums and migrations: they are made from the tree as these
  // writes leave it, and committed with them, so no interruption leaves new migrations beside old docs.
  const docs = options.only === undefined ? await staleAuditDocumentWrites(paths, { models: all, files }, pendingWrites(writes)) : [];
  if (docs.length > 0) {
    writes.push(...docs);
    lines.push(`docs/: ${docs.length} audit and diagram files rewritten`);
  }
  if (options.local && (pending.length > 0 || recordedEdits.length > 0))
    await refuseWhatLocalDatabasesForbid(paths, options.local, all, pending, recordedEdits);
  reportPhase("writing files");
  await writeFilesAtomically(paths.root, writes);
  await saveRenderCaches();
  if (writes.length === 0) lines.push("no changes");
  return { written: writes.map((write) => displayPath(paths, write.path)), lines, warnings: lintWarnings(all, pending) };
}

/** An earlier rendering of the snapshot on disk (derived-files.ts), for the next rendering to take unchanged tables from. */
function previousRendering(snapshot: Snapshot | undefined, text: string | undefined) {
  return snapshot && text !== undefined ? { database: snapshot.database, lastMigration: snapshot.lastMigration, text } : undefined;
}

/**
 * Lint speaks where something changed: findings on the new migrations and on the tables they touch. What stands
 * elsewhere in the schema is counted in one line (`d1-schema lint` lists it), not repeated on every generate.
 */
function lintWarnings(models: readonly Database[], pending: readonly PendingMigration[]): string[] {
  if (pending.length === 0) return [];
  const touched = new Set(pending.flatMap(({ model, changes }) => changes.map((change) => `${model.name}.${tableNameOf(change)}`)));
  const migrated = new Set(pending.map((entry) => entry.model.name));
  const findings = runLintRules(models, pending).findings.filter((item) => migrated.has(item.database));
  const shown = findings.filter((item) => item.table === undefined || item.kind === "rebuild" || touched.has(`${item.database}.${item.table}`));
  const others = findings.length - shown.length;
  return [
    ...shown.map((item) => `lint: ${renderRuleFinding(item)}`),
    ...(others > 0 ? [`lint: ${others} more finding${others > 1 ? "s" : ""} on tables this migration does not touch: run \`d1-schema lint\``] : []),
  ];
}

/**
 * The snapshot generate plans from: the one on disk, once the folder is what migrations.sum recorded (a folder
 * without a sum is being adopted: its first generate records the files as they are), except for custom migrations
 * edited since, which are not broken: they are proved and recorded here, and named in `lines`.
 */
function startingSnapshot(model: Database, state: DatabaseState, lines: string[]): { snapshot?: Snapshot; edited: string[] } {
  const edited = state.sum ? editedCustomMigrations(state.migrations, state.sum) : [];
  const broken = state.sum
    ? integrityFindings(model.folder, state.migrations, state.sum).filter((finding) => finding.kind !== "custom-migration-unrecorded")
    : [];
  if (broken.length > 0) {
    throw new SchemaError(
      { database: model.name },
      `has a migrations folder that changed since it was generated:\n${broken.map((finding) => `    - ${renderFinding(finding)}`).join("\n")}`,
      "fix the folder first (d1-schema check lists the same findings)",
    );
  }
  if (edited.length === 0) return { snapshot: state.snapshot, edited: [] };
  reportPhase(`${model.name}: proving the edited custom migrations in SQLite`);
  const recorded = recordCustomMigrations(model, state.snapshot, state.migrations, state.sum!, edited);
  lines.push(
    ...edited.map((file) => `${model.name}: recorded custom migration ${file.fileName}`),
    ...(recorded.proof.builds === "schema" ? [`  its schema change is the one schema/${model.folder}/ describes; the snapshot now has it`] : []),
  );
  return { snapshot: recorded.snapshot, edited: edited.map((file) => file.fileName) };
}

/** Custom migrations whose edits generate records in this run, per database. */
interface RecordedEdits {
  model: Database;
  files: string[];
}

/**
 * What each binding's local database forbids: an edited custom migration it has applied (wrangler applies a file
 * once, by name, so that database would keep what the old text did), and row-level lint errors of the new
 * migrations. Any of them stops generate.
 */
async function refuseWhatLocalDatabasesForbid(
  paths: ProjectPaths,
  options: WranglerStateOptions,
  models: readonly Database[],
  pending: readonly PendingMigration[],
  recordedEdits: readonly RecordedEdits[],
): Promise<void> {
  reportPhase("reading the local databases");
  const locals = await openLocalDatabases(paths, options);
  try {
    const tables = new Map((await readWranglerD1Config(paths, options.config, options.env))?.databases.map((entry) => [entry.binding, entry.migrationsTable]));
    const applied = recordedEdits.flatMap(({ model, files }) =>
      bindingDatabases(model, locals).flatMap(({ binding, db }) => {
        const names = new Set(readAppliedMigrations(db, tables.get(binding)) ?? []);
        return files
          .filter((file) => names.has(file))
          .map(
            (file) =>
              new SchemaError(
                { database: model.name },
                `migrations/${model.folder}/${file}, a custom migration, was edited after the local database of ${binding} applied it: wrangler applies a file once, by name, so that database keeps what the old text did`,
                "restore the file from git and put the new SQL in a new custom migration (generate --custom), or rebuild the local database first",
              ),
          );
      }),
    );
    if (applied.length > 0) throw new SchemaErrors(applied);
    const withRows = pending.map((migration) => ({ ...migration, local: bindingDatabases(migration.model, locals) }));
    const failing = runLintRules(models, withRows).findings.filter((item) => item.severity === "error" && readsRows(item.kind));
    if (failing.length === 0) return;
    throw new SchemaErrors(
      failing.map(
        (item) =>
          new SchemaError(
            { database: item.database, table: item.table, column: item.column },
            `${item.message} (${item.kind})`,
            `${item.fix ?? "fix the data first"}; or generate without --local to write the migration anyway`,
          ),
      ),
    );
  } finally {
    for (const db of locals.values()) db.close();
  }
}
