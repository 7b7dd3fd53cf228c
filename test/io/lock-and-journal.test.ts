// The project lock (io/project-lock.ts) and what is left when a write is interrupted (io/write-journal.ts): two
// generates at once, a stale lock, a lock or journal cut short (the printed fix, followed, works), check's finding,
// and the run cache, which must never answer while a write is left to complete.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { columnProjects, copyProject, d1Schema, treeOf, type ColumnProjects } from "./project.js";

const run = promisify(execFile);
const lockFile = ".d1-schema.lock";
const journalFile = ".d1-schema-journal.json";

let projects: ColumnProjects;
let reference: Record<string, string>;
/** The write points of the generate that adds the column (kill-points.test.ts counts them): 7 files. */
const files = 7;
const commitPoint = files + 3;

beforeAll(async () => {
  projects = await columnProjects();
  reference = await treeOf(projects.finished);
}, 60_000);

async function migrationFiles(root: string): Promise<string[]> {
  return (await readdir(path.join(root, "migrations/app_db"))).filter((file) => file.endsWith(".sql")).sort();
}

/** A copy of the start project whose generate was killed right before write point `point`. */
async function killedProject(point: number, setUp?: (root: string) => Promise<void>): Promise<string> {
  const root = await copyProject(projects.start, "killed");
  await setUp?.(root);
  expect((await d1Schema(root, ["generate"], { D1_SCHEMA_KILL_AT: String(point) })).code).toBeNull();
  return root;
}

const git = (root: string, ...args: string[]) => run("git", ["-C", root, "-c", "user.name=t", "-c", "user.email=t@t", ...args]);

/** A project under git, as a journal's fix expects: the schema change committed, generate not yet run. */
async function commitToGit(root: string): Promise<void> {
  await git(root, "init", "-q");
  await writeFile(path.join(root, ".git/info/exclude"), "node_modules/\n");
  await git(root, "add", "-A");
  await git(root, "commit", "-q", "-m", "schema change");
}

/** The steps of an error's fix line. */
function fixSteps(stderr: string): string[] {
  return /fix: (.*)\n/.exec(stderr)![1].split("; ");
}

/**
 * Does what a journal error's fix says: restore from git the files it names, deleting those git does not track;
 * when the journal is cut short, the same for what `git status` shows under migrations/, generated/ and docs/;
 * then delete the temporary files and the journal with the `rm` commands it prints.
 */
async function followRestoreFix(root: string, fix: readonly string[], options: { gitStatus: boolean }): Promise<void> {
  const named = fix
    .find((step) => step.startsWith("restore from git the files it names"))!
    .replace(/^[^:]*\): /, "")
    .split(" ");
  expect(named.length).toBeGreaterThan(0);
  const status = options.gitStatus ? (await git(root, "status", "--porcelain", "--untracked-files=all")).stdout.split("\n").filter(Boolean) : [];
  const changed = status
    .map((line) => line.slice(3))
    .filter((file) => /^(migrations|generated|docs)\//.test(file))
    .map((file) => path.join(root, file));
  for (const file of new Set([...named, ...changed])) {
    const tracked = await git(root, "ls-files", "--error-unmatch", file).then(
      () => true,
      () => false,
    );
    if (tracked) await git(root, "checkout", "--", file);
    else await rm(file, { force: true });
  }
  for (const step of fix.filter((candidate) => / rm (-f )?\//.test(candidate))) {
    for (const file of step.replace(/^.*? rm (-f )?/, "").split(" ")) await rm(file, { force: true });
  }
  expect(existsSync(path.join(root, journalFile))).toBe(false);
}

async function deadPid(): Promise<number> {
  const child = execFile(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe.concurrent("the project lock", { timeout: 120_000 }, () => {
  it("lets one of two generates started at once write: never two migrations with one number", async () => {
    const root = await copyProject(projects.start, "race");
    const runs = await Promise.all(["first", "second"].map((name) => d1Schema(root, ["generate", "--name", name])));
    const migrations = await migrationFiles(root);
    expect(migrations).toHaveLength(2);
    expect(migrations[1]).toMatch(/^0002_(first|second)\.sql$/);
    const failed = runs.filter((result) => result.code !== 0);
    // Either the second found the lock held (the usual case), or it started after the first finished.
    if (failed.length === 1) {
      expect(failed[0].code).toBe(2);
      expect(failed[0].stderr).toMatch(/\.d1-schema\.lock is held by `d1-schema generate` \(pid \d+ on .+, since \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
      expect(failed[0].stderr).toContain("Nothing was written.");
    } else {
      expect(failed).toEqual([]);
      expect(runs.map((result) => result.stdout.trim())).toContain("no changes");
    }
    expect(existsSync(path.join(root, lockFile))).toBe(false);
    expect((await d1Schema(root, ["check"])).code).toBe(0);
  });

  it("refuses while a live process holds it, and takes over the lock of a process that is gone", async () => {
    const root = await copyProject(projects.start, "held");
    const since = new Date().toISOString();
    await writeFile(path.join(root, lockFile), JSON.stringify({ pid: process.pid, hostname: os.hostname(), command: "pull", startedAt: since }));
    const before = await treeOf(root);
    const refused = await d1Schema(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${path.join(root, lockFile)} is held by \`d1-schema pull\` (pid ${process.pid} on ${os.hostname()}, since ${since})`);
    expect(refused.stderr).toContain(
      `fix: wait for it to finish, then run again; if no d1-schema command runs (pid ${process.pid} on ${os.hostname()} is another program), delete the lock: rm ${path.join(root, lockFile)}`,
    );
    expect(await treeOf(root)).toEqual(before);

    const dead = await deadPid();
    await writeFile(path.join(root, lockFile), JSON.stringify({ pid: dead, hostname: os.hostname(), command: "hash", startedAt: since }));
    const tookOver = await d1Schema(root, ["generate"]);
    expect(tookOver.code).toBe(0);
    expect(tookOver.stderr).toContain(`d1-schema: took over the lock of \`d1-schema hash\` (pid ${dead}, since ${since}), which no longer runs`);
    expect(await treeOf(root)).toEqual(reference);
  });

  it("names a lock cut short, and deleting it as the fix says lets generate run", async () => {
    const root = await copyProject(projects.start, "cut-lock");
    await writeFile(path.join(root, lockFile), '{"pid": 12');
    const refused = await d1Schema(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${path.join(root, lockFile)} is unreadable (cut short or edited)`);
    const fix = /fix: make sure no d1-schema command runs in this project, then delete the lock: rm (\S+)\n/.exec(refused.stderr);
    expect(fix?.[1]).toBe(path.join(root, lockFile));
    await rm(fix![1]);
    expect((await d1Schema(root, ["generate"])).code).toBe(0);
    expect(await treeOf(root)).toEqual(reference);
  });
});

describe.concurrent("an interrupted write", { timeout: 120_000 }, () => {
  it("is a check finding until generate completes it, or removes what it left before its commit point", async () => {
    const committed = await killedProject(commitPoint + 3);
    const check = await d1Schema(committed, ["check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      `${journalFile}: a write was interrupted after it committed; some of its files may still be old (7 files: migrations/app_db/0002_add_title_to_notes.sql, migrations/app_db/migrations.sum, migrations/app_db/snapshot.json, and 4 more): run \`npx d1-schema generate\`, which completes it first`,
    );

    const uncommitted = await killedProject(commitPoint - 2);
    const leftover = await d1Schema(uncommitted, ["check"]);
    expect(leftover.code).toBe(1);
    expect(leftover.stderr).toMatch(
      /\.d1-schema-journal\.pending\.json: a write was interrupted before it committed and left 5 temporary files \(migrations\/app_db\/\.0002_add_title_to_notes\.sql\.d1-schema\.tmp, .*\); no project file changed: run `npx d1-schema generate`, which removes them first/,
    );
    const next = await d1Schema(uncommitted, ["generate"]);
    expect(next.stderr).toContain("d1-schema: removed 5 temporary files of a write interrupted before it committed (no project file had changed)");
    expect(await treeOf(uncommitted)).toEqual(reference);
  });

  it("with a journal cut short is an error naming it, and following its fix lets generate run", async () => {
    const root = await killedProject(commitPoint + 3, commitToGit);
    const journal = await readFile(path.join(root, journalFile), "utf8");
    await writeFile(path.join(root, journalFile), journal.slice(0, journal.length / 2));

    const refused = await d1Schema(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${path.join(root, journalFile)} is unreadable (cut short or edited)`);
    expect(refused.stderr).toContain("Nothing was written.");
    const fix = fixSteps(refused.stderr);
    expect(fix.some((step) => step.startsWith("the journal is cut short, so also restore or delete what else `git status` shows"))).toBe(true);
    await followRestoreFix(root, fix, { gitStatus: true });
    expect((await d1Schema(root, ["generate"])).code).toBe(0);
    expect(await treeOf(root)).toEqual(reference);
  });

  it("whose temporary file is gone while its target is old is an error listing every file; its fix works", async () => {
    const root = await killedProject(commitPoint + 3, commitToGit);
    // Two files renamed into place, five temporary files left: one of them removed by hand.
    await rm(path.join(root, "migrations/app_db/.snapshot.json.d1-schema.tmp"));
    const refused = await d1Schema(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `error: ${path.join(root, journalFile)} records an interrupted write that cannot be completed: migrations/app_db/snapshot.json: its temporary file migrations/app_db/.snapshot.json.d1-schema.tmp is gone and the file holds other content`,
    );
    const fix = fixSteps(refused.stderr);
    expect(fix.some((step) => step.startsWith("the journal is cut short"))).toBe(false);
    await followRestoreFix(root, fix, { gitStatus: false });
    expect((await git(root, "status", "--porcelain")).stdout).toBe("");
    expect((await d1Schema(root, ["generate"])).code).toBe(0);
    expect(await treeOf(root)).toEqual(reference);
  });

  it("always runs past the run cache: a record of the same files never answers while a journal is left", async () => {
    const root = await copyProject(projects.start, "cache");
    const cached = (env: NodeJS.ProcessEnv = {}) => runCli(root, ["generate"], { D1_SCHEMA_CACHE_TRACE: "1", ...env });
    expect((await cached()).code).toBe(0);
    expect((await cached()).stderr).toContain("nothing changed since the last successful run");
    // Back to the files before the change, then a generate killed before removing its journal: every file is as the
    // record has them, but the journal (and the lock) are left.
    for (const dir of ["migrations", "generated", "docs"]) {
      await rm(path.join(root, dir), { recursive: true });
      await run("cp", ["-r", path.join(projects.base, dir), path.join(root, dir)]);
    }
    expect((await cached({ D1_SCHEMA_KILL_AT: String(2 * files + 4) })).code).toBeNull();
    expect(existsSync(path.join(root, journalFile))).toBe(true);
    const next = await cached();
    expect(next.code).toBe(0);
    expect(next.stderr).not.toContain("nothing changed since the last successful run");
    expect(next.stderr).toContain("d1-schema: completed a write that was interrupted after it committed");
    expect(await treeOf(root)).toEqual(reference);
  });
});
