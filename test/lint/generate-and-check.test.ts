// Lint inside generate and check: generate shows the findings on what its migration touches and counts the rest;
// lint lists everything (exit 1 on an error); check fails on errors only.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const cli = path.join(repoRoot, "bin/d1-schema.js");
const dsl = JSON.stringify(path.join(repoRoot, "generator/dsl/index.ts"));
const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function d1Schema(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, "--root", root, ...args], { cwd: root, env: { ...process.env, D1_SCHEMA_NO_CACHE: "1" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** teams ← members (foreign key without an index), and notes, which the second step changes. */
const tables = (notesExtra: string, membersExtra = "") => `import { integer, table, text } from ${dsl};
export const teams = table("teams", { id: text().primaryKey() });
export const members = table("members", { id: integer().primaryKey(), team_id: text().references("teams", "id")${membersExtra} });
export const notes = table("notes", { id: integer().primaryKey(), body: text()${notesExtra} });
`;

describe("lint in generate, lint and check", () => {
  it("shows findings on touched tables, counts the others, and lists all with lint", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-lint-"));
    temporaryDirs.push(root);
    await mkdir(path.join(root, "schema/app_db"), { recursive: true });
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tables(""));
    const first = await d1Schema(root, "generate");
    expect(first.stderr).toMatch(/^lint: warning foreign-key-without-index: APP_DB\.members\.team_id: references teams\(id\)/m);

    await writeFile(path.join(root, "schema/app_db/tables.ts"), tables(", title: text()"));
    const second = await d1Schema(root, "generate");
    expect(second.code).toBe(0);
    expect(second.stderr.trim()).toBe("lint: 1 more finding on tables this migration does not touch: run `d1-schema lint`");

    await writeFile(path.join(root, "schema/app_db/tables.ts"), tables(", title: text()", ", role: text()"));
    expect((await d1Schema(root, "generate")).stderr).toMatch(/foreign-key-without-index: APP_DB\.members\.team_id/);

    const lint = await d1Schema(root, "lint");
    expect(lint.code).toBe(0);
    expect(lint.stdout).toMatch(/warning foreign-key-without-index: APP_DB\.members\.team_id[\s\S]*lint: 0 errors, 1 warning, 0 silenced\n$/);
    expect((await d1Schema(root, "check")).code).toBe(0);
  });
});
