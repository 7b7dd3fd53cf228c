// `verify`: every migrations folder replays to its snapshot and its squash, and every migration keeps the rows of a
// database filled with sample rows. ClearLift's committed history passes; a textbook rebuild that loses a CASCADE
// child's rows, and one a RESTRICT child makes fail, are reported by name.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generateDatabase } from "../../generator/pipeline/generate-database.js";
import { runVerify } from "../../generator/commands/verify.js";
import { database, integer, table, text } from "../../generator/dsl/index.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import { freshFileName, freshSchemaPath, projectPaths, snapshotPath } from "../../generator/io/paths.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { addSampleRows, captureRows, rowLosses } from "../../generator/sqlite/sample-rows.js";
import { renderFinding } from "../../generator/model/finding.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const teams = table("teams", { id: text().primaryKey(), name: text().notNull() });
const members = (onDelete: "cascade" | "restrict") =>
  table("members", { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete }), email: text().notNull() });
const notes = table("notes", { id: integer().primaryKey(), team_id: text().references("teams", "id", { onDelete: "set null" }), body: text().notNull() });

/** The rebuild drizzle-kit, Prisma and Atlas write: copy, drop the original, rename the copy. */
const textbookRebuild = `-- Hand-written: make teams.name unique the textbook way.
CREATE TABLE teams_new (id TEXT PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO teams_new (id, name) SELECT id, name FROM teams;
DROP TABLE teams;
ALTER TABLE teams_new RENAME TO teams;
`;

/** A project whose first migration, snapshot and squash generate wrote for `tables`, plus hand-written migrations. */
async function project(tables: TableDefinition[], handWritten: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-verify-"));
  temporaryDirs.push(root);
  const paths = projectPaths(root);
  const model = normalizeDatabase("app_db", database({ name: "APP_DB" }), tables);
  const generated = generateDatabase(model, undefined, [], { allowDestructive: false });
  const files = {
    [path.join(paths.migrationsDir, "app_db", generated.migration!.fileName)]: generated.migration!.sql,
    [snapshotPath(paths, "app_db")]: generated.snapshot,
    [freshSchemaPath(paths, "app_db", freshFileName)]: generated.fresh!,
    ...Object.fromEntries(Object.entries(handWritten).map(([name, sql]) => [path.join(paths.migrationsDir, "app_db", name), sql])),
  };
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

describe("verify", () => {
  it("passes ClearLift's committed migrations: replay = snapshot = squash, and every migration keeps every row", async () => {
    const report = await runVerify(projectPaths(repoRoot), undefined);
    expect(report.findings.map(renderFinding)).toEqual([]);
    expect(report.databases.map((database) => database.database)).toEqual(expect.arrayContaining(["DB", "AI_DB", "ANALYTICS_DB", "SHARD"]));
    for (const database of report.databases) {
      expect([database.database, database.snapshot, database.squash]).toEqual([database.database, "same", "same"]);
      for (const check of database.migrations) {
        expect([check.file, check.result]).toEqual([check.file, "ok"]);
        // Every table took a sample row, so every table's rows were checked.
        expect(check.notes.filter((note) => note.includes("held no sample row"))).toEqual([]);
      }
    }
    const analytics = report.databases.find((database) => database.database === "ANALYTICS_DB")!;
    expect(analytics.migrations.map((check) => [check.file, check.tablesChecked])).toEqual([
      ["0045_production_baseline.sql", 0],
      ["0046_handoff_patterns.sql", 128],
      ["0047_drop_legacy_platform_tables.sql", 114],
    ]);
    expect(analytics.migrations[2].notes[0]).toMatch(/^drops 16 tables facebook_ad_daily_metrics, .*tiktok_campaigns \(32 rows\)$/);
  }, 60_000);

  it("reports the rows a textbook rebuild loses: a CASCADE child's rows and a SET NULL child's links", async () => {
    const root = await project([teams, members("cascade"), notes], { "0002_rebuild_teams.sql": textbookRebuild });
    const report = await runVerify(projectPaths(root), "APP_DB");
    const [app] = report.databases;
    expect([app.snapshot, app.squash]).toEqual(["same", "same"]);
    expect(app.migrations.map((check) => [check.file, check.result])).toEqual([
      ["0001_create_3_tables.sql", "ok"],
      ["0002_rebuild_teams.sql", "loses rows"],
    ]);
    expect(app.migrations[1].problems).toEqual(["members: 1 of 1 rows lost", "notes: values changed: team_id 'teams.id#2' → NULL"]);
    expect(report.findings.map(renderFinding)).toEqual([
      "APP_DB: migrations/app_db/0002_rebuild_teams.sql members: 1 of 1 rows lost",
      "APP_DB: migrations/app_db/0002_rebuild_teams.sql notes: values changed: team_id 'teams.id#2' → NULL",
    ]);
  });

  it("reports a migration that fails on rows by name, and checks nothing after it", async () => {
    const root = await project([teams, members("restrict")], {
      "0002_rebuild_teams.sql": textbookRebuild,
      "0003_add_role.sql": "ALTER TABLE members ADD COLUMN role TEXT;\n",
    });
    const [app] = (await runVerify(projectPaths(root), undefined)).databases;
    expect(app.migrations.map((check) => [check.file, check.result, ...check.problems])).toEqual([
      ["0001_create_members_and_teams.sql", "ok"],
      ["0002_rebuild_teams.sql", "fails", "fails on a database with rows (it works on an empty one): FOREIGN KEY constraint failed"],
      ["0003_add_role.sql", "not checked"],
    ]);
    // The replay on an empty database works, and 0003 adds a column the snapshot does not have.
    expect(app.findings.map(renderFinding)).toEqual([
      "APP_DB: migrations/app_db/0002_rebuild_teams.sql fails on a database with rows (it works on an empty one): FOREIGN KEY constraint failed",
      "APP_DB: replaying migrations/app_db/ does not give the snapshot's schema (from it to the replay: adds column members.role): a file was edited by hand; restore it from git",
      "APP_DB: replaying migrations/app_db/ does not give the schema of migrations/fresh/app_db/0001_complete_schema.sql (from it to the replay: adds column members.role): a file was edited by hand; restore it from git",
    ]);
  });

  it("reports a migration that fails on an empty database", async () => {
    const root = await project([teams], { "0002_broken.sql": "ALTER TABLE team ADD COLUMN slug TEXT;\n" });
    const [app] = (await runVerify(projectPaths(root), undefined)).databases;
    expect([app.snapshot, app.squash]).toEqual(["not replayed", "not replayed"]);
    expect(app.findings.map(renderFinding)).toEqual([
      "APP_DB: migrations/app_db/0002_broken.sql fails on an empty database (wrangler stops there): no such table: team",
    ]);
  });

  it("prints a line per database and migration, or JSON, and exits 1 on a finding", async () => {
    const root = await project([teams, members("cascade")], { "0002_rebuild_teams.sql": textbookRebuild });
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [path.join(repoRoot, "bin/d1-schema.js"), "--root", root, "verify", ...args]).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const human = await cli();
    expect(human.code).toBe(1);
    expect(human.stdout.split("\n").slice(0, 3)).toEqual([
      "APP_DB  migrations/app_db/: the replay of 2 migrations matches the snapshot and matches the fresh squash",
      "APP_DB  0001_create_members_and_teams.sql  ok: no rows before it",
      "APP_DB  0002_rebuild_teams.sql  LOSES ROWS: members: 1 of 1 rows lost",
    ]);
    expect(human.stderr).toMatch(/verify failed:\n {2}- APP_DB: migrations\/app_db\/0002_rebuild_teams\.sql members: 1 of 1 rows lost/);
    const json = await cli("--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, databases: [{ database: "APP_DB", migrations: [{ result: "ok" }, { result: "loses rows" }] }] });
    expect((await cli("--database", "NOPE")).code).toBe(2);
  }, 60_000);
});

describe("sample rows", () => {
  const schema = `
    CREATE TABLE people (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES people (id), name TEXT NOT NULL);
    CREATE TABLE a (id TEXT PRIMARY KEY, b_id TEXT REFERENCES b (id));
    CREATE TABLE b (id TEXT PRIMARY KEY, a_id TEXT REFERENCES a (id));
    CREATE TABLE memberships (
      org TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('owner', 'member')), PRIMARY KEY (org, user)
    ) WITHOUT ROWID;
    CREATE TABLE grants (id INTEGER PRIMARY KEY, org TEXT NOT NULL, user TEXT NOT NULL, FOREIGN KEY (org, user) REFERENCES memberships (org, user) ON DELETE CASCADE);
    CREATE TABLE singleton (id TEXT PRIMARY KEY NOT NULL DEFAULT 'only' CHECK (id = 'only'), value TEXT NOT NULL);
    CREATE TABLE emails (email TEXT NOT NULL UNIQUE, score INTEGER UNIQUE, ratio REAL, amount NUMERIC, data BLOB NOT NULL);
  `;

  it("adds a row to every table each round: keys, cycles, composite and self references, CHECK lists, a single-row table", () => {
    const db = openMemoryDatabase();
    db.exec(schema);
    expect(addSampleRows(db, 1)).toEqual([]);
    const refused = addSampleRows(db, 2);
    expect(refused.map((entry) => entry.table)).toEqual(["singleton"]);
    expect(refused[0].reason).toMatch(/UNIQUE constraint failed: singleton\.id/);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(Object.fromEntries(["people", "a", "b", "memberships", "grants", "singleton", "emails"].map((table) => [table, count(table)]))).toEqual({
      people: 2,
      a: 2,
      b: 2,
      memberships: 2,
      grants: 2,
      singleton: 1,
      emails: 2,
    });
    expect(db.prepare("SELECT * FROM pragma_foreign_key_check").all()).toEqual([]);
    expect(db.prepare("SELECT manager_id FROM people ORDER BY id").all()).toEqual([{ manager_id: null }, { manager_id: 1 }]);
    expect(db.prepare("SELECT role FROM memberships").all()).toEqual([{ role: "owner" }, { role: "owner" }]);
  });

  it("finds rows lost and values changed in the tables a migration keeps, not in those it drops", () => {
    const db = openMemoryDatabase();
    db.exec(schema);
    addSampleRows(db, 1);
    addSampleRows(db, 2);
    const before = captureRows(db);
    db.exec("DELETE FROM memberships WHERE user LIKE '%#2'; UPDATE people SET name = 'renamed' WHERE id = 2; DROP TABLE emails");
    expect(rowLosses(before, captureRows(db))).toEqual([
      "grants: 1 of 2 rows lost",
      "memberships: 1 of 2 rows lost",
      "people: values changed: name 'people.name#2' → 'renamed'",
    ]);
  });
});
