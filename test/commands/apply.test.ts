// apply: check, then `wrangler d1 migrations apply` binding by binding on wrangler's real local D1 engine. Every
// ClearLift binding, the four shards each in its own local database, ends with nothing pending as wrangler itself
// reports it; a second run applies nothing; a failing migration stops the run. --remote (no network here) is
// checked through the command lines it would run.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { describeApply, runApply } from "../../generator/commands/apply.js";
import { runWranglerConfig } from "../../generator/commands/wrangler-config.js";
import { projectPaths } from "../../generator/io/paths.js";
import { localWranglerRunner, type WranglerResult, type WranglerRunner } from "../../generator/wrangler/run-wrangler.js";
import { wranglerConfigPath } from "../../generator/wrangler/config.js";
import { readMigrationsOutput } from "../../generator/wrangler/wrangler-output.js";
import { renderFinding } from "../../generator/model/finding.js";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const temporaryDirs: string[] = [];
const wranglerTimeout = 300_000;

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * An empty project with its own copy of the generator and the CLI (and the repository's packages). A copy, not a
 * symlink: the squashes and types are stamped with a hash of the generator's rendering code, and apply runs check
 * in a later process, so an edit to the work tree's generator between two commands must not make them stale.
 */
async function newProject(prefix: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(root);
  for (const dir of ["generator", "bin"]) await cp(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  return root;
}

/** What a schema file of the project at `root` imports. */
function dslOf(root: string): string {
  return JSON.stringify(path.join(root, "generator/dsl/index.ts"));
}

/** APP_DB's schema with one table, teams. */
async function writeTeamsSchema(root: string): Promise<void> {
  const dsl = dslOf(root);
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
  await writeFile(
    path.join(root, "schema/app_db/tables.ts"),
    `import { table, text } from ${dsl};\nexport const teams = table("teams", { id: text().primaryKey() });\n`,
  );
}

/** APP_DB with teams, generated: its first migration is 0001_create_teams.sql. */
async function generateTeams(root: string): Promise<void> {
  await writeTeamsSchema(root);
  expect((await cli(root, "generate")).code).toBe(0);
}

let clearLift: Promise<string> | undefined;

/**
 * A project holding a copy of ClearLift's schema/, migrations/ and generated/, made once for the tests of this
 * file. `generate` runs first and must find nothing to write but restamped files (on a clean checkout it prints
 * "no changes"; in a work tree whose generator is being edited, the copied stamps may be stale).
 */
function clearLiftProject(): Promise<string> {
  clearLift ??= (async () => {
    const root = await newProject("d1-schema-apply-clearlift-");
    for (const dir of ["schema", "migrations", "generated"]) await cp(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
    const generated = await cli(root, "generate");
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).not.toMatch(/\.sql$/m);
    return root;
  })();
  return clearLift;
}

/** Logs of every wrangler run stay in the test's folder, not in the user's home. */
function wranglerEnv(root: string): Record<string, string> {
  return { WRANGLER_LOG_PATH: path.join(root, "wrangler-logs") };
}

async function cli(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, "bin/d1-schema.js"), "--root", root, ...args], {
      cwd: root,
      env: { ...process.env, ...wranglerEnv(root) },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** What `wrangler d1 migrations list <binding> --local` reports as pending. */
async function pendingLocally(root: string, persist: string, binding: string): Promise<{ pending: string[]; nothingToApply: boolean }> {
  const wrangler = localWranglerRunner(root, { env: wranglerEnv(root) });
  const result = await wrangler(["d1", "migrations", "list", binding, "--local", `--persist-to=${persist}`, `--config=${path.join(root, "wrangler.toml")}`], {
    cwd: root,
  });
  expect(result.code, result.stderr).toBe(0);
  const { pending, nothingToApply } = readMigrationsOutput(result.stdout);
  return { pending, nothingToApply };
}

/** d1_migrations of every local database wrangler made under `persist`, one sorted list per database. */
async function recordedMigrations(persist: string): Promise<string[]> {
  const dir = path.join(persist, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sqlite") && file !== "metadata.sqlite");
  return files
    .map((file) => {
      const db = new Database(path.join(dir, file), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare("SELECT name FROM d1_migrations ORDER BY id").all() as { name: string }[]).map((row) => row.name).join(" ");
      } finally {
        db.close();
      }
    })
    .sort();
}

const clearLiftBindings = ["AI_DB", "ANALYTICS_DB", "DB", "SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"];

describe("apply --local on wrangler's local D1 engine", () => {
  it(
    "applies every ClearLift binding, each shard in its own database; then nothing is pending and a second run applies nothing",
    { timeout: wranglerTimeout },
    async () => {
      const root = await clearLiftProject();
      const persist = path.join(root, "d1-state");
      expect((await cli(root, "wrangler-config", "--write")).code).toBe(0);
      expect(await pendingLocally(root, persist, "SHARD_2")).toEqual({ pending: ["0003_production_baseline.sql"], nothingToApply: false });

      const first = await cli(root, "apply", "--local", "--persist-to", persist);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe(
        [
          "AI_DB         applied 2 (0007_production_baseline.sql, 0008_drop_dead_cac_history.sql), 2/2",
          "ANALYTICS_DB  applied 3 (0045_production_baseline.sql, 0046_handoff_patterns.sql, 0047_drop_legacy_platform_tables.sql), 3/3",
          "DB            applied 1 (0084_production_baseline.sql), 1/1",
          "SHARD_0       applied 1 (0003_production_baseline.sql), 1/1",
          "SHARD_1       applied 1 (0003_production_baseline.sql), 1/1",
          "SHARD_2       applied 1 (0003_production_baseline.sql), 1/1",
          "SHARD_3       applied 1 (0003_production_baseline.sql), 1/1",
          "",
        ].join("\n"),
      );
      // wrangler's own view, binding by binding: "✅ No migrations to apply!" and no table of pending files.
      for (const binding of clearLiftBindings) {
        expect(await pendingLocally(root, persist, binding), binding).toEqual({ pending: [], nothingToApply: true });
      }
      // d1-schema's status agrees: every binding found locally, everything applied, nothing pending, no finding.
      const status = await cli(root, "status", "--persist-to", persist, "--json");
      expect(status.code, status.stderr).toBe(0);
      const report = JSON.parse(status.stdout) as {
        ok: boolean;
        bindings: { binding: string; local?: { state: string; pending?: unknown[]; summary: string } }[];
      };
      expect(report.ok).toBe(true);
      for (const binding of clearLiftBindings) {
        const local = report.bindings.find((entry) => entry.binding === binding)?.local;
        expect(local?.state, binding).toBe("found");
        expect(local?.pending, binding).toEqual([]);
      }
      // Seven local databases, each with its own d1_migrations: the shards are four databases, not one.
      expect(await recordedMigrations(persist)).toEqual(
        [
          "0007_production_baseline.sql 0008_drop_dead_cac_history.sql",
          "0045_production_baseline.sql 0046_handoff_patterns.sql 0047_drop_legacy_platform_tables.sql",
          "0084_production_baseline.sql",
          ...Array<string>(4).fill("0003_production_baseline.sql"),
        ].sort(),
      );

      const second = await cli(root, "apply", "--local", "--persist-to", persist);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout.trim().split("\n")).toEqual(
        ["AI_DB         applied 0, 2/2", "ANALYTICS_DB  applied 0, 3/3", "DB            applied 0, 1/1"].concat(
          [0, 1, 2, 3].map((n) => `SHARD_${n}       applied 0, 1/1`),
        ),
      );
    },
  );

  it(
    "stops at the first failing migration with exit 1, naming the binding, the file and D1's error; later bindings are left alone",
    { timeout: wranglerTimeout },
    async () => {
      const root = await newProject("d1-schema-apply-failure-");
      const dsl = dslOf(root);
      const members = (indexes: string) =>
        `import { integer, table, text, uniqueIndex } from ${dsl};\n` +
        `export const members = table("members", { id: integer().primaryKey(), email: text().notNull() }, { indexes: [${indexes}] });\n`;
      const files: Record<string, string> = {
        "package.json": '{ "type": "module" }\n',
        "schema/app_db/database.ts": `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`,
        "schema/app_db/tables.ts": members(""),
        "schema/shard/database.ts": `import { database } from ${dsl};\nexport default database({ name: "SHARD", bindings: ["S_0", "S_1"] });\n`,
        "schema/shard/tables.ts": `import { table, text } from ${dsl};\nexport const events = table("events", { id: text().primaryKey() });\n`,
      };
      for (const [file, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), content);
      }
      const persist = path.join(root, "d1-state");
      expect((await cli(root, "generate")).code).toBe(0);
      expect((await cli(root, "wrangler-config", "--write")).code).toBe(0);
      const appOnly = await cli(root, "apply", "--local", "--database", "APP_DB", "--persist-to", persist);
      expect(appOnly.stdout).toBe("APP_DB  applied 1 (0001_create_members.sql), 1/1\n");

      // Rows the next migration cannot take: a UNIQUE index over duplicate emails. check passes (the files are
      // consistent); only the database refuses.
      const wrangler = localWranglerRunner(root, { env: wranglerEnv(root) });
      const insert = await wrangler(
        [
          "d1",
          "execute",
          "APP_DB",
          "--local",
          `--persist-to=${persist}`,
          `--config=${path.join(root, "wrangler.toml")}`,
          "--command",
          "INSERT INTO members (email) VALUES ('a@x'), ('a@x')",
        ],
        { cwd: root },
      );
      expect(insert.code, insert.stderr).toBe(0);
      await writeFile(path.join(root, "schema/app_db/tables.ts"), members('uniqueIndex("idx_members_email").on("email")'));
      expect((await cli(root, "generate")).code).toBe(0);

      const failed = await cli(root, "apply", "--local", "--persist-to", persist);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toBe("");
      expect(failed.stderr).toBe(
        [
          "APP_DB  failed at 0002_add_indexes_to_members.sql: UNIQUE constraint failed: members.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE); applied 0, 1/2",
          "not applied (stopped at the first failure): S_0, S_1",
          "",
        ].join("\n"),
      );
      expect(await pendingLocally(root, persist, "APP_DB")).toEqual({ pending: ["0002_add_indexes_to_members.sql"], nothingToApply: false });
      expect(await pendingLocally(root, persist, "S_0")).toEqual({ pending: ["0001_create_events.sql"], nothingToApply: false });
    },
  );

  it(
    "generate --local writes nothing when the new migration would fail on the local rows, and writes it once a backfill fills them",
    { timeout: wranglerTimeout },
    async () => {
      const root = await newProject("d1-schema-generate-local-");
      const dsl = dslOf(root);
      const members = (columns: string) =>
        `import { integer, table, text } from ${dsl};\nexport const members = table("members", { id: integer().primaryKey(), email: text()${columns} });\n`;
      await mkdir(path.join(root, "schema/app_db"), { recursive: true });
      await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
      await writeFile(path.join(root, "schema/app_db/tables.ts"), members(""));
      const persist = path.join(root, "d1-state");
      expect((await cli(root, "generate")).code).toBe(0);
      expect((await cli(root, "wrangler-config", "--write")).code).toBe(0);
      expect((await cli(root, "apply", "--local", "--persist-to", persist)).code).toBe(0);
      await run(
        path.join(repoRoot, "node_modules/.bin/wrangler"),
        [
          "d1",
          "execute",
          "APP_DB",
          "--local",
          "--persist-to",
          persist,
          "--command",
          "INSERT INTO members (id, email) VALUES (1, 'a@x'), (2, NULL), (3, 'a@x')",
        ],
        { cwd: root, env: { ...process.env, ...wranglerEnv(root) } },
      );
      const migrations = () => readdir(path.join(root, "migrations/app_db"));
      const before = await migrations();

      await writeFile(path.join(root, "schema/app_db/tables.ts"), members(".notNull().unique()"));
      const refused = await cli(root, "generate", "--local", "--persist-to", persist);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /APP_DB\.members\.email: becomes NOT NULL with no default or backfill, and 1 row of APP_DB's local members hold NULL there/,
      );
      expect(refused.stderr).toMatch(/APP_DB\.members: UNIQUE \(email\) is added, but APP_DB's local members has 1 key that repeat/);
      expect(refused.stderr).toMatch(/Nothing was written\.\n$/);
      expect(await migrations()).toEqual(before);
      // A backfill for the NULLs, and no UNIQUE over the repeated address: nothing would fail, and it is written.
      await writeFile(path.join(root, "schema/app_db/tables.ts"), members(".notNull().backfill(\"'unknown@x'\")"));
      const written = await cli(root, "generate", "--local", "--persist-to", persist);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toMatch(/migrations\/app_db\/0002_\w+\.sql/);
    },
  );
});

/** A runner standing in for wrangler: records each command line and answers with `reply(binding)`. */
function fakeWrangler(reply: (binding: string) => Partial<WranglerResult> = () => ({})): { runner: WranglerRunner; calls: { args: string[]; cwd: string }[] } {
  const calls: { args: string[]; cwd: string }[] = [];
  const runner: WranglerRunner = (args, { cwd }) => {
    calls.push({ args: [...args], cwd });
    return Promise.resolve({ code: 0, stdout: "✅ No migrations to apply!\n", stderr: "", timedOut: false, ...reply(args[3]) });
  };
  return { runner, calls };
}

/** apply's output as wrangler 4.86 prints it when it applies one pending file (production's AI_DB at 7/8). */
const appliedOneOutput = `Migrations to be applied:
┌────────────────────────────────┐
│ name                           │
├────────────────────────────────┤
│ 0008_drop_dead_cac_history.sql │
└────────────────────────────────┘
🌀 Executing on remote database AI_DB (a1b2c3d4-0000-4000-8000-000000000001):
┌────────────────────────────────┬────────┐
│ name                           │ status │
├────────────────────────────────┼────────┤
│ 0008_drop_dead_cac_history.sql │ ✅     │
└────────────────────────────────┴────────┘
`;

describe("apply's gates and --remote", () => {
  it("runs --remote through the same path: one wrangler command line per binding, after refusing placeholder ids", { timeout: 60_000 }, async () => {
    const root = await clearLiftProject();
    const paths = projectPaths(root);
    // Not the project's wrangler.toml (the local test uses that one): a config in a subfolder, so migrations_dir
    // is relative to it ("../migrations/shard").
    const configPath = path.join(root, "remote", "wrangler.toml");
    await mkdir(path.dirname(configPath), { recursive: true });
    await runWranglerConfig(paths, { configPath, write: true });

    const placeholders = fakeWrangler();
    const refused = await runApply(paths, { target: "remote", configPath, runner: placeholders.runner });
    expect(placeholders.calls).toEqual([]);
    expect(refused.blocked?.by).toBe("config");
    expect(refused.blocked?.findings).toHaveLength(7);
    expect(refused.blocked?.findings.map(renderFinding)[0]).toMatch(
      /^AI_DB: database_id "00000000-0000-4000-8000-[0-9a-f]{12}" is the placeholder wrangler-config wrote in remote\/wrangler\.toml, and --remote needs the id of the real D1 database/,
    );
    expect(await readFile(configPath, "utf8")).toMatch(
      /binding = "SHARD_3"\ndatabase_name = "shard-3"\ndatabase_id = .*\nmigrations_dir = "..\/migrations\/shard"\n$/,
    );

    // The real ids, as `wrangler d1 list` would give them.
    let serial = 0;
    await writeFile(
      configPath,
      (await readFile(configPath, "utf8")).replace(/"00000000-0000-4000-8000-[0-9a-f]{12}"/g, () => `"a1b2c3d4-0000-4000-8000-00000000000${++serial}"`),
    );
    const remote = fakeWrangler((binding) => (binding === "AI_DB" ? { stdout: appliedOneOutput } : {}));
    const report = await runApply(paths, { target: "remote", configPath, runner: remote.runner, persistTo: "ignored-for-remote" });
    expect(remote.calls).toEqual(
      clearLiftBindings.map((binding) => ({ args: ["d1", "migrations", "apply", binding, "--remote", `--config=${configPath}`], cwd: root })),
    );
    expect(describeApply(report)).toEqual([
      "AI_DB         applied 1 (0008_drop_dead_cac_history.sql), 2/2",
      "ANALYTICS_DB  applied 0, 3/3",
      "DB            applied 0, 1/1",
      ...[0, 1, 2, 3].map((n) => `SHARD_${n}       applied 0, 1/1`),
    ]);

    // One database or one shard; --local adds --persist-to.
    const one = fakeWrangler();
    await runApply(paths, { target: "local", only: "SHARD_2", configPath, runner: one.runner, persistTo: "/tmp/state" });
    expect(one.calls.map((call) => call.args)).toEqual([
      ["d1", "migrations", "apply", "SHARD_2", "--local", "--persist-to=/tmp/state", `--config=${configPath}`],
    ]);
    const shards = fakeWrangler();
    await runApply(paths, { target: "remote", only: "shard", configPath, runner: shards.runner });
    expect(shards.calls.map((call) => call.args[3])).toEqual(["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"]);
  });

  it("uses the project's wrangler.jsonc: check and apply read it, wrangler-config edits it, wrangler is pointed at it", { timeout: 120_000 }, async () => {
    const root = await newProject("d1-schema-apply-jsonc-");
    await generateTeams(root);
    const configPath = path.join(root, "wrangler.jsonc");
    await writeFile(configPath, '// made by create-cloudflare\n{\n\t"name": "my-app",\n\t"compatibility_date": "2025-01-01",\n}\n');

    const unchecked = await cli(root, "check");
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toContain('  - APP_DB: no "d1_databases" entry in wrangler.jsonc, so wrangler does not know the binding');
    const notReady = await cli(root, "apply", "--local");
    expect(notReady.code).toBe(1);
    // check reads the wrangler.jsonc too, so apply stops at check.
    expect(notReady.stderr).toMatch(/^apply: check failed; nothing was applied:\n {2}- APP_DB: no "d1_databases" entry in wrangler\.jsonc/);

    expect((await cli(root, "wrangler-config", "--write")).stdout).toBe(
      'wrangler.jsonc: added APP_DB (migrations_dir = "migrations/app_db", a placeholder database_id)\n',
    );
    expect(await readdir(root)).not.toContain("wrangler.toml");
    expect(await readFile(configPath, "utf8")).toMatch(
      /^\/\/ made by create-cloudflare\n\{\n\t"name": "my-app",\n[\s\S]*\t\t\t"migrations_dir": "migrations\/app_db"\n/,
    );
    expect((await cli(root, "check")).code).toBe(0);

    const paths = projectPaths(root);
    const local = fakeWrangler();
    const report = await runApply(paths, { target: "local", configPath: wranglerConfigPath({ root }, undefined), runner: local.runner });
    expect(local.calls).toEqual([{ args: ["d1", "migrations", "apply", "APP_DB", "--local", `--config=${configPath}`], cwd: root }]);
    expect(describeApply(report)).toEqual(["APP_DB  applied 0, 1/1"]);
    const remote = fakeWrangler();
    const refused = await runApply(paths, { target: "remote", configPath, runner: remote.runner });
    expect(refused.blocked?.by).toBe("config");
    expect(refused.blocked?.findings.map(renderFinding)).toEqual([
      expect.stringMatching(/^APP_DB: database_id "00000000-0000-4000-8000-[0-9a-f]{12}" is the placeholder wrangler-config wrote in wrangler\.jsonc/),
    ]);
    expect(remote.calls).toEqual([]);
    const remoteCli = await cli(root, "apply", "--remote");
    expect(remoteCli.stderr).toMatch(/^apply: wrangler\.jsonc is not ready; nothing was applied:\n {2}- APP_DB: database_id "00000000-/);
  });

  it("applies and reports one wrangler environment with --env: its own database ids and local databases", { timeout: 180_000 }, async () => {
    const root = await newProject("d1-schema-apply-env-");
    await generateTeams(root);
    const entry = (id: string) => `binding = "APP_DB"\ndatabase_name = "app"\ndatabase_id = "${id}"\nmigrations_dir = "migrations/app_db"\n`;
    await writeFile(
      path.join(root, "wrangler.toml"),
      `name = "app"\n\n[[d1_databases]]\n${entry("00000000-0000-4000-8000-00000000aaaa")}\n[env.staging]\nname = "app-staging"\n\n[[env.staging.d1_databases]]\n${entry("00000000-0000-4000-8000-00000000bbbb")}`,
    );
    const persist = path.join(root, "state");

    const applied = await cli(root, "apply", "--local", "--env", "staging", "--persist-to", persist);
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("APP_DB  applied 1 (0001_create_teams.sql), 1/1");
    // Only the staging database exists locally, and status reads it under --env staging only.
    expect(await recordedMigrations(persist)).toEqual(["0001_create_teams.sql"]);
    const staging = JSON.parse((await cli(root, "status", "--env", "staging", "--persist-to", persist, "--json")).stdout) as {
      bindings: { binding: string; local?: { applied: string[] } }[];
    };
    expect(staging.bindings.map((binding) => [binding.binding, binding.local?.applied])).toEqual([["APP_DB", ["0001_create_teams.sql"]]]);
    const top = JSON.parse((await cli(root, "status", "--persist-to", persist, "--json")).stdout) as { bindings: { local?: { state: string } }[] };
    expect(top.bindings.map((binding) => binding.local?.state)).toEqual(["no local database"]);

    const unknown = await cli(root, "apply", "--local", "--env", "prod", "--persist-to", persist);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no environment "prod" ([env.prod]); it has staging');

    // check holds an environment's entries to the same rules: here its migrations_dir points elsewhere.
    const config = await readFile(path.join(root, "wrangler.toml"), "utf8");
    await writeFile(path.join(root, "wrangler.toml"), config.replace(/(\[\[env\.staging\.d1_databases\]\][\s\S]*)migrations\/app_db/, "$1migrations/old"));
    const checked = await cli(root, "check", "--no-cache");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(
      `- APP_DB: migrations_dir in wrangler.toml (env.staging) is "migrations/old", but APP_DB's migrations are in "migrations/app_db": edit env.staging's d1_databases in wrangler.toml by hand`,
    );
    expect((await cli(root, "apply", "--local", "--env", "staging", "--persist-to", persist)).stderr).toContain("wrangler.toml (env.staging)");
  });

  it("applies nothing when check fails, or when wrangler.toml lacks the bindings", async () => {
    const root = await newProject("d1-schema-apply-gates-");
    await writeTeamsSchema(root);
    const paths = projectPaths(root);
    const configPath = path.join(root, "wrangler.toml");
    const never = fakeWrangler();

    const unchecked = await runApply(paths, { target: "local", configPath, runner: never.runner });
    expect({ ...unchecked.blocked, findings: unchecked.blocked?.findings.map(renderFinding) }).toEqual({
      by: "check",
      findings: [
        "APP_DB: no snapshot (migrations/app_db/snapshot.json): run `npx d1-schema generate` and commit the result",
        "generated/index.ts is missing: run `npx d1-schema generate` and commit the result",
      ],
    });

    expect((await cli(root, "generate")).code).toBe(0);
    const noConfig = await cli(root, "apply", "--local");
    expect(noConfig.code).toBe(1);
    expect(noConfig.stderr).toBe(
      "apply: wrangler.toml is not ready; nothing was applied:\n  - wrangler.toml does not exist, so wrangler knows none of the bindings: run `d1-schema wrangler-config --write`\n",
    );
    await writeFile(configPath, '[[d1_databases]]\nbinding = "APP_DB"\ndatabase_id = "x"\n');
    const noDir = await runApply(paths, { target: "local", configPath, runner: never.runner });
    expect(noDir.blocked?.findings.map(renderFinding)).toEqual([
      'APP_DB: its [[d1_databases]] block in wrangler.toml has no migrations_dir (wrangler would read ./migrations), but APP_DB\'s migrations are in "migrations/app_db": run `d1-schema wrangler-config --write`',
    ]);
    expect(never.calls).toEqual([]);

    expect((await cli(root, "apply")).stderr).toMatch(/^name where to apply: --local or --remote/);
    expect((await cli(root, "apply", "--local", "--database", "NOPE")).stderr).toMatch(
      /^error: NOPE: is neither a database under schema\/ nor one of their bindings\n {2}fix: use one of: APP_DB\n/,
    );
    expect((await cli(root, "apply", "--remote", "--persist-to", "x")).code).toBe(2);
  });
});
