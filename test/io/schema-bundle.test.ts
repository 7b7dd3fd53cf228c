// Loading schema files (generator/io/schema-bundle.ts): any project (ES modules or CommonJS), schema files importing
// each other, the project's own modules and packages, and a file that does not compile or throws at load named with
// its line, exit 2 and no stack trace.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSchemaFolders } from "../../generator/io/load-schema.js";
import { SchemaError } from "../../generator/model/errors.js";
import { dslImport, runCli, temporaryDir } from "../helpers/cli.js";

/** A project with schema/app_db/ holding `files` (name → source) besides database.ts; package.json as given. */
async function project(files: Record<string, string>, packageJson = "{}\n"): Promise<string> {
  const root = await temporaryDir("bundle");
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "package.json"), packageJson);
  await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dslImport};\nexport default database({ name: "APP_DB" });\n`);
  for (const [file, source] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), source);
  }
  return root;
}

const teams = `import { table, text } from ${dslImport};\nexport const teams = table("teams", { id: text().primaryKey() });\n`;

async function loadError(root: string): Promise<SchemaError> {
  const error: unknown = await loadSchemaFolders(path.join(root, "schema")).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SchemaError);
  return error as SchemaError;
}

describe("loading schema files", () => {
  it("runs in a CommonJS project (no type in package.json), files importing each other, project modules and packages", async () => {
    const root = await project({
      "schema/app_db/teams.ts": teams,
      "schema/app_db/members.ts": [
        `import { table, text } from ${dslImport};`,
        `import { teams } from "./teams";`,
        `import { note } from "../../lib/columns.ts";`,
        `import { z } from "zod";`,
        `export const members = table("members", { id: text().primaryKey(), team_id: text().notNull().references(teams.spec.name, "id"), note: note() });`,
        `export const parsedName = z.string().parse("ok");`,
      ].join("\n"),
      "lib/columns.ts": `import { text } from ${dslImport};\nexport const note = () => text();\n`,
      // zod, resolved from the project's own node_modules as Node would resolve it.
      "node_modules/zod/package.json": JSON.stringify({ name: "zod", version: "0.0.0-test", type: "module", exports: "./index.js" }),
      "node_modules/zod/index.js": "export const z = { string: () => ({ parse: (value) => value }) };\n",
    });
    const [loaded] = await loadSchemaFolders(path.join(root, "schema"));
    expect(loaded.definition.options.name).toBe("APP_DB");
    expect(loaded.tables.map((table) => table.spec.name).sort()).toEqual(["members", "teams"]);
    expect(loaded.files).toEqual([
      { file: "members", tables: ["members"] },
      { file: "teams", tables: ["teams"] },
    ]);

    const generated = await runCli(root, ["generate"]);
    expect(generated.stderr).not.toMatch(/\n\s+at /);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/0001_\w+\.sql/);
  });

  it("takes JavaScript schema files (.js, .mjs) as well as TypeScript (.ts, .mts), the database file included", async () => {
    const root = await project({
      "schema/app_db/teams.js": `import { table, text } from "d1-schema-kit";\nexport const teams = table("teams", { id: text().primaryKey() });\n`,
      "schema/app_db/members.mjs": `import { integer, table } from "d1-schema-kit";\nexport const members = table("members", { id: integer().autoincrement() });\n`,
      "schema/app_db/tags.mts": `import { table, text } from "d1-schema-kit";\nexport const tags = table("tags", { name: text().primaryKey() });\n`,
      "schema/app_db/types.d.ts": "export type Ignored = string;\n",
    });
    const [loaded] = await loadSchemaFolders(path.join(root, "schema"));
    expect(loaded.files).toEqual([
      { file: "members", tables: ["members"] },
      { file: "tags", tables: ["tags"] },
      { file: "teams", tables: ["teams"] },
    ]);

    // database.js names the database as database.ts does; two database files are one too many.
    const js = await project({ "schema/app_db/teams.js": teams });
    await writeFile(path.join(js, "schema/app_db/database.js"), `import { database } from "d1-schema-kit";\nexport default database({ name: "JS_DB" });\n`);
    expect((await loadError(js)).message).toContain("has database.js and database.ts: one database file names the database");
    await rm(path.join(js, "schema/app_db/database.ts"));
    expect((await loadSchemaFolders(path.join(js, "schema")))[0]?.definition.options.name).toBe("JS_DB");
  });

  it("loads files as they are now, also when the same process loaded them before", async () => {
    const root = await project({ "schema/app_db/teams.ts": teams });
    expect((await loadSchemaFolders(path.join(root, "schema")))[0].tables.map((table) => table.spec.name)).toEqual(["teams"]);
    await writeFile(path.join(root, "schema/app_db/teams.ts"), teams.replaceAll("teams", "squads"));
    expect((await loadSchemaFolders(path.join(root, "schema")))[0].tables.map((table) => table.spec.name)).toEqual(["squads"]);
  });

  it("names the file, line and column of a file that does not compile", async () => {
    const root = await project({
      "schema/app_db/teams.ts": `import { table, text } from ${dslImport};\n\nexport const teams = table("teams", { id: text(.primaryKey() });\n`,
    });
    const error = await loadError(root);
    expect(error.database).toBe("app_db");
    expect(error.problem).toMatch(/^schema\/app_db\/teams\.ts:3:\d+: Unexpected "\."/);
    expect(error.hint).toBe("correct the TypeScript at that line");
  });

  it("names an import that does not resolve", async () => {
    const root = await project({ "schema/app_db/teams.ts": `import { note } from "../../lib/missing.ts";\n${teams}export const notes = note;\n` });
    const error = await loadError(root);
    expect(error.problem).toMatch(/^schema\/app_db\/teams\.ts:1:\d+: Could not resolve "\.\.\/\.\.\/lib\/missing\.ts"/);
    expect(error.hint).toMatch(/^correct the import/);
  });

  it("names the file and line of the code that threw while loading, also inside a project module", async () => {
    const thrower = await project({
      "schema/app_db/teams.ts": `${teams}\nconst settings: Record<string, string> = {};\nif (!settings.region) throw new Error("no region configured");\n`,
    });
    const error = await loadError(thrower);
    expect(error.problem).toBe("schema/app_db/teams.ts:5 threw while loading: no region configured");
    expect(error.hint).toMatch(/^fix the code at that line/);

    const nested = await project({
      "schema/app_db/teams.ts": `import { note } from "../../lib/columns.ts";\n${teams}export const notes = note;\n`,
      "lib/columns.ts": `export const note = () => 1;\n(undefined as unknown as { x: number }).x;\n`,
    });
    expect((await loadError(nested)).problem).toMatch(/^lib\/columns\.ts:2 threw while loading: TypeError: Cannot read properties of undefined/);
  });

  it("reports a load error on the command line as an error with exit 2 and no stack trace", async () => {
    const root = await project({ "schema/app_db/teams.ts": `${teams}\nthrow new Error("boom");\n` });
    const result = await runCli(root, ["generate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: app_db: schema/app_db/teams.ts:4 threw while loading: boom\n  fix: fix the code at that line: schema files run when d1-schema loads them\nNothing was written.\n",
    );
  });
});
