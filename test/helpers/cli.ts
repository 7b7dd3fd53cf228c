// Running the CLI as a user does (`node bin/d1-schema.js --root <project> ...`) in temporary projects that are
// removed after the test file.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll } from "vitest";

const run = promisify(execFile);
export const repoRoot = path.resolve(import.meta.dirname, "../..");
const cli = path.join(repoRoot, "bin/d1-schema.js");
/** The DSL's absolute path as a string literal, for schema files written into temporary projects. */
export const dslImport = JSON.stringify(path.join(repoRoot, "generator/dsl/index.ts"));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's exit code and output; `env` adds to the test's environment (D1_SCHEMA_NO_CACHE, ...). */
export async function runCli(root: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, "--root", root, ...args], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const temporaryDirs: string[] = [];
let cleanupRegistered = false;

/** A new empty folder under the system's temporary folder, removed when the test file ends. */
export async function temporaryDir(prefix: string): Promise<string> {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    afterAll(async () => {
      await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), `d1-schema-${prefix}-`));
  temporaryDirs.push(dir);
  return dir;
}

/**
 * A temporary project with one database, APP_DB (schema/app_db/), whose tables file `writeTables` (re)writes: the
 * source given follows an import of every DSL builder a test needs.
 */
export async function appDbProject(prefix: string): Promise<{ root: string; writeTables: (source: string) => Promise<void> }> {
  const root = await temporaryDir(prefix);
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dslImport};\nexport default database({ name: "APP_DB" });\n`);
  const writeTables = (source: string) =>
    writeFile(path.join(root, "schema/app_db/tables.ts"), `import { index, integer, table, text } from ${dslImport};\n${source}`);
  return { root, writeTables };
}
