// One commit for every file a command writes: a kill at any instant leaves either the previous files or, once the
// next writing command has run, all the new ones; never a new migration beside an old snapshot and sum. The journal
// that makes it so is write-journal.ts; the lock that keeps two commands from committing at once, project-lock.ts.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  commitJournal,
  discardPending,
  journalPath,
  removeJournal,
  rollForward,
  sha256,
  syncFiles,
  writePendingJournal,
  type Journal,
} from "./write-journal.js";
import { writePoint } from "./kill-point.js";

export interface FileWrite {
  path: string;
  content: string;
}

/**
 * Writes `writes` and deletes `deletes` as one commit recorded in `root`: the journal of changes, each new content
 * in a temporary file beside its target, all of them flushed to the disk, the commit point, then every rename into
 * place. Flushing before the commit point is what lets recovery trust a temporary file after a power loss too.
 */
export async function writeFilesAtomically(root: string, writes: readonly FileWrite[], deletes: readonly string[] = []): Promise<void> {
  if (writes.length === 0 && deletes.length === 0) return;
  const targets = [...writes.map((write) => write.path), ...deletes].map((file) => path.resolve(file));
  if (new Set(targets).size !== targets.length) throw new Error(`writeFilesAtomically: a file is changed twice in one commit (${targets.join(", ")})`);
  // Encoded once: the journal's hash and the file are the same bytes (megabytes each, at thousands of tables).
  const temporary = writes.map((write) => ({ path: write.path, bytes: Buffer.from(write.content), temp: temporaryPath(write.path) }));
  const journal: Journal = {
    version: 1,
    changes: [
      ...temporary.map((write) => ({
        kind: "write" as const,
        path: journalPath(root, write.path),
        temp: journalPath(root, write.temp),
        sha256: sha256(write.bytes),
      })),
      ...deletes.map((file) => ({ kind: "delete" as const, path: journalPath(root, file) })),
    ],
  };
  await writePendingJournal(root, journal);
  try {
    for (const write of temporary) {
      await mkdir(path.dirname(write.path), { recursive: true });
      writePoint();
      await writeFile(write.temp, write.bytes);
    }
    await syncFiles(temporary.map((write) => write.temp));
  } catch (error) {
    await discardPending(root, journal);
    throw error;
  }
  await commitJournal(root);
  await rollForward(root, journal);
  await removeJournal(root);
}

function temporaryPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.d1-schema.tmp`);
}

/** Files a command is about to write, by absolute path: what a reader sees once the commit lands. */
export type PendingWrites = ReadonlyMap<string, string>;

export const noPendingWrites: PendingWrites = new Map();

export function pendingWrites(writes: readonly FileWrite[]): PendingWrites {
  return new Map(writes.map((write) => [path.resolve(write.path), write.content]));
}

/** A file as it will be once `pending` is written: its pending content, else what is on disk (undefined: none). */
export async function readThrough(pending: PendingWrites, file: string): Promise<string | undefined> {
  return pending.get(path.resolve(file)) ?? (await readFile(file, "utf8").catch(() => undefined));
}
