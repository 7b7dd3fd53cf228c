// Custom migrations end to end through the CLI, in temporary projects: `generate --custom` writes the next numbered
// file empty and records it; the SQL written into it is proved by the next generate (D1's rules, the folder replayed
// the D1 way against the snapshot) and recorded, or refused with nothing written; check fails until it is recorded;
// verify runs it on rows; a custom migration with a later migration is frozen; hash and snapshot keep the mark.
import { appendFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyLikeD1, openMemoryDatabase } from "../../generator/sqlite/apply.js";
import type { Database } from "../../generator/model/model.js";
import { appDbProject, dslImport, runCli } from "../helpers/cli.js";

const noCache = { D1_SCHEMA_NO_CACHE: "1" };
const d1Schema = (root: string, ...args: string[]) => runCli(root, args, noCache);

const users = (extra = "", options = "") =>
  `export const users = table("users", { id: integer().primaryKey(), name: text().notNull(), plan_code: text()${extra} }${options});\n`;

/** A project whose first migration creates users, then a custom migration `0002_backfill_plans.sql` added by --custom. */
async function projectWithCustomMigration(prefix: string) {
  const project = await appDbProject(prefix);
  await project.writeTables(users());
  expect((await d1Schema(project.root, "generate")).code).toBe(0);
  const custom = await d1Schema(project.root, "generate", "--custom", "backfill plans");
  expect(custom.code).toBe(0);
  const folder = path.join(project.root, "migrations/app_db");
  const file = path.join(folder, "0002_backfill_plans.sql");
  return { ...project, folder, file, custom };
}

/** Every file under migrations/ and generated/, by path: what a refused run must leave as it was. */
async function projectFiles(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of ["migrations", "generated"]) {
    for (const entry of await readdir(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(root, full)] = await readFile(full, "utf8");
    }
  }
  return files;
}

describe("generate --custom", () => {
  it("writes the next numbered file empty, marked custom in migrations.sum and in its first line, and check passes", async () => {
    const { root, folder, file, custom } = await projectWithCustomMigration("custom-new");
    expect(custom.stdout).toContain("APP_DB: migrations/app_db/0002_backfill_plans.sql");
    const sql = await readFile(file, "utf8");
    expect(sql.split("\n")[0]).toMatch(/^-- d1-schema: custom migration /);
    // Only comments: it applies as a no-op.
    expect(sql.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("--"))).toEqual([]);
    const sum = (await readFile(path.join(folder, "migrations.sum"), "utf8")).trimEnd().split("\n");
    expect(sum[1]).toMatch(/^0001_create_users\.sql h1:\S+$/);
    expect(sum[2]).toMatch(/^0002_backfill_plans\.sql h1:\S+ custom$/);
    const snapshot = JSON.parse(await readFile(path.join(folder, "snapshot.json"), "utf8")) as { lastMigration: string; folderHash: string };
    expect(snapshot).toMatchObject({ lastMigration: "0002_backfill_plans.sql", folderHash: sum[0] });
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
  }, 60_000);

  it("writes one more each time it runs, also with the run cache on", async () => {
    const { root, folder } = await projectWithCustomMigration("custom-again");
    for (const _ of [1, 2]) expect((await runCli(root, ["generate", "--custom", "again"])).code).toBe(0);
    expect((await readdir(folder)).filter((name) => name.endsWith(".sql"))).toEqual([
      "0001_create_users.sql",
      "0002_backfill_plans.sql",
      "0003_again.sql",
      "0004_again.sql",
    ]);
    expect((await runCli(root, ["check"])).code).toBe(0);
  }, 60_000);

  it("refuses while schema/ has changes generate has not written, and writes nothing", async () => {
    const { root, writeTables } = await appDbProject("custom-pending");
    await writeTables(users());
    expect((await d1Schema(root, "generate")).code).toBe(0);
    await writeTables(users(", email: text()"));
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate", "--custom", "fix_data");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("schema/app_db/ has changes that generate has not written yet");
    expect(refused.stderr).toContain("add column users.email");
    expect(refused.stderr).toContain("run `npx d1-schema generate` first");
    expect(await projectFiles(root)).toEqual(before);
  }, 60_000);

  it("needs --database when the project has several databases, naming them", async () => {
    const { root, writeTables } = await appDbProject("custom-two-databases");
    await writeTables(users());
    await mkdir(path.join(root, "schema/logs_db"), { recursive: true });
    await writeFile(path.join(root, "schema/logs_db/database.ts"), `import { database } from ${dslImport};\nexport default database({ name: "LOGS_DB" });\n`);
    await writeFile(
      path.join(root, "schema/logs_db/tables.ts"),
      `import { integer, table, text } from ${dslImport};\nexport const events = table("events", { id: integer().primaryKey(), body: text() });\n`,
    );
    expect((await d1Schema(root, "generate")).code).toBe(0);
    const refused = await d1Schema(root, "generate", "--custom", "seed");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--custom writes one database's migration, and schema/ has 2: APP_DB, LOGS_DB");
    expect(refused.stderr).toContain("name one with --database (one of: APP_DB, LOGS_DB)");
    const one = await d1Schema(root, "generate", "--custom", "seed", "--database", "LOGS_DB");
    expect(one.code).toBe(0);
    expect(await readdir(path.join(root, "migrations/logs_db"))).toContain("0002_seed.sql");
    expect(await readdir(path.join(root, "migrations/app_db"))).not.toContain("0002_seed.sql");
  }, 90_000);
});

describe("an edited custom migration", () => {
  it("with an UPDATE backfill: check fails until generate records it; then check and verify pass and the rows hold the backfill", async () => {
    const { root, folder, file } = await projectWithCustomMigration("custom-backfill");
    const backfill = "UPDATE users SET plan_code = lower(name) WHERE plan_code IS NULL;\n";
    await appendFile(file, backfill);

    const unrecorded = await d1Schema(root, "check");
    expect(unrecorded.code).toBe(1);
    expect(unrecorded.stderr).toContain("migrations/app_db/0002_backfill_plans.sql, a custom migration, was edited since generate recorded it");
    expect(unrecorded.stderr).toContain("run `npx d1-schema generate`");

    const recorded = await d1Schema(root, "generate");
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("APP_DB: recorded custom migration 0002_backfill_plans.sql");
    expect((await readFile(path.join(folder, "migrations.sum"), "utf8")).split("\n")[2]).toMatch(/^0002_backfill_plans\.sql h1:\S+ custom$/);
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");

    // verify applies it to a database holding a row in every table: the change it makes is reported, not a loss.
    const verified = await d1Schema(root, "verify", "--json");
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout) as { databases: { migrations: { file: string; result: string; notes: string[] }[] }[] };
    const custom = report.databases[0].migrations.find((check) => check.file === "0002_backfill_plans.sql")!;
    expect(custom.result).toBe("ok");

    // The folder the D1 way, with rows before the custom migration: the backfill fills them, and keeps a set value.
    const db = openMemoryDatabase();
    applyLikeD1(db, await readFile(path.join(folder, "0001_create_users.sql"), "utf8"));
    db.exec("INSERT INTO users (id, name, plan_code) VALUES (1, 'Free', NULL), (2, 'Team', NULL), (3, 'Pro', 'p1')");
    applyLikeD1(db, await readFile(file, "utf8"));
    expect(db.prepare("SELECT id, plan_code FROM users ORDER BY id").all()).toEqual([
      { id: 1, plan_code: "free" },
      { id: 2, plan_code: "team" },
      { id: 3, plan_code: "p1" },
    ]);
    db.close();
  }, 90_000);

  it("that changes a value verify's sample row holds: reported as a change on purpose, not as lost rows", async () => {
    const { root, file } = await projectWithCustomMigration("custom-verify-notes");
    await appendFile(file, "UPDATE users SET plan_code = 'plan-' || name;\n");
    expect((await d1Schema(root, "generate")).code).toBe(0);
    const verified = await d1Schema(root, "verify", "--json");
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.stdout) as { databases: { migrations: { file: string; result: string; notes: string[] }[] }[] };
    const custom = report.databases[0].migrations.find((check) => check.file === "0002_backfill_plans.sql")!;
    expect(custom.result).toBe("ok");
    expect(custom.notes.join("\n")).toMatch(/changes rows on purpose \(a custom migration\): users: values changed: plan_code '[^']*' → 'plan-/);
  }, 90_000);

  it("fills the NULLs a NOT NULL tightening numbered after it needs: every row kept, none NULL", async () => {
    const { root, folder, file, writeTables } = await projectWithCustomMigration("custom-tightening");
    await appendFile(file, "UPDATE users SET plan_code = 'none' WHERE plan_code IS NULL;\n");
    expect((await d1Schema(root, "generate")).code).toBe(0);
    await writeTables(users().replace("plan_code: text()", "plan_code: text().notNull()"));
    const tightened = await d1Schema(root, "generate");
    expect(tightened.code).toBe(0);
    expect(tightened.stdout).toContain("0003_");
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });

    const db = openMemoryDatabase();
    const names = (await readdir(folder)).filter((name) => name.endsWith(".sql")).sort();
    applyLikeD1(db, await readFile(path.join(folder, names[0]), "utf8"));
    db.exec("INSERT INTO users (id, name, plan_code) VALUES (1, 'a', NULL), (2, 'b', 'pro')");
    for (const name of names.slice(1)) applyLikeD1(db, await readFile(path.join(folder, name), "utf8"));
    expect(db.prepare("SELECT id, name, plan_code FROM users ORDER BY id").all()).toEqual([
      { id: 1, name: "a", plan_code: "none" },
      { id: 2, name: "b", plan_code: "pro" },
    ]);
    expect(db.prepare("SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'plan_code'").get()).toEqual({ notnull: 1 });
    db.close();
  }, 90_000);

  it("with a CREATE INDEX: generate refuses (exit 2) naming the index and writes nothing; check fails with the same reason", async () => {
    const { root, file } = await projectWithCustomMigration("custom-index");
    await appendFile(file, "CREATE INDEX idx_users_plan_code ON users (plan_code);\n");
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the custom migration 0002_backfill_plans.sql changes the schema");
    expect(refused.stderr).toContain("creates index idx_users_plan_code on users");
    expect(refused.stderr).toContain("describe the same change in schema/app_db/");
    expect(refused.stdout).toBe("");
    expect(await projectFiles(root)).toEqual(before);
    const checked = await d1Schema(root, "check");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("creates index idx_users_plan_code on users");
  }, 60_000);

  it("with a virtual table of another module than FTS5: refused, since the fresh squash would not build it", async () => {
    const { root, file } = await projectWithCustomMigration("custom-virtual");
    await appendFile(
      file,
      ["UPDATE users SET plan_code = 'free' WHERE plan_code IS NULL;", "CREATE VIRTUAL TABLE user_places USING rtree(id, x0, x1);", ""].join("\n"),
    );
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "the custom migration 0002_backfill_plans.sql creates virtual table user_places, which the schema language does not hold yet",
    );
    expect(await projectFiles(root)).toEqual(before);
    expect((await d1Schema(root, "check")).stderr).toContain("creates virtual table user_places");
  }, 60_000);

  it("with an FTS5 table schema/ does not describe: refused as a schema change, naming it", async () => {
    const { root, file } = await projectWithCustomMigration("custom-fts");
    await appendFile(file, "CREATE VIRTUAL TABLE users_search USING fts5(name);\n");
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the custom migration 0002_backfill_plans.sql changes the schema");
    expect(refused.stderr).toContain("creates virtual table users_search");
  }, 60_000);

  const viewAndTrigger = [
    "CREATE VIEW paying_users AS SELECT id FROM users WHERE plan_code <> 'free';",
    "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;",
  ];
  const objectsFile = (root: string) =>
    writeFile(
      path.join(root, "schema/app_db/objects.ts"),
      `import { trigger, view } from ${dslImport};\n` +
        `export const payingUsers = view("paying_users", "SELECT id FROM users WHERE plan_code <> 'free'");\n` +
        `export const usersTouch = trigger("users_touch", "AFTER UPDATE ON users BEGIN SELECT 1; END");\n`,
    );

  it("with a view and a trigger schema/ does not describe: refused as a schema change, naming them", async () => {
    const { root, file } = await projectWithCustomMigration("custom-view");
    await appendFile(file, ["UPDATE users SET plan_code = 'free' WHERE plan_code IS NULL;", ...viewAndTrigger, ""].join("\n"));
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the custom migration 0002_backfill_plans.sql changes the schema");
    expect(refused.stderr).toContain("creates trigger users_touch; creates view paying_users");
    expect(await projectFiles(root)).toEqual(before);
    expect((await d1Schema(root, "check")).stderr).toContain("creates trigger users_touch; creates view paying_users");
  }, 60_000);

  it("with a view and a trigger schema/ describes too: recorded, and the squash builds them", async () => {
    const { root, folder, file } = await projectWithCustomMigration("custom-view-adopt");
    await appendFile(file, [...viewAndTrigger, ""].join("\n"));
    await objectsFile(root);
    const recorded = await d1Schema(root, "generate");
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("APP_DB: recorded custom migration 0002_backfill_plans.sql");
    expect((await readdir(folder)).filter((name) => name.endsWith(".sql"))).toEqual(["0001_create_users.sql", "0002_backfill_plans.sql"]);
    const snapshot = JSON.parse(await readFile(path.join(folder, "snapshot.json"), "utf8")) as { database: Database };
    expect(snapshot.database.views).toEqual([{ name: "paying_users", select: "SELECT id FROM users WHERE plan_code <> 'free'" }]);
    expect(snapshot.database.triggers?.map((trigger) => trigger.name)).toEqual(["users_touch"]);
    const fresh = await readFile(path.join(root, "migrations/fresh/app_db/0001_complete_schema.sql"), "utf8");
    expect(fresh).toContain("CREATE VIEW IF NOT EXISTS paying_users AS SELECT id FROM users WHERE plan_code <> 'free';");
    expect(fresh).toContain("CREATE TRIGGER IF NOT EXISTS users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;");
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
  }, 90_000);

  it("with a CREATE INDEX that schema/ describes too: generate records it and has no migration to write", async () => {
    const { root, folder, file, writeTables } = await projectWithCustomMigration("custom-adopt");
    await appendFile(file, "CREATE INDEX idx_users_plan_code ON users (plan_code);\n");
    await writeTables(users("", `, { indexes: [index("idx_users_plan_code").on("plan_code")] }`));
    const recorded = await d1Schema(root, "generate");
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("APP_DB: recorded custom migration 0002_backfill_plans.sql");
    expect(recorded.stdout).toContain("its schema change is the one schema/app_db/ describes");
    expect((await readdir(folder)).filter((name) => name.endsWith(".sql"))).toEqual(["0001_create_users.sql", "0002_backfill_plans.sql"]);
    expect(await readFile(path.join(root, "migrations/fresh/app_db/0001_complete_schema.sql"), "utf8")).toContain("idx_users_plan_code");
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    expect(await d1Schema(root, "verify")).toMatchObject({ code: 0 });
  }, 90_000);

  it("with BEGIN: generate refuses naming the file and the statement, and writes nothing", async () => {
    const { root, file } = await projectWithCustomMigration("custom-begin");
    await appendFile(file, "BEGIN TRANSACTION;\nUPDATE users SET plan_code = 'x';\nCOMMIT;\n");
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("migrations/app_db/0002_backfill_plans.sql controls transactions or foreign keys (`BEGIN TRANSACTION;`)");
    expect(await projectFiles(root)).toEqual(before);
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace(/BEGIN TRANSACTION;\n|COMMIT;\n/g, "").replace("UPDATE", "PRAGMA foreign_keys = OFF;\nUPDATE"),
    );
    const pragma = await d1Schema(root, "generate");
    expect(pragma.code).toBe(2);
    expect(pragma.stderr).toContain("(`PRAGMA foreign_keys = OFF;`)");
  }, 60_000);

  it("with a later migration after it is frozen: editing it is the migration-edited error", async () => {
    const { root, file, writeTables } = await projectWithCustomMigration("custom-frozen");
    await appendFile(file, "UPDATE users SET plan_code = 'free' WHERE plan_code IS NULL;\n");
    expect((await d1Schema(root, "generate")).code).toBe(0);
    await writeTables(users(", email: text()"));
    const next = await d1Schema(root, "generate");
    expect(next.stdout).toContain("0003_add_email_to_users.sql");
    await appendFile(file, "UPDATE users SET plan_code = 'pro' WHERE id = 1;\n");
    const before = await projectFiles(root);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("migrations/app_db/0002_backfill_plans.sql was edited after it was generated");
    expect(await projectFiles(root)).toEqual(before);
    const checked = await d1Schema(root, "check");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("migrations/app_db/0002_backfill_plans.sql was edited after it was generated");
  }, 90_000);

  it("keeps its mark through hash and snapshot, and stays editable while it is last", async () => {
    const { root, folder, file } = await projectWithCustomMigration("custom-hash");
    await appendFile(file, "UPDATE users SET plan_code = 'free' WHERE plan_code IS NULL;\n");
    expect((await d1Schema(root, "generate")).code).toBe(0);
    const sum = await readFile(path.join(folder, "migrations.sum"), "utf8");
    expect((await d1Schema(root, "hash")).code).toBe(0);
    expect(await readFile(path.join(folder, "migrations.sum"), "utf8")).toBe(sum);
    expect((await d1Schema(root, "snapshot")).code).toBe(0);
    expect(await readFile(path.join(folder, "migrations.sum"), "utf8")).toBe(sum);
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
    await appendFile(file, "UPDATE users SET plan_code = 'pro' WHERE id = 1;\n");
    expect((await d1Schema(root, "generate")).stdout).toContain("recorded custom migration 0002_backfill_plans.sql");
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });
  }, 90_000);
});
