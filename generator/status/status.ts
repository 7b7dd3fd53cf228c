// Where every binding's databases stand (each shard on its own), what `status` prints and the audit reads: which
// migrations are applied and which pending, locally (wrangler's local state) and in production (saved `wrangler d1
// execute --remote` output), with what each pending file does and the findings wrangler would not tell: files it
// lists that are gone, renamed or edited files, and pending files numbered below applied ones, which wrangler
// applies late, out of order.
import { existsSync } from "node:fs";
import path from "node:path";
import { databaseMigrationsDir, displayPath, type ProjectPaths } from "../io/paths.js";
import { isBaselineMigration } from "../project/baseline.js";
import { readDatabaseFolders } from "../project/database-state.js";
import { filesSharingANumber, formatMigrationNumber, migrationNumber, readSqlFiles } from "../project/migration-files.js";
import { hashContent, readSum, sumFileName, type MigrationSum } from "../project/migration-sum.js";
import { d1EntryWords } from "../wrangler/bindings.js";
import { configFormat, readWranglerD1Config, type D1DatabaseConfig } from "../wrangler/config.js";
import { localDatabaseFile, localDatabaseFiles, localStateDir, readLocalAppliedMigrations } from "../wrangler/local-state.js";
import { readRemoteStatus } from "../wrangler/remote-state.js";
import { WranglerStateError } from "../wrangler/state-error.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { inspectTables, type TableShape } from "../sqlite/shape.js";
import { renderMigrationEffect, type MigrationEffect } from "../sqlite/migration-effects.js";
import { MigrationReplayError, replayMigrations } from "../sqlite/replay.js";
import { objectChanges, shapeChanges } from "../sqlite/shape-changes.js";
import { objectShapes, readObjects } from "../sqlite/objects.js";
import type { Finding, StatusKind } from "../model/finding.js";
import { SchemaError } from "../model/errors.js";

export type StatusFinding = Finding<StatusKind>;

const found = (kind: StatusKind, where: Pick<StatusFinding, "binding" | "side">, message: string, fix?: string): StatusFinding => ({
  severity: "error",
  kind,
  ...where,
  message,
  ...(fix === undefined ? {} : { fix }),
});

export interface StatusOptions {
  /** The wrangler config file; default: wrangler.json, wrangler.jsonc or wrangler.toml in the project root. */
  config?: string;
  /** wrangler's `--persist-to`; default: .wrangler/state beside the config. */
  persistTo?: string;
  /** A wrangler environment (`--env`): its d1_databases instead of the top level's. */
  env?: string;
  /** Read the local databases. */
  local: boolean;
  /** Saved production status files: `BINDING=FILE` or a `FILE` mapping bindings (wrangler/remote-state.ts). */
  remoteStatus: readonly string[];
}

/** A pending file and what it does to the schema, found by applying it to a replay of the applied migrations. */
export interface PendingEffects {
  file: string;
  effects: MigrationEffect[];
}

/** A pending file with its effects in words (renderMigrationEffect), as status reported them before they were data. */
export interface PendingMigration {
  file: string;
  effects: string[];
}

export type DatabaseStatus =
  | {
      state: "found";
      /** `applied/total` as in ClearLift's audit: names recorded, and those plus the pending files. */
      summary: string;
      applied: string[];
      /** The pending files in order, with what each does (data). */
      pendingEffects: PendingEffects[];
      /** `pendingEffects` in words, kept for readers of status's JSON. */
      pending: PendingMigration[];
      /** Recorded names the folder no longer has. */
      missing: string[];
      /** The folder's baseline, when this database applied the history it adopts (so running it is a no-op). */
      adoptedBaseline?: string;
    }
  | { state: "no local database"; file: string; summary: string }
  | { state: "not in wrangler config"; summary: string };

export interface BindingStatus {
  binding: string;
  /** The schema that serves it (absent for a binding only wrangler's config names). */
  database?: string;
  migrationsDir: string;
  local?: DatabaseStatus;
  remote?: DatabaseStatus;
}

export interface StatusReport {
  wranglerConfig?: string;
  bindings: BindingStatus[];
  /** Local database files no binding of the config maps to (a database_id changed since they were made?). */
  unmatchedLocalFiles: string[];
  findings: StatusFinding[];
}

/** A migrations folder as wrangler sees it: every *.sql in name order (wrangler-dist/cli.js, getMigrationNames). */
interface Folder {
  dir: string;
  display: string;
  files: string[];
  sql: Map<string, string>;
  sum?: MigrationSum;
  /** Why `sum` is absent when the folder has one: a malformed line. */
  sumFinding?: StatusFinding;
  /** The first file, when `d1-schema baseline` wrote it: it adopts every migration numbered up to its own. */
  baseline?: string;
}

export async function readStatus(paths: ProjectPaths, options: StatusOptions): Promise<StatusReport> {
  const config = await readWranglerD1Config(paths, options.config, options.env);
  const remote = await readRemoteStatus(options.remoteStatus);
  const context: Context = { findings: [], effects: new Map() };
  const { findings } = context;
  const targets = await bindingTargets(paths, config?.databases ?? [], findings);
  for (const binding of remote.keys()) {
    if (!targets.some((target) => target.binding === binding)) {
      throw new WranglerStateError(`--remote-status names ${binding}, which neither the wrangler config nor a snapshot under migrations/ serves`);
    }
  }
  if (targets.length === 0)
    throw new WranglerStateError(`no D1 bindings: ${paths.root} has neither a wrangler config with [[d1_databases]] nor snapshots under migrations/`);

  const stateDir = localStateDir(config ? path.dirname(config.path) : paths.root, options.persistTo);
  if (options.local && !config) {
    findings.push(
      found(
        "no-wrangler-config",
        {},
        `no wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) in ${paths.root}, so no local database can be found`,
        "pass --config, or --no-local",
      ),
    );
  }
  const folders = new Map<string, Folder>();
  const bindings: BindingStatus[] = [];
  for (const target of targets) {
    let folder = folders.get(target.migrationsDir);
    if (!folder) {
      folder = await readFolder(paths, target.migrationsDir);
      folders.set(target.migrationsDir, folder);
      if (folder.sumFinding) findings.push(folder.sumFinding);
      findings.push(...duplicateNumbers(folder));
    }
    const status: BindingStatus = { binding: target.binding, database: target.database, migrationsDir: folder.display };
    if (options.local && config) {
      status.local = localStatus(target, folder, stateDir, config.path, context);
    }
    const applied = remote.get(target.binding);
    if (applied) status.remote = recordedStatus(target.binding, "remote", applied, folder, context);
    bindings.push(status);
  }
  const matched = new Set(targets.flatMap((target) => (target.config ? [localDatabaseFile(stateDir, target.config)] : [])));
  const unmatchedLocalFiles =
    options.local && config
      ? localDatabaseFiles(stateDir)
          .filter((file) => !matched.has(file))
          .map((file) => displayPath(paths, file))
      : [];
  return { wranglerConfig: config && displayPath(paths, config.path), bindings, unmatchedLocalFiles, findings };
}

interface BindingTarget {
  binding: string;
  database?: string;
  config?: D1DatabaseConfig;
  /** The folder wrangler applies: the config's migrations_dir, or the schema's migrations/<folder>. */
  migrationsDir: string;
}

/** The schema's bindings (from the snapshots, so the schema need not load) and those only wrangler's config names. */
async function bindingTargets(paths: ProjectPaths, configured: readonly D1DatabaseConfig[], findings: StatusFinding[]): Promise<BindingTarget[]> {
  const byBinding = new Map(configured.map((config) => [config.binding, config]));
  const targets: BindingTarget[] = [];
  for (const { folder, snapshot } of await readDatabaseFolders(paths)) {
    if (!snapshot) continue;
    const schemaDir = databaseMigrationsDir(paths, folder);
    for (const binding of snapshot.database.bindings) {
      const config = byBinding.get(binding);
      if (config && path.resolve(config.migrationsDir) !== path.resolve(schemaDir)) {
        findings.push(
          found(
            "migrations-dir-differs",
            { binding },
            `the wrangler config's migrations_dir is ${displayPath(paths, config.migrationsDir)}, but its migrations are in ${displayPath(paths, schemaDir)}/`,
            `set migrations_dir = "${displayPath(paths, schemaDir)}"`,
          ),
        );
      }
      targets.push({ binding, database: snapshot.database.name, config, migrationsDir: config?.migrationsDir ?? schemaDir });
    }
  }
  for (const config of configured) {
    if (!targets.some((target) => target.binding === config.binding)) targets.push({ binding: config.binding, config, migrationsDir: config.migrationsDir });
  }
  return targets;
}

async function readFolder(paths: ProjectPaths, dir: string): Promise<Folder> {
  const sql = await readSqlFiles(dir);
  const files = [...sql.keys()];
  const first = files[0];
  return {
    dir,
    display: `${displayPath(paths, dir)}/`,
    files,
    sql,
    ...(await readFolderSum(paths, dir)),
    baseline: first !== undefined && isBaselineMigration(sql.get(first) ?? "") ? first : undefined,
  };
}

/** The folder's sum; a malformed one is a finding, and status goes on without the hints a sum gives. */
async function readFolderSum(paths: ProjectPaths, dir: string): Promise<Pick<Folder, "sum" | "sumFinding">> {
  const file = path.join(dir, sumFileName);
  try {
    return { sum: await readSum(file, undefined, displayPath(paths, file)) };
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    return { sumFinding: error.toFinding("sum-malformed") };
  }
}

/** wrangler's number of a file; NaN for a name without one, so that no comparison holds for it. */
function numberOf(file: string): number {
  return migrationNumber(file) ?? Number.NaN;
}

function duplicateNumbers(folder: Folder): StatusFinding[] {
  return filesSharingANumber(folder.files).map(({ fileNames }) =>
    found(
      "duplicate-number",
      {},
      `${folder.display}: ${fileNames.join(" and ")} share a number (two branches merged?)`,
      "wrangler applies both, in name order; keep the one databases applied and give the other the next number",
    ),
  );
}

/** What one run collects: the findings, and each pending list's effects (shards share them). */
interface Context {
  findings: StatusFinding[];
  effects: Map<string, PendingEffects[]>;
}

function localStatus(target: BindingTarget, folder: Folder, stateDir: string, configPath: string, context: Context): DatabaseStatus {
  const apply = `npx wrangler d1 migrations apply ${target.binding} --local`;
  if (!target.config) {
    context.findings.push(
      found(
        "not-in-wrangler-config",
        { binding: target.binding },
        `the wrangler config has no ${d1EntryWords(configPath, 1)} for it, so wrangler cannot apply its migrations`,
        `add one with ${configFormat(configPath) === "toml" ? "migrations_dir = " : '"migrations_dir": '}"${folder.display.slice(0, -1)}"`,
      ),
    );
    return { state: "not in wrangler config", summary: "not in wrangler config" };
  }
  const file = localDatabaseFile(stateDir, target.config);
  if (!existsSync(file)) {
    context.findings.push(found("no-local-database", { binding: target.binding, side: "local" }, "no local database", `run \`${apply}\``));
    return { state: "no local database", file, summary: "no local database" };
  }
  return recordedStatus(target.binding, "local", readLocalAppliedMigrations(file, target.config.migrationsTable), folder, context);
}

/** Where a database stands, from the names its migrations table lists, against the folder. */
function recordedStatus(binding: string, side: "local" | "remote", recorded: readonly string[], folder: Folder, context: Context): DatabaseStatus {
  const { findings } = context;
  const where = { binding, side };
  const inFolder = new Set(folder.files);
  const names = new Set(recorded);
  let missing = recorded.filter((name) => !inFolder.has(name));
  // A baseline adopts history: the names it replaces (numbered up to its own) are not missing, and a database whose
  // history reaches its number has its schema, so wrangler running it there is a no-op (IF NOT EXISTS).
  const baseline = folder.baseline !== undefined && !names.has(folder.baseline) ? folder.baseline : undefined;
  const baselineNumber = folder.baseline === undefined ? Number.NaN : numberOf(folder.baseline);
  const replaced = missing.filter((name) => numberOf(name) <= baselineNumber);
  missing = missing.filter((name) => !replaced.includes(name));
  const adoptedBaseline = baseline && replaced.some((name) => numberOf(name) === baselineNumber) ? baseline : undefined;
  const behindBaseline = baseline && replaced.length > 0 && !adoptedBaseline ? replaced[replaced.length - 1] : undefined;
  if (behindBaseline) {
    findings.push(
      found(
        "behind-baseline",
        where,
        `its history ends at ${behindBaseline}, below ${baseline}, which takes the schema as of ${formatMigrationNumber(baselineNumber)} as given`,
        "apply the old migrations up to that number first",
      ),
    );
  }
  const pendingFiles = folder.files.filter((file) => !names.has(file) && file !== adoptedBaseline);

  for (const name of missing) {
    const successor = pendingFiles.find((file) => numberOf(file) === numberOf(name));
    const sameContent = successor !== undefined && folder.sum?.files.get(name) === hashContent(folder.sql.get(successor) ?? "");
    findings.push(
      successor
        ? found(
            "applied-renamed",
            where,
            `d1_migrations lists ${name}, which ${folder.display} no longer has, and ${successor} has its number and is pending: renamed${sameContent ? " (migrations.sum shows the same content)" : "?"}; wrangler knows migrations by name and would apply it again`,
            "rename it back",
          )
        : found(
            "applied-removed",
            where,
            `d1_migrations lists ${name}, which ${folder.display} no longer has`,
            "the database keeps its changes; restore the file from git",
          ),
    );
  }
  for (const name of recorded.filter((file) => inFolder.has(file))) {
    const hash = folder.sum?.files.get(name);
    if (hash !== undefined && hash !== hashContent(folder.sql.get(name) ?? "")) {
      findings.push(
        found(
          "applied-edited",
          where,
          `${folder.display}${name} was edited after it was generated (migrations.sum), and this database applied it`,
          "d1_migrations keeps only names, so it has the old version; restore the file from git and put the change in a new migration",
        ),
      );
    }
  }
  const highestApplied = Math.max(-1, ...recorded.map(numberOf).filter(Number.isFinite));
  const outOfOrder = pendingFiles.filter((file) => numberOf(file) < highestApplied);
  for (const file of outOfOrder) {
    findings.push(
      found(
        "pending-out-of-order",
        where,
        `${file} is pending but numbered below ${formatMigrationNumber(highestApplied)}, which is applied`,
        "wrangler would apply it late, out of order; give it the next number",
      ),
    );
  }

  const base = [...(adoptedBaseline ? [adoptedBaseline] : []), ...recorded.filter((name) => inFolder.has(name))];
  const pending = pendingEffects(folder, base, pendingFiles, context.effects).map((migration): PendingEffects =>
    migration.file === baseline && behindBaseline
      ? { file: migration.file, effects: [{ kind: "skippedByBaseline", historyEndsAt: behindBaseline }] }
      : migration,
  );
  for (const migration of pending) {
    const failure = migration.effects.find((effect) => effect.kind === "fails");
    if (failure) findings.push(found("pending-fails", where, `${migration.file} ${renderMigrationEffect(failure)}`));
  }
  if (pending.length > 0 && !behindBaseline) {
    findings.push(
      found(
        "pending",
        where,
        `${pending.length} pending: ${pending.map((migration) => migration.file).join(", ")}`,
        `run \`npx wrangler d1 migrations apply ${binding} --${side}\``,
      ),
    );
  }
  return {
    state: "found",
    summary: `${recorded.length}/${recorded.length + pending.length}${missing.length > 0 ? `, ${missing.length} missing` : ""}`,
    applied: [...recorded],
    pendingEffects: pending,
    pending: pending.map((migration) => ({ file: migration.file, effects: migration.effects.map(renderMigrationEffect) })),
    missing,
    adoptedBaseline,
  };
}

/** Each pending file's effect on the schema: applied in turn, the D1 way, on a replay of the applied files. */
function pendingEffects(folder: Folder, applied: readonly string[], pending: readonly string[], cache: Map<string, PendingEffects[]>): PendingEffects[] {
  if (pending.length === 0) return [];
  const cacheKey = [folder.dir, ...applied, "", ...pending].join("\0");
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const files = (names: readonly string[]) => names.map((name) => ({ name, sql: folder.sql.get(name) ?? "" }));
  const db = openMemoryDatabase();
  const result: PendingEffects[] = [];
  try {
    try {
      replayMigrations(db, files(applied));
    } catch (error) {
      if (!(error instanceof MigrationReplayError)) throw error;
      return pending.map((file) => ({ file, effects: [{ kind: "unknown", appliedFile: error.file, reason: error.reason }] }));
    }
    let shape: TableShape[] = inspectTables(db);
    let objects = objectShapes(readObjects(db));
    try {
      replayMigrations(db, files(pending), ({ name }) => {
        const after = inspectTables(db);
        const objectsAfter = objectShapes(readObjects(db));
        const changes = [...shapeChanges(shape, after), ...objectChanges(objects, objectsAfter)];
        result.push({ file: name, effects: changes.length > 0 ? changes : [{ kind: "noSchemaChange" }] });
        shape = after;
        objects = objectsAfter;
      });
    } catch (error) {
      if (!(error instanceof MigrationReplayError)) throw error;
      result.push({ file: error.file, effects: [{ kind: "fails", reason: error.reason }] });
      for (const file of pending.slice(error.index + 1)) result.push({ file, effects: [{ kind: "notReplayed" }] });
    }
  } finally {
    db.close();
  }
  cache.set(cacheKey, result);
  return result;
}
