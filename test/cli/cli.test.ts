// The CLI end to end, as a new user meets it: a two-table schema, generate, a change, generate again, check;
// exit codes; refusals that write nothing; byte-identical output on every run.
import { cp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyLikeD1, openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { repoRoot, runCli, temporaryDir } from "../helpers/cli.js";

const dsl = path.join(repoRoot, "generator/dsl/index.ts");

const d1Schema = (root: string, ...args: string[]) => runCli(root, args);

const databaseFile = `import { database } from ${JSON.stringify(dsl)};\nexport default database({ name: "APP_DB" });\n`;
const tablesFile = (extra: string) => `import { index, integer, table, text } from ${JSON.stringify(dsl)};
export const teams = table("teams", { id: text().primaryKey(), name: text().notNull() });
export const members = table(
  "members",
  { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text().notNull()${extra} },
  { indexes: [index("idx_members_team").on("team_id")] },
);
`;

async function newProject(extra = ""): Promise<string> {
  const root = await temporaryDir("cli");
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await writeFile(path.join(root, "schema/app_db/database.ts"), databaseFile);
  await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(extra));
  return root;
}

async function filesOf(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of ["migrations", "generated"]) {
    const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(root, full)] = await readFile(full, "utf8");
    }
  }
  return files;
}

describe("d1-schema CLI", () => {
  it("generates, evolves and checks a two-table schema", async () => {
    const root = await newProject();
    const first = await d1Schema(root, "generate");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/migrations\/app_db\/0001_create_members_and_teams\.sql/);
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    expect((await d1Schema(root, "check")).code).toBe(0);

    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(', role: text().notNull().default("member")'));
    const second = await d1Schema(root, "generate");
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0002_add_role_to_members\.sql/);
    const files = await filesOf(root);
    expect(Object.keys(files).sort()).toEqual([
      "generated/app_db.ts",
      "generated/index.ts",
      "migrations/app_db/0001_create_members_and_teams.sql",
      "migrations/app_db/0002_add_role_to_members.sql",
      "migrations/app_db/migrations.sum",
      "migrations/app_db/snapshot.json",
      "migrations/fresh/app_db/0001_complete_schema.sql",
    ]);
    expect(files["migrations/app_db/0002_add_role_to_members.sql"]).toMatch(/ALTER TABLE members\s+ADD COLUMN role TEXT NOT NULL DEFAULT 'member';/);
    expect(files["generated/app_db.ts"]).toMatch(/role: string;/);
    expect((await d1Schema(root, "check")).code).toBe(0);

    // The migrations, applied in order the D1 way, accept rows.
    const db = openMemoryDatabase();
    applyLikeD1(db, files["migrations/app_db/0001_create_members_and_teams.sql"]);
    db.exec("INSERT INTO teams VALUES ('t1', 'core'); INSERT INTO members (team_id, email) VALUES ('t1', 'a@x')");
    applyLikeD1(db, files["migrations/app_db/0002_add_role_to_members.sql"]);
    expect(db.prepare("SELECT email, role FROM members").all()).toEqual([{ email: "a@x", role: "member" }]);
  });

  it("fails check when the schema changed without generate, or a generated file was edited", async () => {
    const root = await newProject();
    await d1Schema(root, "generate");
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(", nickname: text()"));
    const stale = await d1Schema(root, "check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/APP_DB: schema\/app_db\/ changed since the last generate: run `npx d1-schema generate`/);

    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(""));
    const squash = path.join(root, "migrations/fresh/app_db/0001_complete_schema.sql");
    await writeFile(squash, `${await readFile(squash, "utf8")}-- edited\n`);
    const edited = await d1Schema(root, "check");
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/migrations\/fresh\/app_db\/0001_complete_schema\.sql differs from what generate writes/);

    await d1Schema(root, "generate");
    const migration = path.join(root, "migrations/app_db/0001_create_members_and_teams.sql");
    await writeFile(migration, (await readFile(migration, "utf8")).replace("email TEXT NOT NULL", "email TEXT"));
    await rm(squash);
    const replay = await d1Schema(root, "check");
    expect(replay.code).toBe(1);
    expect(replay.stderr).toMatch(/replaying migrations\/app_db\/ does not give the schema of the squash/);
    expect(replay.stderr).toMatch(/0001_create_members_and_teams\.sql was edited after it was generated/);
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/APP_DB: has a migrations folder that changed since it was generated/);
  });

  it("refuses a destructive change without --allow-destructive and writes nothing", async () => {
    const root = await newProject(", nickname: text()");
    await d1Schema(root, "generate");
    const before = await filesOf(root);
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(""));
    const refused = await d1Schema(root, "generate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/APP_DB: the next migration would destroy data:\n\s+- column members\.nickname and its values/);
    expect(refused.stderr).toMatch(/--allow-destructive/);
    expect(refused.stderr).toMatch(/Nothing was written/);
    expect(await filesOf(root)).toEqual(before);

    const allowed = await d1Schema(root, "generate", "--allow-destructive", "--name", "Drop nickname!");
    expect(allowed.code).toBe(0);
    expect(Object.keys(await filesOf(root))).toContain("migrations/app_db/0002_drop_nickname.sql");
  });

  it("reports bad input with exit code 2, naming database, table and column", async () => {
    // (A foreign key to a missing table used to be the example; SQLite accepts one, so it is a lint error now.)
    const root = await newProject(', owner_id: text().collate("FRENCH")');
    const result = await d1Schema(root, "generate");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/APP_DB\.members\.owner_id: has collation FRENCH/);
    expect(await filesOf(root)).toEqual({});
  });

  it("names the table when SQLite rejects the schema, on the first generate and on a later one, and writes nothing", async () => {
    const first = await newProject(', nickname: text().defaultSql("gen_random_uuid()")');
    const rejected = await d1Schema(first, "generate");
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/APP_DB\.members: has a default SQLite cannot compute: .*gen_random_uuid/);
    expect(await filesOf(first)).toEqual({});

    const later = await newProject();
    expect((await d1Schema(later, "generate")).code).toBe(0);
    const before = await filesOf(later);
    const tables = path.join(later, "schema/app_db/tables.ts");
    await writeFile(tables, (await readFile(tables, "utf8")).replace("{ indexes: [", '{ checks: ["email > > 0"], indexes: ['));
    const broken = await d1Schema(later, "generate");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/APP_DB\.members: is rejected by SQLite: .*syntax error/);
    expect(await filesOf(later)).toEqual(before);
  });

  it("answers --help for every command and exit code 2 for a bad command", async () => {
    const root = await newProject();
    for (const command of [[], ["generate"], ["baseline"], ["check"]]) {
      const help = await d1Schema(root, ...command, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/d1-schema/);
    }
    expect((await d1Schema(root, "generate", "--help")).stdout).toMatch(/--allow-destructive/);
    const bad = await d1Schema(root, "frobnicate");
    expect(bad.code).toBe(2);
  });

  it("adopts an existing production database with a baseline numbered like its last migration", async () => {
    const root = await newProject();
    await writeFile(path.join(root, "schema/app_db/database.ts"), databaseFile.replace('name: "APP_DB"', 'name: "APP_DB", ifNotExists: false'));
    const baseline = await d1Schema(root, "baseline", "--database", "APP_DB", "--number", "84");
    expect(baseline.code).toBe(0);
    const files = await filesOf(root);
    const sql = files["migrations/app_db/0084_production_baseline.sql"];
    // IF NOT EXISTS even where the database turns it off: the baseline must be a no-op where production has it.
    expect(sql).toMatch(/CREATE TABLE IF NOT EXISTS teams/);
    expect(sql).toMatch(/CREATE INDEX IF NOT EXISTS idx_members_team/);
    const production = openMemoryDatabase();
    production.exec("CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO teams VALUES ('t1', 'kept')");
    applyLikeD1(production, sql);
    expect(production.prepare("SELECT * FROM teams").all()).toEqual([{ id: "t1", name: "kept" }]);

    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    expect((await d1Schema(root, "check")).code).toBe(0);
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(", nickname: text()"));
    expect((await d1Schema(root, "generate")).stdout).toMatch(/0085_add_nickname_to_members\.sql/);
    expect((await filesOf(root))["migrations/app_db/0085_add_nickname_to_members.sql"]).toMatch(/ADD COLUMN nickname TEXT;/);
    const again = await d1Schema(root, "baseline", "--database", "APP_DB", "--number", "90");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/APP_DB: already has a snapshot, so it cannot take a baseline/);
  });

  it("writes byte-identical files on every run", async () => {
    const first = await newProject(', role: text().notNull().default("member")');
    const second = await temporaryDir("cli");
    await cp(path.join(first, "schema"), path.join(second, "schema"), { recursive: true });
    await cp(path.join(first, "package.json"), path.join(second, "package.json"));
    await d1Schema(first, "generate");
    await d1Schema(second, "generate");
    const files = await filesOf(first);
    expect(Object.keys(files).length).toBe(6);
    expect(await filesOf(second)).toEqual(files);
  });
});

describe("the tool itself", () => {
  it("prints its own version, not the project's", async () => {
    const root = await temporaryDir("version");
    await writeFile(path.join(root, "package.json"), '{ "name": "my-worker", "version": "9.9.9" }\n');
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(await d1Schema(root, "--version")).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("says which Node.js it needs and exits 2 on an older one", async () => {
    const { execFile } = await import("node:child_process");
    const olderNode = 'data:text/javascript,Object.defineProperty(process.versions, "node", { value: "18.20.4" })';
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--import", olderNode, path.join(repoRoot, "bin/d1-schema.js"), "generate"], (error, _stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(result).toEqual({
      code: 2,
      stderr:
        "error: d1-schema needs Node.js 20.19 or later; this is Node.js 18.20.4\n  fix: install a current Node.js (https://nodejs.org), then run the command again\n",
    });
  });
});
