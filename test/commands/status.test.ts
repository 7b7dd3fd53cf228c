// `status` against wrangler's real local state: a project with an app database and four shards sharing one
// migrations folder, applied by wrangler itself (APP_DB partly, SHARD_0 only), then a file removed, renamed, edited
// or added out of order; and production's state from saved `wrangler d1 execute --remote --json` output.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStatus } from "../../generator/commands/status.js";
import type { DatabaseStatus, StatusOptions } from "../../generator/status/status.js";
import { computeSum, renderSum } from "../../generator/project/migration-sum.js";
import { projectPaths } from "../../generator/io/paths.js";
import { WranglerStateError } from "../../generator/wrangler/state-error.js";
import { renderFinding } from "../../generator/model/finding.js";
import { integer, table } from "../../generator/dsl/index.js";
import { History, modelOf } from "../helpers/evolve.js";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(repoRoot, "test/fixtures/status");
const temporaryDirs: string[] = [];
const local: StatusOptions = { local: true, remoteStatus: [] };

const shards = ["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"];
const wranglerToml = [
  'name = "status-test"',
  'compatibility_date = "2025-01-01"',
  "",
  "[[d1_databases]]",
  'binding = "APP_DB"',
  'database_name = "app"',
  'database_id = "11111111-1111-4111-8111-111111111111" # any id works locally',
  'migrations_dir = "migrations/app_db"',
  ...shards.flatMap((binding, index) => [
    "",
    "[[d1_databases]]",
    `binding = "${binding}"`,
    `database_name = "shard_${index}"`,
    `database_id = "2222222${index}-2222-4222-8222-222222222222"`,
    'migrations_dir = "migrations/shard"',
  ]),
  "",
].join("\n");

const appMigrations = {
  "0001_create_teams.sql": "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n",
  // Numbers may have gaps; wrangler applies files in name order.
  "0003_create_members.sql": "CREATE TABLE members (id INTEGER PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE);\n",
};

/** The project as wrangler left it: APP_DB at 0003, SHARD_0 at 0001, the other shards never applied; then 0004 written. */
let applied: string;

beforeAll(async () => {
  applied = await temporaryDir();
  await writeFile(path.join(applied, "wrangler.toml"), wranglerToml);
  await writeFiles(path.join(applied, "migrations/app_db"), appMigrations);
  await writeFile(
    path.join(applied, "migrations/app_db/migrations.sum"),
    renderSum(computeSum(Object.entries(appMigrations).map(([fileName, sql]) => ({ fileName, sql })))),
  );
  await writeFiles(path.join(applied, "migrations/shard"), { "0001_create_events.sql": "CREATE TABLE events (id TEXT PRIMARY KEY, payload TEXT);\n" });
  await wrangler(applied, "d1", "migrations", "apply", "APP_DB", "--local");
  await wrangler(applied, "d1", "migrations", "apply", "SHARD_0", "--local");
  await writeFiles(path.join(applied, "migrations/app_db"), { "0004_add_role.sql": "ALTER TABLE members ADD COLUMN role TEXT NOT NULL DEFAULT 'member';\n" });
}, 180_000);

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function temporaryDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-status-"));
  temporaryDirs.push(dir);
  return dir;
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
}

/** wrangler from node_modules, offline and non-interactive, in the project folder (state in .wrangler/state). */
async function wrangler(cwd: string, ...args: string[]): Promise<void> {
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", WRANGLER_LOG_PATH: path.join(cwd, ".logs") };
  await run(path.join(repoRoot, "node_modules/.bin/wrangler"), args, { cwd, env, timeout: 120_000 });
}

/** A copy of the applied project (local state included) to change without touching the others. */
async function copyOfApplied(): Promise<string> {
  const dir = await temporaryDir();
  await cp(applied, dir, { recursive: true });
  return dir;
}

const summaries = (bindings: { binding: string; local?: DatabaseStatus; remote?: DatabaseStatus }[], side: "local" | "remote") =>
  Object.fromEntries(bindings.map((binding) => [binding.binding, binding[side]?.summary]));

function found(status: DatabaseStatus | undefined) {
  if (status?.state !== "found") throw new Error(`expected a database, got ${status?.state}`);
  return status;
}

describe("status on wrangler's local state", () => {
  it("shows applied and pending migrations per binding, each shard on its own, with what the pending files do", async () => {
    const report = await runStatus(projectPaths(applied), local);
    expect(summaries(report.bindings, "local")).toEqual({
      APP_DB: "2/3",
      SHARD_0: "1/1",
      SHARD_1: "no local database",
      SHARD_2: "no local database",
      SHARD_3: "no local database",
    });
    const app = found(report.bindings[0].local);
    expect(app.applied).toEqual(["0001_create_teams.sql", "0003_create_members.sql"]);
    expect(app.pending).toEqual([{ file: "0004_add_role.sql", effects: ["adds column members.role"] }]);
    expect(report.bindings.map((binding) => binding.migrationsDir)).toEqual(["migrations/app_db/", ...shards.map(() => "migrations/shard/")]);
    expect(report.unmatchedLocalFiles).toEqual([]);
    expect(report.findings.map(renderFinding)).toEqual([
      "APP_DB (local): 1 pending: 0004_add_role.sql: run `npx wrangler d1 migrations apply APP_DB --local`",
      ...["SHARD_1", "SHARD_2", "SHARD_3"].map((shard) => `${shard} (local): no local database: run \`npx wrangler d1 migrations apply ${shard} --local\``),
    ]);
  });

  it("reads --persist-to like wrangler, and names local files no binding maps to", async () => {
    const root = await copyOfApplied();
    await rename(path.join(root, ".wrangler/state"), path.join(root, "elsewhere"));
    const persisted = await runStatus(projectPaths(root), { ...local, persistTo: path.join(root, "elsewhere") });
    expect(summaries(persisted.bindings, "local")).toMatchObject({ APP_DB: "2/3", SHARD_0: "1/1", SHARD_1: "no local database" });

    await writeFile(path.join(root, "wrangler.toml"), wranglerToml.replace("22222220-", "99999990-"));
    const moved = await runStatus(projectPaths(root), { ...local, persistTo: path.join(root, "elsewhere") });
    expect(moved.bindings[1].local?.summary).toBe("no local database");
    expect(moved.unmatchedLocalFiles).toEqual([expect.stringMatching(/^elsewhere\/v3\/d1\/miniflare-D1DatabaseObject\/[0-9a-f]{64}\.sqlite$/)]);
  });

  it("reads wrangler.jsonc as wrangler does", async () => {
    const root = await copyOfApplied();
    const blocks = [
      { binding: "APP_DB", database_id: "11111111-1111-4111-8111-111111111111", migrations_dir: "migrations/app_db" },
      ...shards.map((binding, index) => ({ binding, database_id: `2222222${index}-2222-4222-8222-222222222222`, migrations_dir: "migrations/shard" })),
    ];
    await rm(path.join(root, "wrangler.toml"));
    await writeFile(
      path.join(root, "wrangler.jsonc"),
      `// the project\n{\n  "name": "status-test", /* d1 */ "d1_databases": ${JSON.stringify(blocks, null, 2)},\n}\n`,
    );
    const report = await runStatus(projectPaths(root), local);
    expect(report.wranglerConfig).toBe("wrangler.jsonc");
    expect(summaries(report.bindings, "local")).toMatchObject({ APP_DB: "2/3", SHARD_0: "1/1", SHARD_3: "no local database" });
  });

  it("names the entry a binding lacks as the config's format writes it: a TOML block, a JSON entry", async () => {
    const root = await temporaryDir();
    const generation = new History().step(modelOf([table("notes", { id: integer().primaryKey() })]));
    await writeFiles(path.join(root, "migrations/test_db"), {
      [generation.migration!.fileName]: generation.migration!.sql,
      "snapshot.json": generation.snapshot,
    });
    const lacking = (entry: string, setting: string) =>
      `TEST_DB: the wrangler config has no ${entry} for it, so wrangler cannot apply its migrations: add one with ${setting}"migrations/test_db"`;
    await writeFile(path.join(root, "wrangler.jsonc"), '// the project\n{ "name": "x", "d1_databases": [] }\n');
    expect((await runStatus(projectPaths(root), local)).findings.map(renderFinding)).toContain(lacking('"d1_databases" entry', '"migrations_dir": '));
    await rm(path.join(root, "wrangler.jsonc"));
    await writeFile(path.join(root, "wrangler.toml"), 'name = "x"\n');
    expect((await runStatus(projectPaths(root), local)).findings.map(renderFinding)).toContain(lacking("[[d1_databases]] block", "migrations_dir = "));
  });

  it("finds a file d1_migrations lists that no longer exists", async () => {
    const root = await copyOfApplied();
    await rm(path.join(root, "migrations/app_db/0001_create_teams.sql"));
    const report = await runStatus(projectPaths(root), local);
    expect(found(report.bindings[0].local)).toMatchObject({ summary: "2/3, 1 missing", missing: ["0001_create_teams.sql"] });
    expect(report.findings.map(renderFinding)).toContain(
      "APP_DB (local): d1_migrations lists 0001_create_teams.sql, which migrations/app_db/ no longer has: the database keeps its changes; restore the file from git",
    );
  });

  it("finds a renamed file: gone under its applied name, pending under the new one", async () => {
    const root = await copyOfApplied();
    await rename(path.join(root, "migrations/app_db/0003_create_members.sql"), path.join(root, "migrations/app_db/0003_create_team_members.sql"));
    const report = await runStatus(projectPaths(root), local);
    const app = found(report.bindings[0].local);
    expect(app).toMatchObject({ summary: "2/4, 1 missing", missing: ["0003_create_members.sql"] });
    expect(app.pending).toEqual([
      { file: "0003_create_team_members.sql", effects: ["creates table members"] },
      { file: "0004_add_role.sql", effects: ["adds column members.role"] },
    ]);
    expect(report.findings.map(renderFinding)[0]).toBe(
      "APP_DB (local): d1_migrations lists 0003_create_members.sql, which migrations/app_db/ no longer has, and 0003_create_team_members.sql has its number and is pending: renamed (migrations.sum shows the same content); wrangler knows migrations by name and would apply it again: rename it back",
    );
    expect(report.findings.map(renderFinding)[1]).toMatch(/^APP_DB \(local\): 2 pending: 0003_create_team_members\.sql, 0004_add_role\.sql/);
  });

  it("finds two files with the same number, and a pending file numbered below an applied one", async () => {
    const root = await copyOfApplied();
    await writeFiles(path.join(root, "migrations/app_db"), {
      "0003_create_projects.sql": "CREATE TABLE projects (id TEXT PRIMARY KEY);\n",
      "0002_backfill_teams.sql": "UPDATE teams SET name = trim(name);\n",
    });
    const report = await runStatus(projectPaths(root), local);
    expect(found(report.bindings[0].local).pending).toEqual([
      { file: "0002_backfill_teams.sql", effects: ["no schema change"] },
      { file: "0003_create_projects.sql", effects: ["creates table projects"] },
      { file: "0004_add_role.sql", effects: ["adds column members.role"] },
    ]);
    expect(report.findings.map(renderFinding).slice(0, 2)).toEqual([
      "migrations/app_db/: 0003_create_members.sql and 0003_create_projects.sql share a number (two branches merged?): wrangler applies both, in name order; keep the one databases applied and give the other the next number",
      "APP_DB (local): 0002_backfill_teams.sql is pending but numbered below 0003, which is applied: wrangler would apply it late, out of order; give it the next number",
    ]);
  });

  it("finds an applied file edited since: d1_migrations keeps only names, migrations.sum keeps the content", async () => {
    const root = await copyOfApplied();
    await writeFile(path.join(root, "migrations/app_db/0001_create_teams.sql"), "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT);\n");
    const report = await runStatus(projectPaths(root), local);
    expect(report.findings.map(renderFinding)[0]).toBe(
      "APP_DB (local): migrations/app_db/0001_create_teams.sql was edited after it was generated (migrations.sum), and this database applied it: d1_migrations keeps only names, so it has the old version; restore the file from git and put the change in a new migration",
    );
  });

  it("reports a malformed migrations.sum as a finding and goes on without it", async () => {
    const root = await copyOfApplied();
    const sumFile = path.join(root, "migrations/app_db/migrations.sum");
    await writeFile(sumFile, `${await readFile(sumFile, "utf8")}<<<<<<< HEAD\n`);
    const report = await runStatus(projectPaths(root), local);
    expect(report.findings[0]).toMatchObject({ severity: "error", kind: "sum-malformed" });
    expect(renderFinding(report.findings[0])).toMatch(
      /^migrations\/app_db\/migrations\.sum line 4 is malformed: "<<<<<<< HEAD": look at `git diff -- migrations\/app_db`.*`npx d1-schema hash` records the folder as it is$/,
    );
    // The local database still reads as it stands: its rows and applied migrations are there.
    expect(found(report.bindings[0].local)).toMatchObject({ applied: ["0001_create_teams.sql", "0003_create_members.sql"] });
  });

  it("prints the inventory table and the pending files, and exits 1", async () => {
    const cli = await run(process.execPath, [path.join(repoRoot, "bin/d1-schema.js"), "--root", applied, "status"]).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe(
      [
        "binding  database  migrations          local",
        "APP_DB   —         migrations/app_db/  2/3",
        "SHARD_0  —         migrations/shard/   1/1",
        "SHARD_1  —         migrations/shard/   no local database",
        "SHARD_2  —         migrations/shard/   no local database",
        "SHARD_3  —         migrations/shard/   no local database",
        "",
        "pending:",
        "  APP_DB local: 0004_add_role.sql: adds column members.role",
        "",
      ].join("\n"),
    );
    expect(cli.stderr).toMatch(/^status: 4 findings:\n {2}- APP_DB \(local\): 1 pending/);
  }, 60_000);
});

describe("status of production from saved wrangler output", () => {
  const remote = (...files: string[]): StatusOptions => ({ local: false, remoteStatus: files });

  it("shows ClearLift's production at 45/47 and 7/8, with what the missing migrations do", async () => {
    const report = await runStatus(
      projectPaths(repoRoot),
      remote(`ANALYTICS_DB=${path.join(fixtures, "analytics_db-remote.json")}`, path.join(fixtures, "production.json")),
    );
    expect(summaries(report.bindings, "remote")).toEqual({
      AI_DB: "7/8",
      ANALYTICS_DB: "45/47",
      DB: "80/81",
      SHARD_0: "3/3",
      SHARD_1: undefined,
      SHARD_2: undefined,
      SHARD_3: undefined,
    });
    const analytics = found(report.bindings.find((binding) => binding.binding === "ANALYTICS_DB")?.remote);
    // The baseline adopts the 45 hand-written migrations production applied: wrangler will run it as a no-op.
    expect(analytics.adoptedBaseline).toBe("0045_production_baseline.sql");
    expect(analytics.missing).toEqual([]);
    expect(analytics.pending.map((migration) => [migration.file, migration.effects.join("; ")])).toEqual([
      [
        "0046_handoff_patterns.sql",
        "creates tables handoff_observations, handoff_patterns; adds column conversions.handoff_observation_id; adds foreign key conversions(handoff_observation_id) → handoff_observations",
      ],
      ["0047_drop_legacy_platform_tables.sql", expect.stringMatching(/^drops tables facebook_ad_daily_metrics, .*, tiktok_campaigns$/)],
    ]);
    expect(report.findings.map(renderFinding)).toEqual([
      "AI_DB (remote): 1 pending: 0008_drop_dead_cac_history.sql: run `npx wrangler d1 migrations apply AI_DB --remote`",
      "ANALYTICS_DB (remote): 2 pending: 0046_handoff_patterns.sql, 0047_drop_legacy_platform_tables.sql: run `npx wrangler d1 migrations apply ANALYTICS_DB --remote`",
      "DB (remote): its history ends at 0080_hand_written.sql, below 0084_production_baseline.sql, which takes the schema as of 0084 as given: apply the old migrations up to that number first",
    ]);
  });

  it("refuses a saved file it cannot place or read (exit 2)", async () => {
    const bare = path.join(fixtures, "analytics_db-remote.json");
    await expect(runStatus(projectPaths(repoRoot), remote(bare))).rejects.toThrow(WranglerStateError);
    await expect(runStatus(projectPaths(repoRoot), remote(`NOPE_DB=${bare}`))).rejects.toThrow(/names NOPE_DB, which neither/);
    const dir = await temporaryDir();
    await writeFile(path.join(dir, "bad.json"), JSON.stringify({ AI_DB: [{ success: true }] }));
    await expect(runStatus(projectPaths(repoRoot), remote(path.join(dir, "bad.json")))).rejects.toThrow(/is neither the output of `wrangler d1 execute AI_DB/);
    expect((JSON.parse(await readFile(bare, "utf8")) as { results: unknown[] }[])[0].results).toHaveLength(45);
  });
});
