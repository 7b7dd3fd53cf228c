// Lint inside generate and check: generate shows the findings on what its migration touches and counts the rest;
// lint lists everything (exit 1 on an error); check fails on errors only.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dslImport as dsl, runCli, temporaryDir } from "../helpers/cli.js";

const d1Schema = (root: string, ...args: string[]) => runCli(root, args, { D1_SCHEMA_NO_CACHE: "1" });

/** teams ← members (foreign key without an index), and notes, which the second step changes. */
const tables = (notesExtra: string, membersExtra = "") => `import { integer, table, text } from ${dsl};
export const teams = table("teams", { id: text().primaryKey() });
export const members = table("members", { id: integer().primaryKey(), team_id: text().references("teams", "id")${membersExtra} });
export const notes = table("notes", { id: integer().primaryKey(), body: text()${notesExtra} });
`;

describe("lint in generate, lint and check", () => {
  it("shows findings on touched tables, counts the others, and lists all with lint", async () => {
    const root = await temporaryDir("lint");
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
