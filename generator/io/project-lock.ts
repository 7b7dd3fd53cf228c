// The project lock. A writing command holds <root>/.d1-schema.lock for its whole run (reading the migrations
// folder, numbering the next migration, writing), so two runs never write two migrations with one number or
// interleave their commits. A second run fails at once naming the holder, rather than waiting: two writers at once
// is a mistake to see (two terminals, a watcher and a hand run), and the second would only find what the first did.
//
// The lock is created with O_EXCL and holds {pid, hostname, command, startedAt}. One left by a process that no
// longer runs (same host, and the pid is gone) is stale and taken over. Holding the lock, a command first completes
// an interrupted write (write-journal.ts), so it reads the project as the last commit left it.
import { existsSync } from "node:fs";
import { open, readFile, rm, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { lockFileName } from "./control-files.js";
import { writePoint } from "./kill-point.js";
import { ProjectFileError } from "./project-file-error.js";
import { recoverInterruptedWrite } from "./write-journal.js";

const holderSchema = z.object({ pid: z.number().int().positive(), hostname: z.string(), command: z.string(), startedAt: z.string() });
type LockHolder = z.infer<typeof holderSchema>;

interface HeldLock {
  file: string;
  content: string;
}

/** Runs `run` holding the project lock, after completing any interrupted write; the lock is released in any case. */
export async function withProjectLock<T>(root: string, command: string, run: () => Promise<T>): Promise<T> {
  const lock = await acquireProjectLock(root, command);
  try {
    for (const line of await recoverInterruptedWrite(root)) console.error(line);
    return await run();
  } finally {
    await releaseProjectLock(lock);
  }
}

async function acquireProjectLock(root: string, command: string): Promise<HeldLock> {
  const file = path.join(root, lockFileName);
  if (!existsSync(root)) throw new ProjectFileError(root, "does not exist", "pass the project root (the folder holding schema/) with --root");
  const holder: LockHolder = { pid: process.pid, hostname: os.hostname(), command, startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(holder)}\n`;
  writePoint();
  // Three rounds: the lock may vanish between our attempt and our read, or be stale and taken over.
  for (let round = 0; round < 3; round++) {
    if (await createLockFile(file, content)) return { file, content };
    const found = await readLockHolder(file);
    if (!found) continue;
    if (!isStale(found.holder)) throw heldBy(file, found.holder);
    console.error(
      `d1-schema: took over the lock of \`d1-schema ${found.holder.command}\` (pid ${found.holder.pid}, since ${found.holder.startedAt}), which no longer runs`,
    );
    // Only the stale lock read: another run taking it over at the same instant may already have made a new one.
    if ((await readFile(file, "utf8").catch(() => undefined)) === found.text) await rm(file, { force: true });
  }
  const found = await readLockHolder(file);
  throw found ? heldBy(file, found.holder) : new Error(`${file}: could not be created`);
}

async function releaseProjectLock(lock: HeldLock): Promise<void> {
  writePoint();
  // Only our own: a lock deleted by hand meanwhile may have let another run take it.
  if ((await readFile(lock.file, "utf8").catch(() => undefined)) === lock.content) await unlink(lock.file);
}

/** Creates the lock with its content; false when it exists. (Not flushed: after a power loss no holder runs.) */
async function createLockFile(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

/**
 * The holder of an existing lock; undefined when it vanished meanwhile. A run creating the lock writes its content
 * a moment after creating the file, so content that does not parse is read again for a short while before it is
 * called unreadable.
 */
async function readLockHolder(file: string): Promise<{ holder: LockHolder; text: string } | undefined> {
  for (let attempt = 0; ; attempt++) {
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    const parsed = holderSchema.safeParse(parseJson(text));
    if (parsed.success) return { holder: parsed.data, text };
    if (attempt === 5) {
      throw new ProjectFileError(
        file,
        "is unreadable (cut short or edited), so d1-schema cannot tell whether another command is writing this project",
        `make sure no d1-schema command runs in this project, then delete the lock: rm ${file}`,
      );
    }
    await sleep(50);
  }
}

function heldBy(file: string, holder: LockHolder): ProjectFileError {
  return new ProjectFileError(
    file,
    `is held by \`d1-schema ${holder.command}\` (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}); one writing command runs at a time`,
    `wait for it to finish, then run again; if no d1-schema command runs (pid ${holder.pid} on ${holder.hostname} is another program), delete the lock: rm ${file}`,
  );
}

/** A lock of this host whose process is gone. A lock of another host cannot be judged from here. */
function isStale(holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return false;
  // Our own pid in a lock we do not hold: a process that had it before us died.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
