// The no-change fast path (generator/cli/run-cache/run-cache.js): a repeated generate or check answers from its record,
// and any byte that changed in what they read (schema, a file the schema imports, migrations, generated files)
// makes them run in full again. D1_SCHEMA_CACHE_TRACE makes a replay say so on stderr.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import yargs from "yargs";
import { globalOptions } from "../../generator/cli/run-cache/global-options.js";
import { cacheableRun } from "../../generator/cli/run-cache/run-cache.js";
import { dslImport as dsl, runCli, temporaryDir } from "../helpers/cli.js";

const replayed = "d1-schema: nothing changed since the last successful run";

const d1Schema = (root: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(root, args, { D1_SCHEMA_CACHE_TRACE: "1", ...env });

/** A project whose table takes a column helper from lib/, outside schema/: the schema loader reports that import. */
async function newProject(): Promise<string> {
  const root = await temporaryDir("cache");
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await mkdir(path.join(root, "lib"));
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await writeFile(path.join(root, "lib/columns.ts"), columnsFile("text"));
  await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
  await writeFile(
    path.join(root, "schema/app_db/teams.ts"),
    `import { table, text } from ${dsl};\nimport { note } from "../../lib/columns.ts";\nexport const teams = table("teams", { id: text().primaryKey(), note: note() });\n`,
  );
  return root;
}

const columnsFile = (type: "text" | "integer") => `import { ${type} } from ${dsl};\nexport const note = () => ${type}();\n`;

async function migrationFiles(root: string): Promise<string[]> {
  return (await readdir(path.join(root, "migrations/app_db"))).filter((file) => file.endsWith(".sql")).sort();
}

describe("the run cache", () => {
  it("answers a repeated generate and check from the record, with the same output", async () => {
    const root = await newProject();
    const first = await d1Schema(root, ["generate"]);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain(replayed);
    const again = await d1Schema(root, ["generate"]);
    expect(again).toEqual({ code: 0, stdout: "no changes\n", stderr: `${replayed}\n` });

    const check = await d1Schema(root, ["check"]);
    expect(check.code).toBe(0);
    expect(check.stderr).not.toContain(replayed);
    const checkAgain = await d1Schema(root, ["check"]);
    expect(checkAgain).toEqual({ code: 0, stdout: check.stdout, stderr: `${replayed}\n` });
    // Another command line is another record: --json runs in full once.
    expect((await d1Schema(root, ["check", "--json"])).stderr).not.toContain(replayed);
    expect((await d1Schema(root, ["check", "--json"])).stderr).toContain(replayed);
  });

  it("runs in full when the schema, or a project file the schema imports, changed", async () => {
    const root = await newProject();
    await d1Schema(root, ["generate"]);
    expect((await d1Schema(root, ["generate"])).stderr).toContain(replayed);

    await writeFile(path.join(root, "lib/columns.ts"), columnsFile("integer"));
    const retyped = await d1Schema(root, ["generate", "--allow-destructive"]);
    expect(retyped.stderr).not.toContain(replayed);
    expect(retyped.stdout).toMatch(/0002_\w+\.sql/);
    expect(await migrationFiles(root)).toHaveLength(2);

    const teams = path.join(root, "schema/app_db/teams.ts");
    await writeFile(teams, (await readFile(teams, "utf8")).replace("note: note() ", "note: note(), label: text() "));
    const added = await d1Schema(root, ["generate", "--allow-destructive"]);
    expect(added.stderr).not.toContain(replayed);
    expect(added.stdout).toMatch(/0003_add_label_to_teams\.sql/);
    expect((await d1Schema(root, ["generate", "--allow-destructive"])).stderr).toContain(replayed);
  });

  it("runs in full when a migration, a squash or generated types were edited, or a file was added", async () => {
    const root = await newProject();
    await d1Schema(root, ["generate"]);
    expect((await d1Schema(root, ["check"])).code).toBe(0);

    const squash = path.join(root, "migrations/fresh/app_db/0001_complete_schema.sql");
    const original = await readFile(squash, "utf8");
    await writeFile(squash, `${original}-- edited\n`);
    const edited = await d1Schema(root, ["check"]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/0001_complete_schema\.sql differs from what generate writes/);
    // A failed check records nothing, and the bytes it failed on are never replayed as a pass; restored to the
    // bytes of the last success, the files are again what that check passed.
    expect((await d1Schema(root, ["check"])).code).toBe(1);
    await writeFile(squash, original);
    const restored = await d1Schema(root, ["check"]);
    expect(restored.code).toBe(0);
    expect(restored.stderr).toContain(replayed);

    await writeFile(path.join(root, "migrations/app_db/extra.sql"), "SELECT 1;\n");
    const stray = await d1Schema(root, ["check"]);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toMatch(/extra\.sql is not named NNNN_name\.sql/);
    await rm(path.join(root, "migrations/app_db/extra.sql"));

    const types = path.join(root, "generated/app_db.ts");
    await writeFile(types, `${await readFile(types, "utf8")}// edited\n`);
    const regenerated = await d1Schema(root, ["generate"]);
    expect(regenerated.stderr).not.toContain(replayed);
    expect(regenerated.stdout).toMatch(/generated\/app_db\.ts rewritten/);
  });

  it("runs in full when the project's package-lock.json changed (a dependency of a dependency may write otherwise)", async () => {
    const root = await newProject();
    await writeFile(path.join(root, "package-lock.json"), '{ "lockfileVersion": 3 }\n');
    await d1Schema(root, ["generate"]);
    expect((await d1Schema(root, ["generate"])).stderr).toContain(replayed);
    await writeFile(path.join(root, "package-lock.json"), '{ "lockfileVersion": 3, "packages": {} }\n');
    expect((await d1Schema(root, ["generate"])).stderr).not.toContain(replayed);
  });

  it("is bypassed by --no-cache and D1_SCHEMA_NO_CACHE", async () => {
    const root = await newProject();
    await d1Schema(root, ["generate"]);
    expect((await d1Schema(root, ["generate"])).stderr).toContain(replayed);
    const noCache = await d1Schema(root, ["generate", "--no-cache"]);
    expect(noCache).toEqual({ code: 0, stdout: "no changes\n", stderr: "" });
    expect((await d1Schema(root, ["generate"], { D1_SCHEMA_NO_CACHE: "1" })).stderr).toBe("");
    // yargs reads `--cache false` as --no-cache: so must the cache (it answered these from the record once).
    for (const spelling of [["--cache", "false"], ["--cache=false"], ["--cache", "false", "--cache"]]) {
      expect((await d1Schema(root, ["generate", ...spelling])).stderr, spelling.join(" ")).toBe("");
    }
  }, 120_000);

  it("reads --cache and --root as the CLI's yargs does, whatever the spelling", () => {
    const spellings = [
      ["generate"],
      ["generate", "--cache"],
      ["generate", "--cache", "true"],
      ["generate", "--cache", "false"],
      ["generate", "--cache=false"],
      ["generate", "--cache=true"],
      ["generate", "--cache", "0"],
      ["generate", "--no-cache"],
      ["generate", "--cache", "false", "--cache"],
      ["--root", "app", "check"],
      ["--root=app", "check"],
      ["check", "--root", "app", "--cache", "false"],
      ["--cache", "false", "--root=app", "generate"],
    ];
    for (const argv of spellings) {
      const cli = yargs(argv).options(globalOptions).parseSync();
      const run = cacheableRun(argv, {}, "/p");
      expect({ argv, cached: run !== undefined, root: run?.root }).toEqual({
        argv,
        cached: cli.cache,
        root: cli.cache ? path.resolve("/p", cli.root) : undefined,
      });
    }
  });

  it("caches only generate and check, and files each command line's record apart", () => {
    expect(cacheableRun(["status"], {}, "/p")).toBeUndefined();
    expect(cacheableRun(["generate", "--help"], {}, "/p")).toBeUndefined();
    expect(cacheableRun(["generate"], { D1_SCHEMA_NO_CACHE: "1" }, "/p")).toBeUndefined();
    const plain = cacheableRun(["--root", "app", "generate"], {}, "/p");
    expect(plain).toMatchObject({ command: "generate", root: path.resolve("/p/app") });
    expect(plain?.recordPath.startsWith(path.resolve("/p/app/node_modules/.cache/d1-schema/generate-"))).toBe(true);
    expect(cacheableRun(["--root", "app", "generate", "--name", "x"], {}, "/p")?.recordPath).not.toBe(plain?.recordPath);
  });
});
