// `audit`: the schema audit report (audit/report.ts) from schema/ and migrations/, and, when asked, the local
// databases and saved production status. `--write` (and `generate`, once docs/AUDIT.md exists) keeps the committed
// report and its diagrams in docs/; they are stamped like the squash, so `check` tells a stale report cheaply.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { replayHistory } from "../audit/history.js";
import { renderAuditMarkdown } from "../audit/render-markdown.js";
import { buildAudit, type AuditInput, type AuditReport } from "../audit/report.js";
import { renderErDiagram } from "../docs/er-diagram.js";
import { generatorFingerprint, stampFile, stampState, type StampState } from "../io/fingerprint.js";
import type { LoadedDatabase } from "../io/load-schema.js";
import { parseMigrationFileName, type ExistingMigration } from "../project/migration-files.js";
import { databaseMigrationsDir, snapshotPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { openLocalDatabases } from "../wrangler/local-state.js";
import { noPendingWrites, readThrough, type FileWrite, type PendingWrites } from "../io/write-files.js";
import { quoteIdentifier } from "../model/identifiers.js";
import type { Database as Model } from "../model/model.js";
import { loadSchema } from "../project/load-models.js";
import { readDatabaseState } from "../project/database-state.js";
import { runStatus } from "./status.js";

export interface AuditOptions {
  /** Read the local databases: applied migrations and row counts. */
  local: boolean;
  /** Saved production status files, as `status --remote-status` takes them. */
  remoteStatus: readonly string[];
  config?: string;
  persistTo?: string;
}

export const auditDocument = "AUDIT.md";

export function docsDir(paths: ProjectPaths): string {
  return path.join(paths.root, "docs");
}

export function diagramPath(paths: ProjectPaths, folder: string, file: string): string {
  return path.join(docsDir(paths), "diagrams", folder, `${file}.md`);
}

export interface LoadedSchema {
  models: Model[];
  files: Map<string, LoadedDatabase["files"]>;
}

/**
 * The report. generate passes the schema it has loaded and the files it is about to write (`pending`): the committed
 * report is made from the tree as that commit leaves it, and written in the same commit.
 */
export async function runAudit(
  paths: ProjectPaths,
  options: AuditOptions,
  loaded?: LoadedSchema,
  pending: PendingWrites = noPendingWrites,
): Promise<LoadedSchema & { report: AuditReport }> {
  const { models, files } = loaded ?? (await loadSchema(paths.schemaDir, { prove: false }));
  const databases: AuditInput["databases"] = [];
  for (const model of models) {
    const migrations = migrationsThrough(databaseMigrationsDir(paths, model.folder), (await readDatabaseState(paths, model)).migrations, pending);
    databases.push({ model, migrations, history: replayHistory(migrations), files: files.get(model.folder) ?? [] });
  }
  const withState = options.local || options.remoteStatus.length > 0;
  const status = withState
    ? await runStatus(paths, { local: options.local, remoteStatus: options.remoteStatus, config: options.config, persistTo: options.persistTo })
    : undefined;
  const rowCounts = options.local ? await localRowCounts(paths, models, options) : undefined;
  return { report: buildAudit({ databases, status, rowCounts }), models, files };
}

/** A database's migrations once `pending` is written: its new files added, rewritten ones replaced, in file order. */
function migrationsThrough(dir: string, onDisk: readonly ExistingMigration[], pending: PendingWrites): ExistingMigration[] {
  const byName = new Map(onDisk.map((migration) => [migration.fileName, migration]));
  for (const [file, sql] of pending) {
    const migration = path.dirname(file) === path.resolve(dir) ? parseMigrationFileName(path.basename(file)) : undefined;
    if (migration) byName.set(migration.fileName, { ...migration, sql });
  }
  return [...byName.keys()].sort().map((fileName) => byName.get(fileName)!);
}

/** Rows of each schema table in each binding's local database (wrangler's state), for the empty-table finding. */
async function localRowCounts(paths: ProjectPaths, models: readonly Model[], options: AuditOptions): Promise<Map<string, Map<string, number>>> {
  const counts = new Map<string, Map<string, number>>();
  for (const [binding, db] of await openLocalDatabases(paths.root, options)) {
    try {
      const model = models.find((candidate) => candidate.bindings.includes(binding));
      if (!model) continue;
      const present = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
      const tableCounts = new Map<string, number>();
      for (const table of model.tables.filter((candidate) => present.has(candidate.name))) {
        tableCounts.set(table.name, (db.prepare(`SELECT count(*) AS rows FROM ${quoteIdentifier(table.name)}`).get() as { rows: number }).rows);
      }
      counts.set(binding, tableCounts);
    } finally {
      db.close();
    }
  }
  return counts;
}

/**
 * What the committed docs are made from: every snapshot and migrations sum (the schema and its history), which file
 * defines which table, and the generator's rendering code. Equal inputs give equal docs, so a stamp says "current".
 */
export async function auditInputsHash(
  paths: ProjectPaths,
  models: readonly Model[],
  files: Map<string, LoadedDatabase["files"]>,
  pending: PendingWrites = noPendingWrites,
): Promise<string> {
  const parts = await Promise.all(
    models.map(async (model) => {
      const read = async (file: string) => (await readThrough(pending, file)) ?? "(none)";
      return [
        model.folder,
        await read(snapshotPath(paths, model.folder)),
        await read(sumPath(paths, model.folder)),
        JSON.stringify(files.get(model.folder) ?? []),
      ].join("\0");
    }),
  );
  return createHash("sha256")
    .update(["audit", await generatorFingerprint(), ...parts].join("\0\0"))
    .digest("base64url")
    .slice(0, 32);
}

/** docs/AUDIT.md and one ER diagram a schema file, stamped. */
export async function renderAuditDocuments(
  paths: ProjectPaths,
  report: AuditReport,
  models: readonly Model[],
  files: Map<string, LoadedDatabase["files"]>,
  pending: PendingWrites = noPendingWrites,
): Promise<FileWrite[]> {
  const inputs = await auditInputsHash(paths, models, files, pending);
  const writes: FileWrite[] = [];
  for (const model of models) {
    for (const { file, tables } of files.get(model.folder) ?? []) {
      const content = [
        `# ${model.name}: ${file}.ts`,
        "",
        `Tables defined in \`schema/${model.folder}/${file}.ts\`; tables of other files appear without columns. Back to the [audit](../../${auditDocument}).`,
        "",
        renderErDiagram(model, tables),
      ].join("\n");
      writes.push({ path: diagramPath(paths, model.folder, file), content: stampFile(content, inputs, "<!--") });
    }
  }
  const markdown = renderAuditMarkdown(report, {
    diagramLinks: (folder, file) => (files.get(folder)?.some((entry) => entry.file === file) ? `diagrams/${folder}/${file}.md` : undefined),
  });
  writes.push({ path: path.join(docsDir(paths), auditDocument), content: stampFile(markdown, inputs, "<!--") });
  return writes;
}

/** The state of each committed document that exists (or should: every diagram once the report exists). */
export async function auditDocumentStates(
  paths: ProjectPaths,
  models: readonly Model[],
  files: Map<string, LoadedDatabase["files"]>,
  pending: PendingWrites = noPendingWrites,
): Promise<{ path: string; state: StampState }[] | undefined> {
  const report = path.join(docsDir(paths), auditDocument);
  if (!existsSync(report) && !pending.has(path.resolve(report))) return undefined;
  const inputs = await auditInputsHash(paths, models, files, pending);
  const expected = [report, ...models.flatMap((model) => (files.get(model.folder) ?? []).map(({ file }) => diagramPath(paths, model.folder, file)))];
  return Promise.all(expected.map(async (file) => ({ path: file, state: stampState(await readThrough(pending, file), inputs) })));
}
