// The committed audit: docs/AUDIT.md and one ER diagram a schema file, made from schema/ and migrations/ alone
// and stamped like the squash, so that `check` tells a stale report cheaply and `generate` rewrites it in the
// commit that changes what it describes.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { renderErDiagram } from "../docs/er-diagram.js";
import { generatorFingerprint, stampFile, stampState, type StampState } from "../io/fingerprint.js";
import type { LoadedDatabase } from "../io/load-schema.js";
import { databaseMigrationsDir, snapshotPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { noPendingWrites, readThrough, type FileWrite, type PendingWrites } from "../io/write-files.js";
import type { Database as Model } from "../model/model.js";
import { reportPhase } from "../io/progress.js";
import { readDatabaseState } from "../project/database-state.js";
import { parseMigrationFileName, type ExistingMigration } from "../project/migration-files.js";
import { replayHistory } from "./history.js";
import { renderAuditMarkdown } from "./render-markdown.js";
import { buildAudit, type AuditInput, type AuditReport } from "./report.js";

export const auditDocument = "AUDIT.md";

export function docsDir(paths: ProjectPaths): string {
  return paths.docsDir;
}

export function diagramPath(paths: ProjectPaths, folder: string, file: string): string {
  return path.join(docsDir(paths), "diagrams", folder, `${file}.md`);
}

export interface LoadedSchema {
  models: Model[];
  files: Map<string, LoadedDatabase["files"]>;
}

/** Each database's part of the audit input: its migrations once `pending` is written, their history, its schema files. */
export async function readAuditDatabases(
  paths: ProjectPaths,
  { models, files }: LoadedSchema,
  pending: PendingWrites = noPendingWrites,
): Promise<AuditInput["databases"]> {
  const databases: AuditInput["databases"] = [];
  for (const model of models) {
    const migrations = migrationsThrough(databaseMigrationsDir(paths, model.folder), (await readDatabaseState(paths, model)).migrations, pending);
    databases.push({ model, migrations, history: replayHistory(migrations), files: files.get(model.folder) ?? [] });
  }
  return databases;
}

/**
 * The committed documents `generate` must rewrite: none when the project has no docs/AUDIT.md or every document is
 * current. They are made from the tree as `pending` (generate's other writes) leaves it, and written in its commit.
 */
export async function staleAuditDocumentWrites(paths: ProjectPaths, loaded: LoadedSchema, pending: PendingWrites): Promise<FileWrite[]> {
  const documents = await auditDocumentStates(paths, loaded.models, loaded.files, pending);
  if (!documents?.some((document) => document.state !== "current")) return [];
  reportPhase("rendering the audit report and diagrams");
  const report = buildAudit({ databases: await readAuditDatabases(paths, loaded, pending) });
  // Only what changed: a diagram is stamped by its own content, so one whose tables did not change stays as it is.
  const writes = await renderAuditDocuments(paths, report, loaded.models, loaded.files, pending);
  const current = await Promise.all(writes.map((write) => readThrough(pending, write.path)));
  return writes.filter((write, index) => current[index] !== write.content);
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
      const content = diagramContent(model, file, tables);
      writes.push({ path: diagramPath(paths, model.folder, file), content: stampFile(content, await diagramInputs(content), "<!--") });
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
  // A diagram's inputs are its own content (cheap to render, no SQLite), so a change elsewhere leaves it current.
  const expected: { path: string; inputs: string }[] = [{ path: report, inputs }];
  for (const model of models) {
    for (const { file, tables } of files.get(model.folder) ?? []) {
      expected.push({ path: diagramPath(paths, model.folder, file), inputs: await diagramInputs(diagramContent(model, file, tables)) });
    }
  }
  return Promise.all(expected.map(async (file) => ({ path: file.path, state: stampState(await readThrough(pending, file.path), file.inputs) })));
}

/** The Markdown of one schema file's ER diagram, unstamped. */
function diagramContent(model: Model, file: string, tables: readonly string[]): string {
  return [
    `# ${model.name}: ${file}.ts`,
    "",
    `Tables defined in \`schema/${model.folder}/${file}.ts\`; tables of other files appear without columns. Back to the [audit](../../${auditDocument}).`,
    "",
    renderErDiagram(model, tables),
  ].join("\n");
}

/** A diagram's stamp inputs: what it shows and the code that drew it. */
async function diagramInputs(content: string): Promise<string> {
  return createHash("sha256")
    .update(["diagram", await generatorFingerprint(), content].join("\0"))
    .digest("base64url")
    .slice(0, 32);
}
