// wrangler-config: the [[d1_databases]] blocks of wrangler.toml, one per binding with its database's
// migrations_dir, written into an empty file or beside the user's own content (kept byte for byte), and checked.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runWranglerConfig, type WranglerConfigReport } from "../../generator/commands/wrangler-config.js";
import { loadModels } from "../../generator/project/load-models.js";
import { projectPaths } from "../../generator/io/paths.js";
import { parseD1Databases } from "../../generator/wrangler/config.js";
import { wranglerConfigFindings } from "../../generator/wrangler/config-findings.js";
import { editD1Databases } from "../../generator/wrangler/edit.js";
import { placeholderDatabaseId } from "../../generator/wrangler/placeholder-id.js";
import { SchemaError } from "../../generator/model/errors.js";
import { renderFinding } from "../../generator/model/finding.js";

/** A report with its findings as the command prints them. */
const rendered = (report: WranglerConfigReport) => ({ ...report, findings: report.findings.map(renderFinding) });

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const dsl = path.join(repoRoot, "generator/dsl/index.ts");
const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** APP_DB, and SHARD served by four bindings from one folder. */
async function newProject(): Promise<{ root: string; config: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-wrangler-config-"));
  temporaryDirs.push(root);
  const files: Record<string, string> = {
    "package.json": '{ "type": "module" }\n',
    "schema/app_db/database.ts": `import { database } from ${JSON.stringify(dsl)};\nexport default database({ name: "APP_DB" });\n`,
    "schema/app_db/tables.ts": `import { table, text } from ${JSON.stringify(dsl)};\nexport const teams = table("teams", { id: text().primaryKey() });\n`,
    "schema/shard/database.ts": `import { database } from ${JSON.stringify(dsl)};\nexport default database({ name: "SHARD", bindings: ["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"] });\n`,
    "schema/shard/tables.ts": `import { table, text } from ${JSON.stringify(dsl)};\nexport const events = table("events", { id: text().primaryKey() });\n`,
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return { root, config: path.join(root, "wrangler.toml") };
}

function newBlock(binding: string, name: string, folder: string): string {
  return [
    "[[d1_databases]]",
    `binding = "${binding}"`,
    `database_name = "${name}"`,
    `database_id = "${placeholderDatabaseId(binding)}" # placeholder for --local: set the real id (wrangler d1 list) before --remote`,
    `migrations_dir = "migrations/${folder}"`,
  ].join("\n");
}

async function cli(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repoRoot, "bin/d1-schema.js"), "--root", root, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("wrangler-config", () => {
  it("writes a block per binding into a missing or empty wrangler.toml, the shards at one folder", async () => {
    const { root, config } = await newProject();
    const paths = projectPaths(root);
    expect(rendered(await runWranglerConfig(paths, { configPath: config, write: false }))).toEqual({
      findings: ["wrangler.toml does not exist, so wrangler knows none of the bindings: run `d1-schema wrangler-config --write`"],
      lines: [],
    });

    const written = await runWranglerConfig(paths, { configPath: config, write: true });
    expect(written.lines).toEqual([
      'wrangler.toml: added APP_DB (migrations_dir = "migrations/app_db", a placeholder database_id)',
      ...[0, 1, 2, 3].map((n) => `wrangler.toml: added SHARD_${n} (migrations_dir = "migrations/shard", a placeholder database_id)`),
    ]);
    const expected = [newBlock("APP_DB", "app-db", "app_db"), ...[0, 1, 2, 3].map((n) => newBlock(`SHARD_${n}`, `shard-${n}`, "shard"))].join("\n\n") + "\n";
    expect(await readFile(config, "utf8")).toBe(expected);
    // Distinct ids: wrangler keys a local database by its id, so one id would make the four shards one database.
    expect(new Set(parseD1Databases(expected).map((entry) => entry.database_id)).size).toBe(5);

    expect(rendered(await runWranglerConfig(paths, { configPath: config, write: false }))).toEqual({
      findings: [],
      lines: ["wrangler.toml: all 5 bindings point at their migrations folders"],
    });
    expect((await runWranglerConfig(paths, { configPath: config, write: true })).lines).toEqual(["no changes"]);
    expect(await readFile(config, "utf8")).toBe(expected);

    // An empty file (or one holding only blank lines) gets the same blocks.
    await writeFile(config, "\n");
    await runWranglerConfig(paths, { configPath: config, write: true });
    expect(await readFile(config, "utf8")).toBe(expected);
  });

  it("keeps the rest of the file, its comments and existing database ids, and fixes migrations_dir in place", async () => {
    const { root, config } = await newProject();
    const before = `# ClearLift API worker
name = "clearlift-api" # deployed name
main = "src/index.ts"
compatibility_date = "2025-01-01"

[vars]
NOTE = """
a multi-line string that mentions
[[d1_databases]]
"""

[[d1_databases]]
binding = "APP_DB"
database_name = "clearlift-prod"
database_id = "89f0c3c8-1111-4222-8333-444455556666" # production
migrations_dir = "db/migrations" # old layout

# Shard 0 is already there
[[d1_databases]]
  binding = "SHARD_0"
  database_name = "shard-0-prod"
  database_id = "11111111-2222-4333-8444-555555555555"

# queues follow
[[queues.producers]]
binding = "Q"
queue = "events"

[env.staging]
name = "clearlift-api-staging"

[[env.staging.d1_databases]]
binding = "APP_DB"
database_name = "staging"
database_id = "aaaaaaaa-1111-4222-8333-444455556666"
`;
    await writeFile(config, before);
    const report = await runWranglerConfig(projectPaths(root), { configPath: config, write: true });
    expect(report.lines).toEqual([
      'wrangler.toml: APP_DB migrations_dir "db/migrations" → "migrations/app_db"',
      'wrangler.toml: SHARD_0 migrations_dir added "migrations/shard"',
      ...[1, 2, 3].map((n) => `wrangler.toml: added SHARD_${n} (migrations_dir = "migrations/shard", a placeholder database_id)`),
    ]);
    const after = await readFile(config, "utf8");
    expect(after).toBe(
      before
        .replace('migrations_dir = "db/migrations" # old layout', 'migrations_dir = "migrations/app_db" # old layout')
        .replace(
          '  database_id = "11111111-2222-4333-8444-555555555555"\n',
          `  database_id = "11111111-2222-4333-8444-555555555555"\n  migrations_dir = "migrations/shard"\n\n${[1, 2, 3]
            .map((n) => newBlock(`SHARD_${n}`, `shard-${n}`, "shard"))
            .join("\n\n")}\n`,
        ),
    );
    // What wrangler reads: the existing ids kept, the staging environment's block not counted nor touched.
    expect(parseD1Databases(after).map((entry) => [entry.binding, entry.database_id, entry.migrations_dir])).toEqual([
      ["APP_DB", "89f0c3c8-1111-4222-8333-444455556666", "migrations/app_db"],
      ["SHARD_0", "11111111-2222-4333-8444-555555555555", "migrations/shard"],
      ...[1, 2, 3].map((n) => [`SHARD_${n}`, placeholderDatabaseId(`SHARD_${n}`), "migrations/shard"]),
    ]);
    // The staging environment's APP_DB has no migrations_dir: `apply --env staging` would read ./migrations. check
    // mode names it (--write edits the top level only); its missing shards are its own choice.
    const checked = await cli(root, "wrangler-config");
    expect(checked.code).toBe(1);
    expect(checked.stderr.trim().split("\n").slice(1)).toEqual([
      `  - APP_DB: its [[d1_databases]] block in wrangler.toml (env.staging) has no migrations_dir (wrangler would read ./migrations), but APP_DB's migrations are in "migrations/app_db": edit env.staging's d1_databases in wrangler.toml by hand (--write edits the top level)`,
    ]);
  });

  it("check mode exits 1 listing a missing shard binding and a wrong migrations_dir; --write fixes both", async () => {
    const { root, config } = await newProject();
    const block = (binding: string, id: string, dir: string) =>
      `[[d1_databases]]\nbinding = "${binding}"\ndatabase_name = "${binding.toLowerCase()}"\ndatabase_id = "${id}"\nmigrations_dir = "${dir}"\n`;
    await writeFile(
      config,
      [
        block("APP_DB", "10000000-0000-4000-8000-000000000000", "migrations/app_db"),
        block("SHARD_0", "20000000-0000-4000-8000-000000000000", "./migrations/shard/"),
        block("SHARD_1", "30000000-0000-4000-8000-000000000000", "migrations/shard_1"),
        block("SHARD_3", "50000000-0000-4000-8000-000000000000", "migrations/shard"),
      ].join("\n"),
    );
    const checked = await cli(root, "wrangler-config");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toBe(
      [
        "wrangler-config: check failed:",
        '  - SHARD_1: migrations_dir in wrangler.toml is "migrations/shard_1", but SHARD\'s migrations are in "migrations/shard": run `d1-schema wrangler-config --write`',
        "  - SHARD_2: no [[d1_databases]] block in wrangler.toml, so wrangler does not know the binding: run `d1-schema wrangler-config --write`",
        "",
      ].join("\n"),
    );
    // The same findings are what `check` can list, from the models it has loaded.
    const paths = projectPaths(root);
    expect(await wranglerConfigFindings(paths, await loadModels(paths.schemaDir), config)).toHaveLength(2);

    const written = await cli(root, "wrangler-config", "--write");
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(
      'wrangler.toml: SHARD_1 migrations_dir "migrations/shard_1" → "migrations/shard"\nwrangler.toml: added SHARD_2 (migrations_dir = "migrations/shard", a placeholder database_id)\n',
    );
    expect(parseD1Databases(await readFile(config, "utf8")).map((entry) => `${entry.binding} ${entry.migrations_dir}`)).toEqual([
      "APP_DB migrations/app_db",
      "SHARD_0 ./migrations/shard/",
      "SHARD_1 migrations/shard",
      "SHARD_3 migrations/shard",
      "SHARD_2 migrations/shard",
    ]);
    expect((await cli(root, "wrangler-config")).code).toBe(0);
  });

  it("finds shards sharing one database_id, and --write refuses to guess, writing nothing", async () => {
    const { root, config } = await newProject();
    const text = [0, 1, 2, 3]
      .map(
        (n) =>
          `[[d1_databases]]\nbinding = "SHARD_${n}"\ndatabase_name = "shard"\ndatabase_id = "${n < 2 ? "same-id" : `id-${n}`}"\nmigrations_dir = "migrations/shard"\n`,
      )
      .join("\n");
    await writeFile(config, text);
    const paths = projectPaths(root);
    expect((await runWranglerConfig(paths, { configPath: config, write: false })).findings.map(renderFinding)).toEqual([
      "APP_DB: no [[d1_databases]] block in wrangler.toml, so wrangler does not know the binding: run `d1-schema wrangler-config --write`",
      'SHARD_0, SHARD_1: share database_id "same-id" in wrangler.toml, so they are one database, locally and on Cloudflare: give each binding its own database (wrangler d1 create) and id',
    ]);
    await expect(runWranglerConfig(paths, { configPath: config, write: true })).rejects.toThrow(SchemaError);
    expect(await readFile(config, "utf8")).toBe(text);

    const refused = await cli(root, "wrangler-config", "--write");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot be fixed automatically:\n\s+- SHARD_0, SHARD_1: share database_id "same-id"[\s\S]*Nothing was written\./);
  });

  it("reports an invalid wrangler.toml as a finding, and refuses to write into it", async () => {
    const { root, config } = await newProject();
    await writeFile(config, 'name = "x"\n[[d1_databases]\nbinding = "APP_DB"\n');
    const paths = projectPaths(root);
    const [finding] = (await runWranglerConfig(paths, { configPath: config, write: false })).findings;
    expect(renderFinding(finding)).toMatch(/^wrangler\.toml is not valid TOML: .* \(line \d+, column \d+\)$/);
    await expect(runWranglerConfig(paths, { configPath: config, write: true })).rejects.toThrow(/not valid TOML/);
  });
});

describe("wrangler-config on a wrangler.jsonc", () => {
  it("edits the wrangler.jsonc of a generated project, keeping its comments, instead of writing a second wrangler.toml", async () => {
    const { root } = await newProject();
    const config = path.join(root, "wrangler.jsonc");
    // As Cloudflare's project generator writes it: a comment block, tabs, a commented-out key, a trailing comma.
    const before = [
      "/**",
      " * For more details on how to configure Wrangler, refer to:",
      " * https://developers.cloudflare.com/workers/wrangler/configuration/",
      " */",
      "{",
      '\t"$schema": "node_modules/wrangler/config-schema.json",',
      '\t"name": "my-app",',
      '\t"main": "src/index.ts",',
      '\t"compatibility_date": "2025-01-01",',
      '\t"d1_databases": [',
      '\t\t{ "binding": "APP_DB", "database_name": "app", "database_id": "89f0c3c8-1111-4222-8333-444455556666" }, // production',
      "\t],",
      '\t// "vars": { "MY_VARIABLE": "production_value" },',
      "}",
      "",
    ].join("\n");
    await writeFile(config, before);

    const checked = await cli(root, "wrangler-config");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/^wrangler-config: check failed:\n {2}- APP_DB: its "d1_databases" entry in wrangler\.jsonc has no migrations_dir/);

    const written = await cli(root, "wrangler-config", "--write");
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe(
      [
        'wrangler.jsonc: APP_DB migrations_dir added "migrations/app_db"',
        ...[0, 1, 2, 3].map((n) => `wrangler.jsonc: added SHARD_${n} (migrations_dir = "migrations/shard", a placeholder database_id)`),
        "",
      ].join("\n"),
    );
    expect(existsSync(path.join(root, "wrangler.toml"))).toBe(false);
    const after = await readFile(config, "utf8");
    expect(after.startsWith(before.slice(0, before.indexOf('\t"d1_databases"')))).toBe(true);
    // jsonc-parser lays out the object it adds a key to, and a comment after an entry's comma stays after the last entry.
    expect(after).toMatch(/\n\t\t\}, \/\/ production\n\t\],\n/);
    expect(after).toContain(
      `\t\t\t"database_id": "${placeholderDatabaseId("SHARD_3")}", // placeholder for --local: set the real id (wrangler d1 list) before --remote\n`,
    );
    expect(after.endsWith('\t],\n\t// "vars": { "MY_VARIABLE": "production_value" },\n}\n')).toBe(true);
    expect(parseD1Databases(after, "jsonc").map((entry) => [entry.binding, entry.database_id, entry.migrations_dir])).toEqual([
      ["APP_DB", "89f0c3c8-1111-4222-8333-444455556666", "migrations/app_db"],
      ...[0, 1, 2, 3].map((n) => [`SHARD_${n}`, placeholderDatabaseId(`SHARD_${n}`), "migrations/shard"]),
    ]);
    expect(await cli(root, "wrangler-config")).toMatchObject({ code: 0, stdout: "wrangler.jsonc: all 5 bindings point at their migrations folders\n" });
  });
});

describe("the [[d1_databases]] editor", () => {
  it("keeps CRLF line endings and the blocks' indentation", () => {
    const text = '# worker\r\nname = "w"\r\n\r\n[[d1_databases]]\r\n    binding = "DB"\r\n    database_id = "x"\r\n';
    const edited = editD1Databases(text, {
      set: [{ block: 0, key: "migrations_dir", value: "migrations/db" }],
      append: [[{ key: "binding", value: "AI_DB" }]],
    });
    expect(edited).toBe(
      '# worker\r\nname = "w"\r\n\r\n[[d1_databases]]\r\n    binding = "DB"\r\n    database_id = "x"\r\n    migrations_dir = "migrations/db"\r\n\r\n[[d1_databases]]\r\nbinding = "AI_DB"\r\n',
    );
  });

  it("refuses layouts it cannot edit line by line: d1_databases as an inline array, a multi-line value", () => {
    expect(() => editD1Databases('d1_databases = [{ binding = "DB" }]\n', { set: [{ block: 0, key: "migrations_dir", value: "m" }], append: [] })).toThrow(
      /not written as \[\[d1_databases\]\] blocks/,
    );
    expect(() =>
      editD1Databases('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = """\nold"""\n', {
        set: [{ block: 0, key: "migrations_dir", value: "m" }],
        append: [],
      }),
    ).toThrow(/line 3: migrations_dir is not a one-line string/);
  });
});
