// `pull`: adopt a database that years of hand-written SQL built. From a SQLite file, a SQL dump or a folder of
// migrations (replayed in order, the D1 way), write schema/<folder>/ in the schema language plus everything
// `generate` would have written (snapshot, migrations.sum, squash, types), so that `generate` right after reports
// no changes and the next migration continues the old numbering.
//
// Numbering: a migrations folder is kept as it is in migrations/<folder>/ (wrangler knows migrations by file
// name, so production, which recorded them, sees nothing pending, and a new database replays the same history).
// A SQLite file or dump has no files to keep, so pull writes a baseline like `d1-schema baseline`: the whole
// schema with IF NOT EXISTS, numbered like the last migration the database recorded in d1_migrations (a no-op
// where the database exists, a full build elsewhere). `continueFrom` alone would not do: every new migration is
// proved by replaying the folder from an empty database, so the folder itself must build the schema.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { diffDatabases } from "../diff/diff.js";
import { describeChange } from "../diff/changes.js";
import { inputsHash, stampFile } from "../io/fingerprint.js";
import { loadSchemaFolder } from "../io/load-schema.js";
import { packageName } from "../io/tool-paths.js";
import { databaseMigrationsDir, derivedFiles, displayPath, snapshotPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { renderCurrentSnapshot } from "../model/snapshot.js";
import { describeSource, openLiveDatabase, type LiveSource } from "../io/sql-dump.js";
import { writeFilesAtomically, type FileWrite } from "../io/write-files.js";
import { SchemaError, SchemaErrors } from "../model/errors.js";
import { isPlainIdentifier } from "../model/identifiers.js";
import type { Database } from "../model/model.js";
import { normalizeDatabase } from "../model/normalize.js";
import { validateDatabase } from "../model/validate.js";
import { renderFreshSchema } from "../render/fresh.js";
import { renderSchemaFiles } from "../types/schema-files.js";
import { openMemoryDatabase, type SqliteDatabase } from "../sqlite/apply.js";
import { MigrationReplayError, replayMigrations } from "../sqlite/replay.js";
import { introspectDatabase } from "../sqlite/introspect.js";
import { readAppliedMigrations } from "../wrangler/applied-migrations.js";
import { replayAgainstSquash, proveSchemaInSqlite } from "../sqlite/prove.js";
import { renderTypesIndex, typesIndexFileName } from "../types/render-index.js";
import { renderTypes } from "../types/render-types.js";
import {
  formatMigrationNumber,
  highestMigrationNumber,
  migrationNumber,
  parseMigrationFileName,
  readMigrationFolder,
  readSqlFiles,
  type ExistingMigration,
} from "../project/migration-files.js";
import { computeSum, renderSum } from "../project/migration-sum.js";
import { generateDatabase } from "../pipeline/generate-database.js";
import { runLintRules } from "../lint/lint.js";
import type { LintFinding } from "../model/finding.js";

export type PullSource = LiveSource | { kind: "migrations"; dir: string };

export interface PullOptions {
  /** The database's name (its wrangler binding). */
  name: string;
  folder: string;
  source: PullSource;
  bindings?: string[];
  /** Replace an existing schema/<folder>/ (and its snapshot). */
  force: boolean;
}

export interface PullReport {
  database: string;
  folder: string;
  tables: number;
  indexes: number;
  /** The last migration of migrations/<folder>/ after the pull; the next one takes the number after it. */
  lastMigration: string;
  nextNumber: number;
  written: string[];
  /** What the schema language could not take over from the database. */
  notes: string[];
  /**
   * Lint errors in what was pulled (a foreign key SQLite cannot use: foreign-key-to-non-unique,
   * foreign-key-to-missing-table): adopted as they are, and `check` fails until each is fixed or silenced.
   */
  lintErrors: LintFinding[];
  /** What migrations/<folder>/ holds after the pull, and why. */
  history: string;
}

export async function runPull(paths: ProjectPaths, options: PullOptions): Promise<PullReport> {
  const { name, folder } = options;
  const bindings = options.bindings ?? [name];
  checkNames(name, folder, bindings);
  const schemaFolder = path.join(paths.schemaDir, folder);
  const migrationsFolder = databaseMigrationsDir(paths, folder);
  if (!options.force && existsSync(schemaFolder)) {
    throw new SchemaError({ database: name }, `schema/${folder}/ already exists`, "pass --force to replace it, or pull into another --folder");
  }
  if (!options.force && existsSync(snapshotPath(paths, folder))) {
    throw new SchemaError(
      { database: name },
      `migrations/${folder}/ already has a snapshot: the database is managed by d1-schema`,
      "pass --force to replace the snapshot, or pull into another --folder",
    );
  }

  const history = await readHistory(options.source, name);
  let introspected: ReturnType<typeof introspectDatabase>;
  try {
    introspected = introspectDatabase(history.db, { name, folder, bindings, continueFrom: 0, ifNotExists: true });
  } finally {
    history.db.close();
  }
  const problems = validateDatabase(introspected.database);
  if (problems.length > 0)
    throw new SchemaErrors(
      problems.map(
        (problem) =>
          new SchemaError(
            problem,
            `${problem.problem} (in the database being pulled)`,
            `${problem.hint}; the schema language cannot hold it as it is, so fix the database first`,
          ),
      ),
    );

  const sourceName = describePullSource(options.source);
  const fileOptions = {
    databaseComment: [
      `${name}: adopted with \`d1-schema pull\` from the ${sourceName}. This folder is now the schema: edit it and run \`npx d1-schema generate\` for the next migration.`,
      ...(introspected.notes.length > 0
        ? ["", "What the schema language could not take over from the database:", ...introspected.notes.map((note) => `- ${note}`)]
        : []),
    ],
    tablesComment: [`Pulled by \`d1-schema pull\` from the ${sourceName}.`],
  };
  const files = await renderSchemaFiles(introspected.database, { ...fileOptions, dslImport: packageName });
  const loaded = await loadRenderedSchema(folder, files);
  const mismatch = [...diffDatabases(introspected.database, loaded), ...diffDatabases(loaded, introspected.database)];
  if (mismatch.length > 0) {
    throw new Error(
      `pull: the written schema files would not load back as the database (${mismatch.map(describeChange).join("; ")}); please report this as a bug`,
    );
  }

  const writes: FileWrite[] = files.map((file) => ({ path: path.join(schemaFolder, file.fileName), content: file.content }));
  const plan = planHistory(history, loaded, migrationsFolder);
  writes.push(...plan.writes);
  await refuseOtherMigrations(migrationsFolder, plan.inPlace, plan.migrations, name, folder);
  writes.push({ path: sumPath(paths, folder), content: renderSum(computeSum(plan.migrations)) }, { path: snapshotPath(paths, folder), content: plan.snapshot });
  for (const derived of derivedFiles(paths, folder)) {
    const content = derived.kind === "fresh" ? plan.fresh : await renderTypes(loaded);
    writes.push({ path: derived.path, content: stampFile(content, await inputsHash(derived.kind, plan.snapshot), derived.comment) });
  }
  writes.push({ path: path.join(paths.generatedDir, typesIndexFileName), content: renderTypesIndex([...(await otherDatabases(paths, loaded)), loaded]) });

  const stale = options.force
    ? await staleSchemaFiles(
        schemaFolder,
        files.map((file) => file.fileName),
      )
    : [];
  await writeFilesAtomically(paths.root, writes, stale);
  const lastMigration = plan.migrations[plan.migrations.length - 1];
  return {
    database: name,
    folder,
    tables: loaded.tables.length,
    indexes: loaded.tables.reduce((count, table) => count + table.indexes.length, 0),
    lastMigration: lastMigration.fileName,
    nextNumber: lastMigration.number + 1,
    written: writes.map((write) => displayPath(paths, write.path)),
    notes: introspected.notes,
    lintErrors: runLintRules([loaded]).findings.filter((finding) => finding.severity === "error"),
    history: plan.explanation(displayPath(paths, migrationsFolder)),
  };
}

function checkNames(name: string, folder: string, bindings: string[]): void {
  if (!isPlainIdentifier(name))
    throw new SchemaError(
      {},
      `--database ${JSON.stringify(name)} is not a usable database name`,
      "name the database like its wrangler binding: letters, digits and underscores",
    );
  if (!isPlainIdentifier(folder) || folder === "fresh" || folder.startsWith("_")) {
    throw new SchemaError(
      { database: name },
      `--folder ${JSON.stringify(folder)} is not a usable folder name`,
      "use letters, digits and underscores, not starting with _ (shared code) and not 'fresh' (kept for squashes)",
    );
  }
  const bad = bindings.filter((binding) => !isPlainIdentifier(binding));
  if (bad.length > 0 || bindings.length === 0)
    throw new SchemaError(
      { database: name },
      `--bindings ${JSON.stringify(bad.join(","))} holds a name that is not a binding`,
      "list wrangler bindings separated by commas: SHARD_0,SHARD_1",
    );
}

type History =
  | { kind: "migrations"; dir: string; db: SqliteDatabase; migrations: ExistingMigration[] }
  | { kind: "live"; db: SqliteDatabase; baselineNumber: number; lastRecorded?: string };

/** The database to introspect, and the migration history it came from. */
async function readHistory(source: PullSource, name: string): Promise<History> {
  if (source.kind !== "migrations") {
    const db = await openLiveDatabase(source, name);
    // A baseline takes the number of the last migration the database recorded, so the next one follows it.
    // Names other tools recorded may carry no number, or one no four-digit file name can continue: passed over.
    const numberOf = (fileName: string) => migrationNumber(fileName) ?? 0;
    const lastRecorded = (readAppliedMigrations(db) ?? [])
      .filter((fileName) => numberOf(fileName) > 0 && numberOf(fileName) <= highestMigrationNumber)
      .sort((a, b) => numberOf(a) - numberOf(b))
      .pop();
    return { kind: "live", db, baselineNumber: lastRecorded === undefined ? 1 : numberOf(lastRecorded), lastRecorded };
  }
  const { migrations, otherSqlFiles } = await readMigrationFolder(source.dir);
  if (otherSqlFiles.length > 0) {
    throw new SchemaError(
      { database: name },
      `${source.dir} holds ${otherSqlFiles.join(", ")}, not named NNNN_name.sql (lower case)`,
      "d1-schema reads only NNNN_lower_case_name.sql migrations; rename the files (and their rows in d1_migrations) first",
    );
  }
  if (migrations.length === 0)
    throw new SchemaError(
      { database: name },
      `${source.dir} holds no NNNN_name.sql migration`,
      "give the folder of the database's migrations (wrangler's migrations_dir)",
    );
  const db = openMemoryDatabase();
  try {
    replayMigrations(
      db,
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
    );
  } catch (error) {
    db.close();
    if (!(error instanceof MigrationReplayError)) throw error;
    throw new SchemaError(
      { database: name },
      `${error.file} fails when the folder is replayed the D1 way: ${error.reason}`,
      "fix the migration so that it runs on D1 (foreign keys on, one transaction per file, no BEGIN/COMMIT)",
    );
  }
  return { kind: "migrations", dir: source.dir, db, migrations };
}

/**
 * migrations/<folder>/ may already hold exactly the files pull writes (the folder being adopted in place, or a
 * repeated pull); any other migration there would be applied by wrangler too, so pull refuses rather than mix them.
 */
async function refuseOtherMigrations(
  migrationsFolder: string,
  inPlace: boolean,
  migrations: readonly ExistingMigration[],
  name: string,
  folder: string,
): Promise<void> {
  if (inPlace) return;
  const ours = new Map(migrations.map((migration) => [migration.fileName, migration.sql]));
  const others = [...(await readSqlFiles(migrationsFolder))].filter(([file, sql]) => ours.get(file) !== sql).map(([file]) => file);
  if (others.length > 0) {
    throw new SchemaError(
      { database: name },
      `migrations/${folder}/ already holds ${others.join(", ")}`,
      `adopt that folder itself with --migrations migrations/${folder}, or pull into another --folder`,
    );
  }
}

/**
 * Loads the rendered files the way `generate` loads schema/ (a copy in a temporary folder: the package name they
 * import is the tool's own entry wherever they are), so that what is written is proved to load back as the database
 * before anything is written.
 */
async function loadRenderedSchema(folder: string, files: readonly { fileName: string; content: string }[]): Promise<Database> {
  const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-pull-"));
  try {
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await mkdir(path.join(root, "schema", folder), { recursive: true });
    for (const file of files) await writeFile(path.join(root, "schema", folder, file.fileName), file.content);
    const { definition, tables, objects } = await loadSchemaFolder(path.join(root, "schema"), folder);
    const model = normalizeDatabase(folder, definition, tables, objects);
    const errors = validateDatabase(model);
    if (errors.length > 0) throw new SchemaErrors(errors);
    proveSchemaInSqlite(model);
    return model;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The other databases under schema/, for generated/index.ts; a binding they serve cannot be pulled again. */
async function otherDatabases(paths: ProjectPaths, pulled: Database): Promise<Database[]> {
  const entries = await readdir(paths.schemaDir, { withFileTypes: true }).catch(() => []);
  const others: Database[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith("_") || entry.name === pulled.folder) continue;
    const { folder, definition, tables, objects } = await loadSchemaFolder(paths.schemaDir, entry.name);
    const other = normalizeDatabase(folder, definition, tables, objects);
    const shared = other.bindings.filter((binding) => pulled.bindings.includes(binding));
    if (shared.length > 0) {
      throw new SchemaError(
        { database: pulled.name },
        `serves binding ${shared.join(", ")}, which schema/${folder}/ serves too`,
        "give the pulled database another --database name or --bindings",
      );
    }
    others.push(other);
  }
  return others;
}

async function staleSchemaFiles(schemaFolder: string, keep: readonly string[]): Promise<string[]> {
  const present = await readdir(schemaFolder).catch(() => [] as string[]);
  return present.filter((file) => file.endsWith(".ts") && !keep.includes(file)).map((file) => path.join(schemaFolder, file));
}

interface HistoryPlan {
  migrations: ExistingMigration[];
  writes: FileWrite[];
  snapshot: string;
  fresh: string;
  /** The migrations stay where they are: the folder pulled is migrations/<folder>/ itself. */
  inPlace: boolean;
  explanation: (migrationsFolder: string) => string;
}

/**
 * Keeps a migrations folder when replaying it gives exactly the squash's schema, as `generate` and `check` prove
 * it for every new migration; otherwise (a SQLite file or dump, or hand-written SQL spelled unlike the squash:
 * VARCHAR(255), DATETIME) starts the folder with a baseline numbered like the last migration.
 */
function planHistory(history: History, loaded: Database, migrationsFolder: string): HistoryPlan {
  if (history.kind === "migrations") {
    const { migrations } = history;
    const last = migrations[migrations.length - 1];
    const fresh = renderFreshSchema(loaded, last.fileName);
    const inPlace = path.resolve(history.dir) === path.resolve(migrationsFolder);
    const replay = replayAgainstSquash(
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
      fresh,
    );
    if (replay.same) {
      return {
        migrations,
        writes: inPlace ? [] : migrations.map((migration) => ({ path: path.join(migrationsFolder, migration.fileName), content: migration.sql })),
        snapshot: renderCurrentSnapshot({
          version: 2,
          lastMigration: last.fileName,
          folderHash: computeSum(migrations).folderHash,
          database: loaded,
        }),
        fresh,
        inPlace,
        explanation: (folder) =>
          `${folder}/ keeps the ${migrations.length} migrations as they are (${migrations[0].fileName} … ${last.fileName}): databases that applied them see nothing pending, new ones replay the same history.`,
      };
    }
    const spelling = `the folder's SQL spells the schema unlike the squash d1-schema writes (${spellingDifferences(replay.replayed, replay.squashed)}), and every new migration is proved by comparing the two`;
    if (inPlace) {
      throw new SchemaError(
        { database: loaded.name },
        `cannot adopt migrations/${loaded.folder}/ in place: ${spelling}`,
        `move the hand-written files to another folder and pull --migrations from there: pull then starts migrations/${loaded.folder}/ with a baseline numbered ${formatMigrationNumber(last.number)}`,
      );
    }
    return baselinePlan(
      loaded,
      migrationsFolder,
      last.number,
      (folder, baseline) =>
        `${folder}/ starts with ${baseline}, the whole schema with IF NOT EXISTS numbered like ${last.fileName}: ${spelling}. wrangler applies it as a no-op on databases that applied the old files; a new database built from it lacks whatever views, triggers or rows the old files made.`,
    );
  }
  const { lastRecorded } = history;
  return baselinePlan(
    loaded,
    migrationsFolder,
    history.baselineNumber,
    (folder, baseline) =>
      `${folder}/ starts with ${baseline}, the whole schema with IF NOT EXISTS, ${lastRecorded ? `numbered like ${lastRecorded}, the last migration the database recorded in d1_migrations` : "numbered 0001 as the database records no migration"}: wrangler applies it as a no-op where the database exists and as a full build on a new one.`,
  );
}

/** Where two PRAGMA shapes (sqlite/shape.ts) differ, as a short list: `users.email declared VARCHAR(255), not TEXT`. */
function spellingDifferences(replayed: string, squashed: string): string {
  type Shape = { name: string; columns: { name: string; type: string; dflt_value: string | null }[] };
  const squashTables = new Map((JSON.parse(squashed) as Shape[]).map((table) => [table.name, table]));
  const found: string[] = [];
  for (const table of JSON.parse(replayed) as Shape[]) {
    const other = squashTables.get(table.name);
    for (const column of table.columns) {
      const twin = other?.columns.find((candidate) => candidate.name === column.name);
      if (!twin) continue;
      if (twin.type !== column.type) found.push(`${table.name}.${column.name} declared ${column.type || "without a type"}, not ${twin.type}`);
      else if (twin.dflt_value !== column.dflt_value) found.push(`${table.name}.${column.name} defaulting to ${column.dflt_value}, not ${twin.dflt_value}`);
    }
  }
  if (found.length === 0) return "index or constraint texts";
  return found.length > 3 ? `${found.slice(0, 3).join("; ")}; and ${found.length - 3} more` : found.join("; ");
}

function baselinePlan(loaded: Database, migrationsFolder: string, number: number, explain: (folder: string, baseline: string) => string): HistoryPlan {
  const generation = generateDatabase(loaded, undefined, [], { allowDestructive: false, baselineNumber: number });
  const baseline = generation.migration!;
  return {
    migrations: [{ ...parseMigrationFileName(baseline.fileName)!, sql: baseline.sql }],
    writes: [{ path: path.join(migrationsFolder, baseline.fileName), content: baseline.sql }],
    snapshot: generation.snapshot,
    fresh: generation.fresh!,
    inPlace: false,
    explanation: (folder) => explain(folder, baseline.fileName),
  };
}

function describePullSource(source: PullSource): string {
  return source.kind === "migrations"
    ? `migrations folder ${path.basename(path.resolve(source.dir))}/`
    : describeSource({ ...source, file: path.basename(source.file) });
}
