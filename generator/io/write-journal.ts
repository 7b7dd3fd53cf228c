// The write journal: how a commit of many files (write-files.ts) survives a kill at any instant. Before anything
// else a commit writes its list of changes to <root>/.d1-schema-journal.pending.json; then a temporary file beside
// each target; then it renames the pending journal to .d1-schema-journal.json. That rename is the commit point:
// before it no project file has changed and recovery removes the temporary files; after it every temporary file is
// complete on disk and recovery renames whatever is left into place. Writing the list first means recovery removes
// exactly the files a commit made, never files it guesses from their names.
//
// Paths in the journal are relative to the project root, with forward slashes. A change is a write (its temporary
// file and the sha256 of its new content, so a target already renamed is recognised) or a delete.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { open, readFile, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { journalFileName, pendingJournalFileName } from "./control-files.js";
import { ProjectFileError } from "./project-file-error.js";
import { writePoint } from "./kill-point.js";

const journalSchema = z.object({
  version: z.literal(1),
  changes: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("write"), path: z.string(), temp: z.string(), sha256: z.string() }),
      z.object({ kind: z.literal("delete"), path: z.string() }),
    ]),
  ),
});
export type Journal = z.infer<typeof journalSchema>;

export function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** `file` as the journal names it: relative to the root, forward slashes. */
export function journalPath(root: string, file: string): string {
  return path.relative(path.resolve(root), path.resolve(file)).split(path.sep).join("/");
}

/** Creates `file` (refusing one that exists) and flushes its content to the disk before returning. */
async function createDurably(file: string, content: string): Promise<void> {
  const handle = await open(file, "wx");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes files written without it, and their directories, to the disk: all at once, which the file system
 * batches (one by one, a hundred files cost several times more).
 */
export async function syncFiles(files: readonly string[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const handle = await open(file, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }),
  );
  await Promise.all([...new Set(files.map((file) => path.dirname(file)))].map(syncDirectory));
}

/** Makes the renames and deletes in `dir` durable (a directory is flushed like a file on POSIX systems). */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    // Windows cannot open a directory (EISDIR, EPERM); its renames are durable without it.
    if (!["EISDIR", "EPERM", "EINVAL"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

/** Records a commit's changes before any of its temporary files exists. */
export async function writePendingJournal(root: string, journal: Journal): Promise<void> {
  const committed = path.join(root, journalFileName);
  const pending = path.join(root, pendingJournalFileName);
  if (existsSync(committed) || existsSync(pending)) {
    throw new ProjectFileError(
      existsSync(committed) ? committed : pending,
      "records a write that is under way or was interrupted",
      "run `d1-schema generate`, which completes it first",
    );
  }
  writePoint();
  await createDurably(pending, `${JSON.stringify(journal, null, 2)}\n`);
}

/** The commit point: from here on the commit is completed, now or by the next writing command. */
export async function commitJournal(root: string): Promise<void> {
  writePoint();
  await rename(path.join(root, pendingJournalFileName), path.join(root, journalFileName));
  await syncDirectory(root);
}

/** Renames every temporary file still present into place and deletes what is to be deleted, then flushes. */
export async function rollForward(root: string, journal: Journal): Promise<void> {
  const dirs = new Set<string>();
  for (const change of journal.changes) {
    const target = path.resolve(root, change.path);
    dirs.add(path.dirname(target));
    const source = change.kind === "write" ? path.resolve(root, change.temp) : target;
    if (!existsSync(source)) continue;
    writePoint();
    if (change.kind === "write") await rename(source, target);
    else await rm(target, { force: true });
  }
  await Promise.all([...dirs].map(syncDirectory));
}

export async function removeJournal(root: string): Promise<void> {
  writePoint();
  await unlink(path.join(root, journalFileName));
  await syncDirectory(root);
}

/** Removes the temporary files and the pending journal of a commit that did not reach its commit point. */
export async function discardPending(root: string, journal: Journal | undefined): Promise<number> {
  let removed = 0;
  for (const change of journal?.changes ?? []) {
    if (change.kind !== "write" || !existsSync(path.resolve(root, change.temp))) continue;
    writePoint();
    await rm(path.resolve(root, change.temp), { force: true });
    removed++;
  }
  writePoint();
  await rm(path.join(root, pendingJournalFileName), { force: true });
  return removed;
}

/**
 * Run by every writing command at its start, under the project lock: completes a write interrupted after its commit
 * point, or removes what one interrupted before it left. Returns the lines to tell the user (none: nothing was left).
 * A journal that cannot be completed is a ProjectFileError and nothing is touched.
 */
export async function recoverInterruptedWrite(root: string): Promise<string[]> {
  const lines: string[] = [];
  const committedFile = path.join(root, journalFileName);
  const committed = await readFile(committedFile, "utf8").catch(() => undefined);
  if (committed !== undefined) {
    const journal = parseJournal(committed);
    if (!journal) throw unreadableJournal(root, committed);
    const broken = await unfinishableChanges(root, journal);
    if (broken.length > 0) throw unfinishableJournal(root, journal, broken);
    await rollForward(root, journal);
    await removeJournal(root);
    lines.push(`d1-schema: completed a write that was interrupted after it committed (${describeFiles(journal)})`);
  }
  const pending = await readFile(path.join(root, pendingJournalFileName), "utf8").catch(() => undefined);
  if (pending !== undefined) {
    // A pending journal that does not parse was cut short while it was written, before any temporary file.
    const removed = await discardPending(root, parseJournal(pending));
    lines.push(
      `d1-schema: removed ${removed} temporary file${removed === 1 ? "" : "s"} of a write interrupted before it committed (no project file had changed)`,
    );
  }
  return lines;
}

/** For `check`: a journal left in the root means files may be half-written (after the commit) or left over. */
export async function interruptedWriteFindings(root: string): Promise<string[]> {
  const findings: string[] = [];
  const committed = await readFile(path.join(root, journalFileName), "utf8").catch(() => undefined);
  if (committed !== undefined) {
    const journal = parseJournal(committed);
    if (!journal) {
      const error = unreadableJournal(root, committed);
      findings.push(`${error.file} ${error.problem}: ${error.hint}`);
    } else {
      findings.push(
        `${journalFileName}: a write was interrupted after it committed; some of its files may still be old (${describeFiles(journal)}): run \`npx d1-schema generate\`, which completes it first`,
      );
    }
  }
  const pending = await readFile(path.join(root, pendingJournalFileName), "utf8").catch(() => undefined);
  if (pending !== undefined) {
    const temps = (parseJournal(pending)?.changes ?? []).flatMap((change) =>
      change.kind === "write" && existsSync(path.resolve(root, change.temp)) ? [change.temp] : [],
    );
    findings.push(
      `${pendingJournalFileName}: a write was interrupted before it committed and left ${temps.length} temporary file${temps.length === 1 ? "" : "s"}${temps.length > 0 ? ` (${temps.join(", ")})` : ""}; no project file changed: run \`npx d1-schema generate\`, which removes them first`,
    );
  }
  return findings;
}

function parseJournal(text: string): Journal | undefined {
  try {
    const parsed = journalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

type Unfinishable = { path: string; reason: string };

/** Changes that rolling forward cannot complete: a temporary file that is not what was written, or missing. */
async function unfinishableChanges(root: string, journal: Journal): Promise<Unfinishable[]> {
  const broken: Unfinishable[] = [];
  for (const change of journal.changes) {
    if (change.kind !== "write") continue;
    const temp = await readFile(path.resolve(root, change.temp)).catch(() => undefined);
    if (temp !== undefined) {
      if (sha256(temp) !== change.sha256) broken.push({ path: change.path, reason: `its temporary file ${change.temp} is not what was written` });
      continue;
    }
    const target = await readFile(path.resolve(root, change.path)).catch(() => undefined);
    if (target === undefined || sha256(target) !== change.sha256) {
      broken.push({
        path: change.path,
        reason: `its temporary file ${change.temp} is gone and the file ${target === undefined ? "is missing" : "holds other content"}`,
      });
    }
  }
  return broken;
}

function unreadableJournal(root: string, text: string): ProjectFileError {
  // What can still be read of a cut-short journal names the files to restore.
  const named = [...text.matchAll(/"(path|temp)"\s*:\s*"([^"]+)"/g)];
  const files = named.filter((match) => match[1] === "path").map((match) => match[2]);
  const temps = named.filter((match) => match[1] === "temp").map((match) => match[2]);
  return new ProjectFileError(
    path.join(root, journalFileName),
    "is unreadable (cut short or edited), so the interrupted write it records cannot be completed: some of its files may be new and others old",
    restoreHint(root, files, temps, true),
  );
}

function unfinishableJournal(root: string, journal: Journal, broken: readonly Unfinishable[]): ProjectFileError {
  const files = journal.changes.map((change) => change.path);
  const temps = journal.changes.flatMap((change) => (change.kind === "write" ? [change.temp] : []));
  return new ProjectFileError(
    path.join(root, journalFileName),
    `records an interrupted write that cannot be completed: ${broken.map((item) => `${item.path}: ${item.reason}`).join("; ")}`,
    restoreHint(root, files, temps, false),
  );
}

function restoreHint(root: string, files: readonly string[], temps: readonly string[], partial: boolean): string {
  const shown = (list: readonly string[]) => list.map((file) => path.join(root, file)).join(" ");
  return [
    "make sure no d1-schema command runs in this project",
    ...(files.length > 0
      ? [`restore from git the files it names, deleting those git does not track (\`git checkout -- <file>\` or \`rm <file>\`): ${shown(files)}`]
      : []),
    ...(partial
      ? [
          "the journal is cut short, so also restore or delete what else `git status` shows changed or new under migrations/, generated/ and docs/ (d1-schema writes those; keep your own edits elsewhere)",
        ]
      : []),
    ...(temps.length > 0 ? [`delete its temporary files: rm -f ${shown(temps)}`] : []),
    `delete the journal: rm ${path.join(root, journalFileName)}`,
    "then run `d1-schema generate` again",
  ].join("; ");
}

function describeFiles(journal: Journal): string {
  const files = journal.changes.map((change) => change.path);
  const shown = files.slice(0, 3).join(", ");
  return `${files.length} file${files.length === 1 ? "" : "s"}: ${shown}${files.length > 3 ? `, and ${files.length - 3} more` : ""}`;
}
