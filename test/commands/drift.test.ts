// `drift` compares a live database with the schema through the CLI: a column added by hand, an index missing and a
// table dropped are each reported as drift; a difference a pending migration removes names that migration; a
// schema change without `generate` is told apart. Against a small project on SQLite files, and against ClearLift's
// ANALYTICS_DB as production has it (0045 applied, 0046 and 0047 pending) on wrangler's local D1 engine, read both
// as its SQLite file and as a `wrangler d1 export` dump.
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../generator/commands/drift.js";
import { migrationsDir } from "../helpers/clearlift.js";
import { applyWithWrangler } from "../helpers/local-d1.js";
import { repoRoot, runCli, temporaryDir } from "../helpers/cli.js";

const dsl = path.join(repoRoot, "generator/dsl/index.ts");
const slow = 180_000;

const d1Schema = (root: string, ...args: string[]) => runCli(root, args);

const driftDir = () => temporaryDir("drift");

const tablesFile = (extra: string) => `import { index, integer, table, text } from ${JSON.stringify(dsl)};
export const teams = table("teams", { id: text().primaryKey(), name: text().notNull() });
export const members = table(
  "members",
  { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }), email: text().notNull()${extra} },
  { indexes: [index("idx_members_team").on("team_id")] },
);
export const notes = table("notes", { id: integer().primaryKey(), body: text().notNull().default("") });
`;

/** A project at 0002 (0001_init creates the tables, 0002 adds members.role). */
async function newProject(): Promise<string> {
  const root = await driftDir();
  await mkdir(path.join(root, "schema/app_db"), { recursive: true });
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await writeFile(
    path.join(root, "schema/app_db/database.ts"),
    `import { database } from ${JSON.stringify(dsl)};\nexport default database({ name: "APP_DB" });\n`,
  );
  await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(""));
  expect((await d1Schema(root, "generate", "--name", "init")).code).toBe(0);
  await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(', role: text().notNull().default("member")'));
  expect((await d1Schema(root, "generate")).stdout).toMatch(/0002_add_role_to_members\.sql/);
  return root;
}

/** A database as wrangler leaves it: the given migrations applied and recorded in d1_migrations. */
async function liveDatabase(root: string, applied: string[], byHand = ""): Promise<string> {
  const file = path.join(root, `live-${applied.length}.sqlite`);
  const db = new Database(file);
  db.pragma("foreign_keys = ON");
  db.exec("CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
  for (const name of applied) {
    db.exec(await readFile(path.join(root, "migrations/app_db", name), "utf8"));
    db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").run(name);
  }
  db.exec(byHand);
  db.close();
  return file;
}

const driftByHand = "ALTER TABLE members ADD COLUMN nickname TEXT; DROP INDEX idx_members_team; DROP TABLE notes;";

describe("drift", () => {
  it(
    "reports a column added by hand, a missing index and a dropped table as drift, and a pending migration's change as pending",
    async () => {
      const root = await newProject();
      const live = await liveDatabase(root, ["0001_init.sql"], driftByHand);
      const result = await d1Schema(root, "drift", "--database", "APP_DB", "--sqlite", live, "--json");
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as DriftReport & { ok: boolean };
      expect(report.ok).toBe(false);
      expect(report.applied).toEqual(["0001_init.sql"]);
      expect(report.pending).toEqual(["0002_add_role_to_members.sql"]);
      expect(report.differences.map(({ message, status, fixedBy }) => ({ description: message, status, fixedBy }))).toEqual([
        { description: "missing table notes", status: "drift", fixedBy: undefined },
        { description: "missing column members.role", status: "pending", fixedBy: "0002_add_role_to_members.sql" },
        { description: "extra column members.nickname (not in the schema)", status: "drift", fixedBy: undefined },
        { description: "missing index idx_members_team on members (team_id)", status: "drift", fixedBy: undefined },
      ]);

      const human = await d1Schema(root, "drift", "--database", "app_db", "--sqlite", live);
      expect(human.code).toBe(1);
      expect(human.stdout).toBe(
        [
          `APP_DB against the SQLite file ${live} (d1_migrations: 1 applied, 1 pending (0002_add_role_to_members.sql))`,
          "4 differences from schema/app_db/",
          "",
          "Fixed by a pending migration (apply them: npx wrangler d1 migrations apply APP_DB):",
          "  - missing column members.role: 0002_add_role_to_members.sql",
          "",
          "Drift: no migration explains these; fix the database by hand, or adopt its shape with `d1-schema pull`:",
          "  - missing table notes",
          "  - extra column members.nickname (not in the schema)",
          "  - missing index idx_members_team on members (team_id)",
          "",
        ].join("\n"),
      );
    },
    slow,
  );

  it(
    "finds no drift in a database that applied every migration, and tells a schema change without generate apart",
    async () => {
      const root = await newProject();
      const live = await liveDatabase(root, ["0001_init.sql", "0002_add_role_to_members.sql"]);
      const clean = await d1Schema(root, "drift", "--database", "APP_DB", "--sqlite", live);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/no drift: the database matches schema\/app_db\//);

      await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(', role: text().notNull().default("member"), joined_at: text()'));
      const ahead = await d1Schema(root, "drift", "--database", "APP_DB", "--sqlite", live);
      expect(ahead.code).toBe(1);
      expect(ahead.stdout).toMatch(/In the schema but in no migration yet: run `d1-schema generate`:\n {2}- missing column members\.joined_at/);
    },
    slow,
  );

  it(
    "reports a deferred foreign key, INTEGER PRIMARY KEY DESC and an ON CONFLICT clause made by hand (issue 16: introspection used to read them away)",
    async () => {
      const root = await newProject();
      const live = await liveDatabase(
        root,
        ["0001_init.sql", "0002_add_role_to_members.sql"],
        `DROP TABLE notes; CREATE TABLE notes (id INTEGER PRIMARY KEY DESC, body TEXT NOT NULL ON CONFLICT REPLACE DEFAULT '');
         DROP TABLE members;
         CREATE TABLE members (id INTEGER PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
           email TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member');
         CREATE INDEX idx_members_team ON members (team_id);`,
      );
      const result = await d1Schema(root, "drift", "--database", "APP_DB", "--sqlite", live, "--json");
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as DriftReport;
      expect(report.differences.map(({ message, status }) => `${status}: ${message}`)).toEqual([
        "drift: table members differs in its foreign keys (database → schema): missing (team_id) → teams(id) ON DELETE CASCADE; extra (team_id) → teams(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
        "drift: column notes.body differs (database → schema): NOT NULL ON CONFLICT REPLACE → none",
        "drift: table notes differs in its primary key (database → schema): (id) DESC → (id)",
      ]);
    },
    slow,
  );

  it(
    "reads a SQL dump, describes differing definitions, and lists what the schema cannot describe as notes",
    async () => {
      const root = await newProject();
      const dump = path.join(root, "dump.sql");
      const migrations = ["0001_init.sql", "0002_add_role_to_members.sql"];
      const sql = await Promise.all(migrations.map((name) => readFile(path.join(root, "migrations/app_db", name), "utf8")));
      await writeFile(
        dump,
        [
          "PRAGMA defer_foreign_keys=TRUE;",
          "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);",
          ...migrations.map((name, position) => `INSERT INTO "d1_migrations" VALUES(${position + 1},'${name}','2026-02-01 00:00:00');`),
          ...sql,
          "DROP INDEX idx_members_team; CREATE INDEX idx_members_team ON members (team_id, email);",
          "CREATE VIEW member_emails AS SELECT email FROM members;",
          // A declared type changed by hand (issue 16): same affinity, still a difference.
          "DROP TABLE notes; CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(255) NOT NULL DEFAULT '');",
          "DELETE FROM sqlite_sequence;",
          `INSERT INTO "sqlite_sequence" VALUES('d1_migrations',2);`,
        ].join("\n"),
      );
      const result = await d1Schema(root, "drift", "--database", "APP_DB", "--dump", dump);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("  - index idx_members_team on members differs (database → schema): (team_id, email) → (team_id)");
      expect(result.stdout).toContain("  - column notes.body differs (database → schema): type VARCHAR(255) → TEXT");
      // A view made by hand is a difference like a table (it used to be a note, "not part of the schema language").
      expect(result.stdout).toContain("extra view member_emails (not in the schema)");
    },
    slow,
  );

  it("answers usage errors with exit code 2", async () => {
    const root = await driftDir();
    await mkdir(path.join(root, "schema/app_db"), { recursive: true });
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await writeFile(
      path.join(root, "schema/app_db/database.ts"),
      `import { database } from ${JSON.stringify(dsl)};\nexport default database({ name: "APP_DB" });\n`,
    );
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(""));
    const neither = await d1Schema(root, "drift", "--database", "APP_DB");
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--sqlite FILE or --dump FILE/);
    const missing = await d1Schema(root, "drift", "--database", "APP_DB", "--dump", path.join(root, "nope.sql"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/APP_DB: cannot read the SQL dump/);
    const unknown = await d1Schema(root, "drift", "--database", "NOPE_DB", "--dump", path.join(root, "nope.sql"));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/NOPE_DB: is not a database under schema\//);
  });

  it(
    "explains production's ANALYTICS_DB at 0045 on wrangler's local D1 engine, from its SQLite file and from `wrangler d1 export`",
    async () => {
      const workDir = await driftDir();
      const folder = path.join(workDir, "migrations");
      await mkdir(folder);
      await cp(path.join(migrationsDir, "analytics_db/0045_production_baseline.sql"), path.join(folder, "0045_production_baseline.sql"));
      const applied = await applyWithWrangler(folder, { binding: "ANALYTICS_DB", workDir });
      expect(applied.appliedNames).toEqual(["0045_production_baseline.sql"]);
      const db = new Database(applied.sqlitePath);
      db.exec("ALTER TABLE conversions ADD COLUMN hand_added TEXT; DROP INDEX idx_conv_org_date;");
      db.close();

      const expected = (report: DriftReport) => {
        const byStatus = (status: string) => report.differences.filter((difference) => difference.status === status);
        expect(report.pending).toEqual(["0046_handoff_patterns.sql", "0047_drop_legacy_platform_tables.sql"]);
        expect(byStatus("drift").map((difference) => difference.message)).toEqual([
          "extra column conversions.hand_added (not in the schema)",
          "missing index idx_conv_org_date on conversions (organization_id, conversion_timestamp DESC)",
        ]);
        const pending = byStatus("pending");
        expect(pending.filter((difference) => difference.fixedBy === "0046_handoff_patterns.sql").map((difference) => difference.message)).toEqual([
          "missing table handoff_observations",
          "missing table handoff_patterns",
          "missing column conversions.handoff_observation_id",
        ]);
        expect(pending.filter((difference) => difference.fixedBy === "0047_drop_legacy_platform_tables.sql")).toHaveLength(16);
        expect(byStatus("ungenerated")).toEqual([]);
      };
      const fromFile = await d1Schema(repoRoot, "drift", "--database", "ANALYTICS_DB", "--sqlite", applied.sqlitePath, "--json");
      expect(fromFile.code).toBe(1);
      expected(JSON.parse(fromFile.stdout) as DriftReport);

      // `wrangler d1 export --local` reads .wrangler/state next to wrangler.toml.
      await cp(path.join(workDir, "d1-state"), path.join(workDir, ".wrangler/state"), { recursive: true });
      const dump = path.join(workDir, "export.sql");
      await exportWithWrangler(workDir, "ANALYTICS_DB", dump);
      expect(await readFile(dump, "utf8")).toMatch(/^PRAGMA defer_foreign_keys=TRUE;/);
      const fromDump = await d1Schema(repoRoot, "drift", "--database", "ANALYTICS_DB", "--dump", dump, "--json");
      expect(fromDump.code).toBe(1);
      expected(JSON.parse(fromDump.stdout) as DriftReport);
    },
    slow,
  );
});

function exportWithWrangler(workDir: string, binding: string, output: string): Promise<void> {
  const bin = path.join(repoRoot, "node_modules/.bin/wrangler");
  const args = ["d1", "export", binding, "--local", `--output=${output}`, `--config=${path.join(workDir, "wrangler.toml")}`];
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: path.join(workDir, "logs"), NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: workDir, env, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler d1 export exited with ${code}:\n${log}`))));
  });
}
