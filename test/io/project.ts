// A tiny project for the interrupted-write tests, and the tools to compare what a run left on disk.
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { dslImport, runCli, temporaryDir, type CliResult } from "../helpers/cli.js";

/** Every run in full: the run cache has its own test (and must not hide what a run does). */
export const noCache = { D1_SCHEMA_NO_CACHE: "1" };

export const d1Schema = (root: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => runCli(root, args, { ...noCache, ...env });

export const tablesFile = (extra = "") => `import { integer, table, text } from ${dslImport};
export const notes = table("notes", { id: integer().primaryKey(), body: text().notNull()${extra} });
`;

/** A generated project with one table and (unless told) the audit docs, so generate's one commit covers docs/ too. */
export async function newProject(prefix: string, options = { docs: true }): Promise<string> {
  const root = await temporaryDir(prefix);
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dslImport};\nexport default database({ name: "APP_DB" });\n`);
  await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile());
  expect((await d1Schema(root, ["generate"])).code).toBe(0);
  if (options.docs) expect((await d1Schema(root, ["audit", "--write"])).code).toBe(0);
  return root;
}

/** The schema change every test makes: a nullable column, one ALTER TABLE. */
export async function addColumn(root: string): Promise<void> {
  await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(", title: text()"));
}

export interface ColumnProjects {
  /** A generated project with the audit docs. */
  base: string;
  /** `base` with a column added to the schema, not generated. */
  start: string;
  /** `start` after a generate never killed, and check passed on it. */
  finished: string;
}

/** The projects every interrupted-write test starts from. */
export async function columnProjects(): Promise<ColumnProjects> {
  const base = await newProject("base");
  const finished = await copyProject(base, "finished");
  await addColumn(finished);
  expect((await d1Schema(finished, ["generate"])).code).toBe(0);
  expect((await d1Schema(finished, ["check"])).code).toBe(0);
  const start = await copyProject(base, "start");
  await addColumn(start);
  return { base, start, finished };
}

/** A copy of a project, render caches included (a copy renders from them instead of loading the formatters). */
export async function copyProject(from: string, prefix: string): Promise<string> {
  const root = await temporaryDir(prefix);
  await cp(from, root, { recursive: true });
  return root;
}

/** Every file of the project but node_modules/ (caches) and .git/, by path: the lock, journal and temporary files too. */
export async function treeOf(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, full).split(path.sep).join("/");
    if (entry.isFile() && !/^(node_modules|\.git)\//.test(relative)) tree[relative] = await readFile(full, "utf8");
  }
  return tree;
}

/**
 * Kills `args` on a copy of `start` right before write point 1, 2, ... (two at a time, one a core) until a run
 * finishes unkilled; `verify` looks at each killed copy. Returns how many write points the run has.
 */
export async function killAtEveryWritePoint(start: string, args: readonly string[], verify: (root: string, point: number) => Promise<void>): Promise<number> {
  for (let first = 1; ; first += 2) {
    const finished = await Promise.all(
      [first, first + 1].map(async (point) => {
        const root = await copyProject(start, "killed");
        const run = await d1Schema(root, args, { D1_SCHEMA_KILL_AT: String(point) });
        if (run.code === 0) return true;
        // Killed by its own SIGKILL: no exit code, nothing printed about it.
        expect({ point, code: run.code, stderr: run.stderr }).toEqual({ point, code: null, stderr: "" });
        await verify(root, point);
        return false;
      }),
    );
    if (finished[0]) return first - 1;
    if (finished[1]) return first;
  }
}
