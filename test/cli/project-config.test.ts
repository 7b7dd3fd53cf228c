// d1-schema.config.ts (issue 15): a project may move every folder and name its wrangler config; without the file,
// the defaults hold. Run through the CLI in temporary projects that import the tool by its package name.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProjectPaths } from "../../generator/io/project-config.js";
import { runCli, temporaryDir } from "../helpers/cli.js";

const tables = `import { integer, table, text } from "d1-schema-kit";
export const teams = table("teams", { id: integer().autoincrement(), name: text().notNull() });
`;

/** A CommonJS project (no "type") with APP_DB's schema under `schemaDir` and `config` as d1-schema.config.ts. */
async function project(schemaDir: string, config?: string): Promise<string> {
  const root = await temporaryDir("config");
  await writeFile(path.join(root, "package.json"), '{ "name": "app", "private": true }\n');
  await mkdir(path.join(root, schemaDir, "app_db"), { recursive: true });
  await writeFile(
    path.join(root, schemaDir, "app_db/database.ts"),
    `import { database } from "d1-schema-kit";\nexport default database({ name: "APP_DB" });\n`,
  );
  await writeFile(path.join(root, schemaDir, "app_db/tables.ts"), tables);
  if (config !== undefined) await writeFile(path.join(root, "d1-schema.config.ts"), config);
  return root;
}

describe("d1-schema.config.ts", () => {
  it("is optional: without it the folders are schema/, migrations/, generated/ and docs/", async () => {
    const root = await project("schema");
    expect(await loadProjectPaths(root)).toEqual({
      root,
      schemaDir: path.join(root, "schema"),
      migrationsDir: path.join(root, "migrations"),
      generatedDir: path.join(root, "generated"),
      docsDir: path.join(root, "docs"),
    });
  });

  it("moves the schema, migrations, generated and docs folders, and names the wrangler config", async () => {
    const config = `import { defineConfig } from "d1-schema-kit";
export default defineConfig({
  schema: "db/schema",
  migrations: "db/migrations",
  generated: "src/db",
  docs: "db/docs",
  wrangler: "deploy/wrangler.jsonc",
});
`;
    const root = await project("db/schema", config);
    await mkdir(path.join(root, "deploy"));
    await writeFile(path.join(root, "deploy/wrangler.jsonc"), `{\n  // the Worker\n  "name": "app",\n  "d1_databases": []\n}\n`);

    const generated = await runCli(root, ["generate"]);
    expect(generated.stderr).toBe("");
    expect(generated.code).toBe(0);
    expect(existsSync(path.join(root, "db/migrations/app_db/0001_create_teams.sql"))).toBe(true);
    expect(existsSync(path.join(root, "db/migrations/fresh/app_db/0001_complete_schema.sql"))).toBe(true);
    expect(existsSync(path.join(root, "src/db/app_db.ts"))).toBe(true);
    for (const leftOut of ["migrations", "generated", "schema"]) expect(existsSync(path.join(root, leftOut)), leftOut).toBe(false);

    // The wrangler config it names is the one checked and written, relative migrations_dir included; comments kept.
    expect((await runCli(root, ["wrangler-config"])).code).toBe(1);
    expect((await runCli(root, ["wrangler-config", "--write"])).code).toBe(0);
    const wrangler = await readFile(path.join(root, "deploy/wrangler.jsonc"), "utf8");
    expect(wrangler).toContain("// the Worker");
    expect(wrangler).toContain('"migrations_dir": "../db/migrations/app_db"');
    expect(existsSync(path.join(root, "wrangler.toml"))).toBe(false);

    const audit = await runCli(root, ["audit", "--write"]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(existsSync(path.join(root, "db/docs/AUDIT.md"))).toBe(true);
    expect(await runCli(root, ["check", "--no-cache"])).toMatchObject({ code: 0 });

    // The run cache answers only while the config is unchanged: moving generated/ is a change.
    expect((await runCli(root, ["check"])).code).toBe(0);
    await writeFile(path.join(root, "d1-schema.config.ts"), config.replace('"src/db"', '"src/types"'));
    const moved = await runCli(root, ["check"]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain("src/types/app_db.ts");
  });

  it("that is not a config is an error naming the file and the field, exit 2, nothing written", async () => {
    const unknownField = await project("schema", `export default { schema: "schema", migration: "m" };\n`);
    const result = await runCli(unknownField, ["generate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('d1-schema.config.ts has an unknown field "migration"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(unknownField, "migrations"))).toBe(false);

    const wrongType = await project("schema", `import { defineConfig } from "d1-schema-kit";\nexport default defineConfig({ generated: 3 as never });\n`);
    expect((await runCli(wrongType, ["check"])).stderr).toContain('d1-schema.config.ts field "generated"');

    const throws = await project("schema", `const folder: string = process.env.NOPE!.trim();\nexport default { schema: folder };\n`);
    const thrown = await runCli(throws, ["generate"]);
    expect(thrown.code).toBe(2);
    expect(thrown.stderr).toContain("d1-schema.config.ts:1 threw while loading");
    expect(thrown.stderr).not.toMatch(/\n\s+at /);
  });
});
