// `pull` adopts a database that already exists, in a temporary project run through the CLI: every ClearLift
// database's squash pulls into schema files after which `generate` reports no changes and `check` passes; a
// folder of hand-written migrations with gaps keeps its numbering; nothing is overwritten without --force and
// nothing is written on error.
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { migrationsDir } from "../helpers/clearlift.js";
import { appDbProject, repoRoot, runCli, temporaryDir } from "../helpers/cli.js";
import { applyLikeD1 } from "../../generator/sqlite/apply.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { shopModel } from "../types/fixtures/shop-schema.js";

const slow = 180_000;

const d1Schema = (root: string, ...args: string[]) => runCli(root, args);

/** An empty project whose generator/ is the repository's (a symlink), as a team adopting d1-schema has it. */
async function newProject(): Promise<string> {
  const root = await temporaryDir("pull");
  await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
  await symlink(path.join(repoRoot, "generator"), path.join(root, "generator"));
  return root;
}

async function filesOf(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of ["schema", "migrations", "generated"]) {
    const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isFile()) files[path.relative(root, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), "utf8");
    }
  }
  return files;
}

async function writeMigrations(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
}

/** Years of hand-written history, numbered with gaps, in the spelling d1-schema writes (TEXT, INTEGER, ...). */
const handWritten = {
  "0001_init.sql": `-- written by hand in 2022
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, created_at TEXT DEFAULT (datetime('now')));
CREATE TABLE posts (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, body TEXT);
`,
  "0002_add_title.sql": "ALTER TABLE posts ADD COLUMN title TEXT NOT NULL DEFAULT '';\nCREATE INDEX idx_posts_user ON posts (user_id);\n",
  "0005_tags.sql": "CREATE TABLE tags (post_id TEXT NOT NULL REFERENCES posts (id), tag TEXT NOT NULL, PRIMARY KEY (post_id, tag)) WITHOUT ROWID;\n",
  "0009_published.sql": `ALTER TABLE posts ADD COLUMN published_at TEXT;
CREATE INDEX idx_posts_published ON posts (published_at DESC) WHERE published_at IS NOT NULL;
INSERT INTO users (email) VALUES ('admin@example.com');
`,
};

const clearlift = [
  { folder: "db", name: "DB", bindings: [] as string[] },
  { folder: "ai_db", name: "AI_DB", bindings: [] },
  { folder: "analytics_db", name: "ANALYTICS_DB", bindings: [] },
  { folder: "shard", name: "SHARD", bindings: ["--bindings", "SHARD_0,SHARD_1,SHARD_2,SHARD_3"] },
];

describe("pull", () => {
  it.each(clearlift)(
    "adopts ClearLift's $name from its fresh squash: generate reports no changes, check passes, numbering continues",
    async ({ folder, name, bindings }) => {
      const root = await newProject();
      const squash = path.join(migrationsDir, "fresh", folder, "0001_complete_schema.sql");
      const pulled = await d1Schema(root, "pull", "--database", name, "--folder", folder, "--dump", squash, ...bindings);
      expect(pulled.stderr).toBe("");
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toMatch(new RegExp(`^${name}: pulled \\d+ tables and \\d+ indexes into schema/${folder}/`));
      expect(pulled.stdout).toMatch(/numbered 0001 as the database records no migration/);
      const generated = await d1Schema(root, "generate");
      expect(generated.stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
      // The round trip is lossless: the squash written from the pulled schema runs the same statements, byte for
      // byte (comments aside: descriptions live in schema files, which a dump does not have).
      const statements = (sql: string) => sql.split("\n").filter((line) => !line.startsWith("--"));
      const written = await readFile(path.join(root, "migrations/fresh", folder, "0001_complete_schema.sql"), "utf8");
      expect(statements(written)).toEqual(statements(await readFile(squash, "utf8")));
      if (bindings.length > 0)
        expect(await readFile(path.join(root, `schema/${folder}/database.ts`), "utf8")).toContain('bindings: ["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"]');
    },
    slow,
  );

  it(
    "keeps a folder of hand-written migrations with gaps and continues its numbering",
    async () => {
      const root = await newProject();
      const legacy = path.join(root, "legacy-migrations");
      await writeMigrations(legacy, handWritten);
      const pulled = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", legacy);
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toMatch(/migrations\/blog_db\/ keeps the 4 migrations as they are \(0001_init\.sql … 0009_published\.sql\)/);
      expect(pulled.stdout).toMatch(/your next schema change becomes 0010_<name>\.sql/);
      const files = await filesOf(root);
      for (const [name, sql] of Object.entries(handWritten)) expect(files[`migrations/blog_db/${name}`]).toBe(sql);
      expect(files["schema/blog_db/tables.ts"]).toContain("published_at: text(),");

      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
      const tables = path.join(root, "schema/blog_db/tables.ts");
      await writeFile(tables, (await readFile(tables, "utf8")).replace("published_at: text(),", "published_at: text(),\n    summary: text(),"));
      const next = await d1Schema(root, "generate");
      expect(next.stdout).toMatch(/migrations\/blog_db\/0010_add_summary_to_posts\.sql/);
      expect((await filesOf(root))["migrations/blog_db/0010_add_summary_to_posts.sql"]).toMatch(/ALTER TABLE posts\s+ADD COLUMN summary TEXT;/);
      expect((await d1Schema(root, "check")).code).toBe(0);
    },
    slow,
  );

  it(
    "adopts migrations/<folder>/ in place, without copying",
    async () => {
      const root = await newProject();
      await writeMigrations(path.join(root, "migrations/blog_db"), handWritten);
      const pulled = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", "migrations/blog_db");
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).not.toMatch(/migrations\/blog_db\/0001_init\.sql/); // not rewritten
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
    },
    slow,
  );

  it(
    "refuses to adopt migrations/<folder>/ in place when its SQL is spelled unlike the squash, and writes nothing",
    async () => {
      const root = await newProject();
      await writeMigrations(path.join(root, "migrations/blog_db"), {
        "0003_init.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT DEFAULT current_timestamp);\n",
      });
      const before = await filesOf(root);
      const refused = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", "migrations/blog_db");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /BLOG_DB: cannot adopt migrations\/blog_db\/ in place: .*\(users\.email defaulting to current_timestamp, not CURRENT_TIMESTAMP\)/,
      );
      expect(refused.stderr).toMatch(/fix: move the hand-written files to another folder .* a baseline numbered 0003/);
      expect(await filesOf(root)).toEqual(before);
    },
    slow,
  );

  it(
    "starts with a baseline numbered like the last migration when hand-written SQL is spelled unlike d1-schema",
    async () => {
      const root = await newProject();
      const legacy = path.join(root, "legacy-migrations");
      await writeMigrations(legacy, {
        ...handWritten,
        // Declared types are kept (issue 16); the default's spacing is what the squash spells otherwise.
        "0001_init.sql": handWritten["0001_init.sql"]
          .replace("email TEXT", "email VARCHAR(255)")
          .replace("created_at TEXT", "created_at DATETIME")
          .replace("(datetime('now'))", "(datetime( 'now' ))"),
      });
      const pulled = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", legacy);
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toMatch(/migrations\/blog_db\/ starts with 0009_production_baseline\.sql/);
      expect(pulled.stdout).not.toMatch(/VARCHAR/);
      expect(
        Object.keys(await filesOf(root))
          .filter((file) => file.endsWith(".sql"))
          .sort(),
      ).toEqual(["migrations/blog_db/0009_production_baseline.sql", "migrations/fresh/blog_db/0001_complete_schema.sql"]);
      expect(await readFile(path.join(root, "schema/blog_db/tables.ts"), "utf8")).toMatch(
        /email: text\("VARCHAR\(255\)"\)\.notNull\(\)[^\n]*\n\s*created_at: numeric\("DATETIME"\)/,
      );
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
      const tables = path.join(root, "schema/blog_db/tables.ts");
      await writeFile(tables, (await readFile(tables, "utf8")).replace("published_at: text(),", "published_at: text(),\n    summary: text(),"));
      expect((await d1Schema(root, "generate")).stdout).toMatch(/0010_add_summary_to_posts\.sql/);

      // The baseline is a no-op on the database the old files built: its rows stay.
      const production = new Database(":memory:");
      for (const sql of Object.values(handWritten)) production.exec(sql);
      production.exec((await filesOf(root))["migrations/blog_db/0009_production_baseline.sql"]);
      expect(production.prepare("SELECT email FROM users").all()).toEqual([{ email: "admin@example.com" }]);
    },
    slow,
  );

  it(
    "numbers the baseline of a SQLite file like the last migration in its d1_migrations",
    async () => {
      const root = await newProject();
      const file = path.join(root, "local.sqlite");
      const db = new Database(file);
      for (const sql of Object.values(handWritten)) db.exec(sql);
      db.exec(`CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
        INSERT INTO d1_migrations (name) VALUES ${Object.keys(handWritten)
          .map((name) => `('${name}')`)
          .join(", ")};`);
      db.close();
      const pulled = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--sqlite", file, "--json");
      expect(pulled.code).toBe(0);
      const report = JSON.parse(pulled.stdout) as { lastMigration: string; nextNumber: number; tables: number; history: string };
      expect(report).toMatchObject({ lastMigration: "0009_production_baseline.sql", nextNumber: 10, tables: 3 });
      expect(report.history).toMatch(/numbered like 0009_published\.sql, the last migration the database recorded in d1_migrations/);
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    },
    slow,
  );

  it(
    "keeps declared types (BIGINT PRIMARY KEY, VARCHAR(255), DATETIME, BOOLEAN, DECIMAL(10,2), none) and constraint names: generate then reports no changes and the squash builds the same columns",
    async () => {
      const root = await newProject();
      const file = path.join(root, "local.sqlite");
      const db = new Database(file);
      const createAccounts = `CREATE TABLE accounts (
        id BIGINT PRIMARY KEY,
        email VARCHAR(255) NOT NULL UNIQUE,
        created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
        active BOOLEAN NOT NULL DEFAULT 1,
        balance DECIMAL(10,2) CONSTRAINT balance_positive CHECK (balance >= 0),
        payload
      )`;
      db.exec(`${createAccounts};
        CREATE TABLE charges (id INTEGER PRIMARY KEY, account_id BIGINT CONSTRAINT charges_account REFERENCES accounts (id), amount DOUBLE PRECISION NOT NULL, CONSTRAINT amount_positive CHECK (amount > 0));
        INSERT INTO accounts VALUES (9007199254740993, 'a@example.com', '2024-01-01 00:00:00', 1, 12.5, X'00'), (NULL, 'b@example.com', NULL, 0, '7', 'x');
        INSERT INTO charges (account_id, amount) VALUES (9007199254740993, 1.25);`);
      const columnsOf = (database: Database.Database) =>
        database
          .prepare(
            "SELECT m.name AS tbl, p.name, p.type, p.pk, p.\"notnull\" FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, p.cid",
          )
          .all();
      const rowsOf = (database: Database.Database) =>
        database.prepare("SELECT rowid AS r, *, typeof(balance) AS b FROM accounts ORDER BY r").safeIntegers().all();
      const columns = columnsOf(db);
      const rows = rowsOf(db);
      db.close();

      const pulled = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--sqlite", file, "--json");
      expect(pulled.code).toBe(0);
      expect((JSON.parse(pulled.stdout) as { notes: string[] }).notes).toEqual([]);
      const tables = await readFile(path.join(root, "schema/blog_db/tables.ts"), "utf8");
      for (const written of [
        'id: integer("BIGINT").primaryKey()',
        'email: text("VARCHAR(255)").notNull().unique()',
        'created_at: numeric("DATETIME")',
        'active: numeric("BOOLEAN").notNull().default(1)',
        'balance: numeric("DECIMAL(10,2)").check("balance >= 0", { name: "balance_positive" })',
        'payload: blob("")',
        'account_id: integer("BIGINT").references("accounts", "id", { name: "charges_account" })',
        'checks: [{ expression: "amount > 0", name: "amount_positive" }]',
        'amount: real("DOUBLE PRECISION").notNull()',
      ]) {
        expect(tables).toContain(written);
      }
      const files = await filesOf(root);
      const squash = files["migrations/fresh/blog_db/0001_complete_schema.sql"];
      expect(squash).toMatch(/ {2}email VARCHAR\(255\) NOT NULL UNIQUE,\n/);
      expect(squash).toMatch(/ {2}balance DECIMAL\(10,2\) CONSTRAINT balance_positive CHECK \(balance >= 0\),\n {2}payload\n/);
      expect(squash).toContain("CONSTRAINT amount_positive CHECK (amount > 0)");

      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
      expect(await filesOf(root)).toEqual(files);
      // The squash builds the columns the database has, declared types and rowid nature included.
      const rebuilt = new Database(":memory:");
      rebuilt.exec(squash);
      expect(columnsOf(rebuilt)).toEqual(columns);
      expect(() => rebuilt.exec("INSERT INTO accounts (email, active, balance) VALUES ('c@example.com', 1, -1)")).toThrow(
        "CHECK constraint failed: balance_positive",
      );
      // The baseline is a no-op on the database pulled from: its rows stay as they were.
      const production = new Database(file);
      production.exec(files["migrations/blog_db/0001_production_baseline.sql"]);
      expect(rowsOf(production)).toEqual(rows);
      expect(columnsOf(production)).toEqual(columns);
      production.close();
    },
    slow,
  );

  it(
    "refuses to overwrite schema/<folder>/ without --force, writes nothing on error, and replaces it with --force",
    async () => {
      const root = await newProject();
      const legacy = path.join(root, "legacy-migrations");
      await writeMigrations(legacy, handWritten);
      await mkdir(path.join(root, "schema/blog_db"), { recursive: true });
      await writeFile(path.join(root, "schema/blog_db/old.ts"), "export const nothing = 1;\n");
      const before = await filesOf(root);

      const refused = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", legacy);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/BLOG_DB: schema\/blog_db\/ already exists\n\s+fix: pass --force to replace it/);
      expect(refused.stderr).toMatch(/Nothing was written/);
      expect(await filesOf(root)).toEqual(before);

      await writeFile(path.join(legacy, "0010_broken.sql"), "ALTER TABLE nowhere ADD COLUMN x TEXT;\n");
      const broken = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", legacy, "--force");
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/0010_broken\.sql fails when the folder is replayed the D1 way: no such table: nowhere/);
      expect(await filesOf(root)).toEqual(before);

      await rm(path.join(legacy, "0010_broken.sql"));
      const forced = await d1Schema(root, "pull", "--database", "BLOG_DB", "--folder", "blog_db", "--migrations", legacy, "--force");
      expect(forced.code).toBe(0);
      const after = await filesOf(root);
      expect(after["schema/blog_db/old.ts"]).toBeUndefined();
      expect(Object.keys(after).filter((file) => file.startsWith("schema/"))).toEqual(["schema/blog_db/database.ts", "schema/blog_db/tables.ts"]);
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    },
    slow,
  );

  it(
    "adopts a NOT NULL column whose foreign key is ON DELETE SET NULL (valid on D1), reporting it as a lint warning",
    async () => {
      const root = await newProject();
      const dump = path.join(root, "odd.sql");
      await writeFile(
        dump,
        "CREATE TABLE o (id TEXT PRIMARY KEY);\nCREATE TABLE c (id TEXT PRIMARY KEY, o_id TEXT NOT NULL REFERENCES o(id) ON DELETE SET NULL);\n",
      );
      const pulled = await d1Schema(root, "pull", "--database", "APP_DB", "--folder", "app_db", "--dump", dump);
      expect(pulled.stderr).not.toMatch(/error/);
      expect(pulled.code).toBe(0);
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      const lint = await d1Schema(root, "lint");
      expect(lint.stdout + lint.stderr).toMatch(/not-null-set-null: APP_DB\.c\.o_id: is NOT NULL but its foreign key to o\(id\) is ON DELETE SET NULL/);
      expect((await d1Schema(root, "check")).code).toBe(0);
    },
    slow,
  );

  it(
    "adopts valid but odd schemas (issue 16) as they are: keys without a parent key, STRICT ANY, deferred keys, INTEGER PRIMARY KEY DESC, ON CONFLICT clauses; generate then reports no changes and the squash builds the same tables",
    async () => {
      const root = await newProject();
      const file = path.join(root, "odd.sqlite");
      const db = new Database(file);
      db.exec(`CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT);
        CREATE TABLE c (id INTEGER PRIMARY KEY, p_code TEXT REFERENCES p(code), ghost_id INTEGER REFERENCES ghost(id));
        CREATE TABLE s (id INTEGER PRIMARY KEY, x ANY) STRICT;
        CREATE TABLE d (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TABLE k (id INTEGER PRIMARY KEY DESC, x TEXT);
        CREATE TABLE u (id INTEGER PRIMARY KEY ON CONFLICT REPLACE, email TEXT UNIQUE ON CONFLICT IGNORE, plan TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'free');
        INSERT INTO p VALUES (1, 'a');
        INSERT INTO s VALUES (1, '1'), (2, 1), (3, X'00');
        INSERT INTO d VALUES (1, 1);
        INSERT INTO k (x) VALUES ('a'), ('b');`);
      const shapeOf = (database: Database.Database) =>
        database
          .prepare(
            `SELECT m.name AS tbl, 'column' AS what, json_array(p.name, p.type, p.pk, p."notnull") AS detail FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'
             UNION ALL SELECT m.name, 'key', json_array(f."from", f."table", f."to", f.on_delete) FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
             UNION ALL SELECT name, 'strict', strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'
             ORDER BY 1, 2, 3`,
          )
          .all();
      const rowsOf = (database: Database.Database) =>
        ["p", "s", "d", "k"].map((table) =>
          database.prepare(`SELECT rowid AS r, *, typeof(${table === "s" ? "x" : "id"}) AS t FROM ${table} ORDER BY r`).all(),
        );
      const shape = shapeOf(db);
      const rows = rowsOf(db);
      db.close();

      const pulled = await d1Schema(root, "pull", "--database", "ODD_DB", "--folder", "odd_db", "--sqlite", file, "--json");
      expect(pulled.code).toBe(0);
      const report = JSON.parse(pulled.stdout) as { notes: string[]; lintErrors: { kind: string; table: string; column: string }[] };
      expect(report.notes).toEqual([]);
      // Adopted as they are, and named right away: check fails on them until they are fixed or silenced.
      expect(report.lintErrors.map((finding) => `${finding.kind}: ${finding.table}.${finding.column}`)).toEqual([
        "foreign-key-to-non-unique: c.p_code",
        "foreign-key-to-missing-table: c.ghost_id",
      ]);
      const tables = await readFile(path.join(root, "schema/odd_db/tables.ts"), "utf8");
      for (const written of [
        'p_code: text().references("p", "code")',
        'ghost_id: integer().references("ghost", "id")',
        'x: numeric("ANY")',
        'p_id: integer().references("p", "id", { deferred: true })',
        "id: integer().primaryKey({ desc: true })",
        'id: integer().primaryKey({ onConflict: "replace" })',
        'email: text().unique({ onConflict: "ignore" })',
        'plan: text().notNull({ onConflict: "replace" }).default("free")',
      ]) {
        expect(tables).toContain(written);
      }
      const files = await filesOf(root);
      const squash = files["migrations/fresh/odd_db/0001_complete_schema.sql"];
      expect(squash).toContain("p_id INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED");
      expect(squash).toContain("CREATE TABLE IF NOT EXISTS k (id INTEGER PRIMARY KEY DESC, x TEXT);");
      // Each ON CONFLICT stays on its constraint's line (sql-formatter would start a line with it).
      expect(squash).toContain(
        "CREATE TABLE IF NOT EXISTS u (\n  id INTEGER PRIMARY KEY ON CONFLICT REPLACE,\n  email TEXT UNIQUE ON CONFLICT IGNORE,\n  \"plan\" TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'free'\n);",
      );

      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect(await filesOf(root)).toEqual(files);
      // The keys SQLite cannot use are lint errors, so check fails until they are fixed or silenced with a reason.
      const checked = await d1Schema(root, "check");
      expect(checked.code).toBe(1);
      expect(checked.stdout + checked.stderr).toMatch(/lint error foreign-key-to-non-unique: ODD_DB\.c\.p_code: references p\(code\)/);
      expect(checked.stdout + checked.stderr).toMatch(/lint error foreign-key-to-missing-table: ODD_DB\.c\.ghost_id: references ghost\(id\)/);
      // The squash builds the tables the database has, and the baseline leaves the database pulled from as it was.
      const rebuilt = new Database(":memory:");
      rebuilt.exec(squash);
      expect(shapeOf(rebuilt)).toEqual(shape);
      rebuilt.exec("INSERT INTO k (x) VALUES ('c'); INSERT INTO s VALUES (4, '4')");
      expect(rebuilt.prepare("SELECT id FROM k UNION ALL SELECT typeof(x) FROM s").all()).toEqual([{ id: null }, { id: "text" }]);
      rebuilt.exec("INSERT INTO u VALUES (1, 'a', 'pro'); INSERT INTO u VALUES (1, 'b', NULL); INSERT INTO u VALUES (2, 'b', 'pro')");
      expect(rebuilt.prepare("SELECT * FROM u").all()).toEqual([{ id: 1, email: "b", plan: "free" }]);
      const production = new Database(file);
      production.exec(files["migrations/odd_db/0001_production_baseline.sql"]);
      expect(rowsOf(production)).toEqual(rows);
      expect(shapeOf(production)).toEqual(shape);
      production.close();
    },
    slow,
  );

  it(
    "adopts tables, columns, indexes and constraints with any name SQLite accepts (issue 16): pulled back to the same squash, byte for byte, and a rebuild keeps every row",
    async () => {
      // A project whose schema has such names generates, and its folder is applied the D1 way to a database with rows.
      const { root: origin, writeTables } = await appDbProject("quoted-origin");
      await writeTables(`
export const parent = table("my table", {
  "order id": integer().primaryKey(),
  Straße: text().notNull().check('length("Straße") > 0', { name: "straße not empty" }),
  "a-b": text().unique(),
  'say "hi"': text(),
  select: integer(),
}, { indexes: [index('idx "q"').on('say "hi"', "Straße"), index("idx my table a-b").on("a-b", "order id")] });
export const child = table("Kind-Tabelle", {
  id: integer().primaryKey(),
  "parent id": integer().references("my table", "order id", { onDelete: "cascade", name: "fk parent" }),
  "Ünïcödé ✓": text(),
});
`);
      const generated = await d1Schema(origin, "generate");
      expect(generated.code).toBe(0);
      expect(generated.stdout).toMatch(/migrations\/app_db\/0001_create_kind_tabelle_and_my_table\.sql/);
      const originFiles = await filesOf(origin);
      const file = path.join(origin, "app.sqlite");
      const db = new Database(file);
      db.pragma("foreign_keys = ON");
      applyLikeD1(db, originFiles["migrations/app_db/0001_create_kind_tabelle_and_my_table.sql"]);
      db.exec(`INSERT INTO "my table" VALUES (1, 'x', 'a', 'h"i', 2), (2, 'y', NULL, NULL, NULL);
        INSERT INTO "Kind-Tabelle" VALUES (1, 1, 'ü'), (2, 2, NULL), (3, NULL, '✓');`);
      const rowsOf = (database: Database.Database) =>
        ["my table", "Kind-Tabelle"].map((table) => database.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all() as Record<string, unknown>[]);
      const rows = rowsOf(db);
      db.close();

      // Pulled into another project: the same squash, byte for byte (comments aside), and generate finds nothing to do.
      const root = await newProject();
      const pulled = await d1Schema(root, "pull", "--database", "APP_DB", "--folder", "app_db", "--sqlite", file, "--json");
      expect(pulled.code).toBe(0);
      expect((JSON.parse(pulled.stdout) as { notes: string[] }).notes).toEqual([]);
      const files = await filesOf(root);
      for (const written of [
        'export const kindTabelle = table("Kind-Tabelle", {',
        '"parent id": integer().references("my table", "order id", { onDelete: "cascade", name: "fk parent" }),',
        '"Ünïcödé ✓": text(),',
        'Straße: text().notNull().check(\'length("Straße") > 0\', { name: "straße not empty" }),',
        "'say \"hi\"': text(),",
        'index("idx my table a-b").on("a-b", "order id")',
      ]) {
        expect(files["schema/app_db/tables.ts"]).toContain(written);
      }
      const statements = (sql: string) => sql.split("\n").filter((line) => !line.startsWith("--"));
      expect(statements(files["migrations/fresh/app_db/0001_complete_schema.sql"])).toEqual(
        statements(originFiles["migrations/fresh/app_db/0001_complete_schema.sql"]),
      );
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
      expect((await d1Schema(root, "check")).code).toBe(0);
      expect(await filesOf(root)).toEqual(files);
      expect(files["generated/app_db.ts"]).toContain('export interface MyTableRow {\n  "order id": number;\n  Straße: string;');

      // The baseline is a no-op on the database pulled from; a change that rebuilds "my table" under its child keeps
      // every row of both.
      const tables = path.join(root, "schema/app_db/tables.ts");
      await writeFile(
        tables,
        (await readFile(tables, "utf8")).replace("select: integer(),", 'select: integer(),\n    "added at": text().defaultSql("datetime(\'now\')"),'),
      );
      const next = await d1Schema(root, "generate");
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(/migrations\/app_db\/0002_add_added_at_to_my_table\.sql/);
      const migration = (await filesOf(root))["migrations/app_db/0002_add_added_at_to_my_table.sql"];
      expect(migration).toContain('CREATE TABLE "__d1s_backup_my table" AS');
      const production = new Database(file);
      production.pragma("foreign_keys = ON");
      applyLikeD1(production, files["migrations/app_db/0001_production_baseline.sql"]);
      applyLikeD1(production, migration);
      const [parentRows, childRows] = rowsOf(production);
      expect(childRows).toEqual(rows[1]);
      expect(parentRows.map(({ "added at": added, ...row }) => (expect(added).toEqual(expect.any(String)), row))).toEqual(rows[0]);
      expect(production.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      production.close();
      expect((await d1Schema(root, "check")).code).toBe(0);
    },
    slow,
  );

  // The round trip for every schema among the tests' fixtures (ClearLift's squashes: the first test above): pull
  // from the squash, and generate reports no changes; the squash written from the pulled schema has the same
  // statements, byte for byte (its comments carry descriptions, which a dump does not have); and pulling that
  // squash again gives the same files, byte for byte, comments included: pull is a fixed point.
  const fixtures = [
    {
      name: "test/fixtures/example-schema",
      squash: async () => {
        const origin = await newProject();
        await cp(path.join(repoRoot, "test/fixtures/example-schema/example"), path.join(origin, "schema/example"), { recursive: true });
        expect((await d1Schema(origin, "generate")).code).toBe(0);
        return readFile(path.join(origin, "migrations/fresh/example/0001_complete_schema.sql"), "utf8");
      },
    },
    { name: "test/types/fixtures/shop-schema.ts", squash: () => Promise.resolve(renderFreshSchema(shopModel(), undefined)) },
  ];
  it.each(fixtures)(
    "round-trips $name: pull then generate reports no changes, the squash keeps its statements, and pull is a fixed point",
    async ({ squash }) => {
      const original = await squash();
      const pullInto = async (sql: string) => {
        const root = await newProject();
        await writeFile(path.join(root, "dump.sql"), sql);
        const pulled = await d1Schema(root, "pull", "--database", "APP_DB", "--folder", "app_db", "--dump", path.join(root, "dump.sql"), "--json");
        expect(pulled.code).toBe(0);
        expect((JSON.parse(pulled.stdout) as { notes: string[] }).notes).toEqual([]);
        const files = await filesOf(root);
        expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
        expect((await d1Schema(root, "check")).code).toBe(0);
        expect(await filesOf(root)).toEqual(files);
        return files;
      };
      const statements = (sql: string) => sql.split("\n").filter((line) => !line.startsWith("--"));
      const first = await pullInto(original);
      const squashOf = (files: Record<string, string>) => files["migrations/fresh/app_db/0001_complete_schema.sql"];
      expect(statements(squashOf(first))).toEqual(statements(original));
      expect(await pullInto(squashOf(first))).toEqual(first);
    },
    slow,
  );

  it("answers usage errors with exit code 2", async () => {
    const root = await newProject();
    const none = await d1Schema(root, "pull", "--database", "APP_DB", "--folder", "app_db");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --sqlite FILE, --dump FILE or --migrations DIR/);
    const missing = await d1Schema(root, "pull", "--database", "APP_DB", "--folder", "app_db", "--sqlite", path.join(root, "nope.sqlite"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/APP_DB: cannot open the SQLite file/);
    const badFolder = await d1Schema(
      root,
      "pull",
      "--database",
      "APP_DB",
      "--folder",
      "_shared",
      "--dump",
      path.join(migrationsDir, "fresh/ai_db/0001_complete_schema.sql"),
    );
    expect(badFolder.code).toBe(2);
    expect((await d1Schema(root, "pull", "--help")).stdout).toMatch(/--migrations/);
    expect(await filesOf(root)).toEqual({});
  });

  it(
    "keeps a pulled project's other databases in generated/index.ts",
    async () => {
      const root = await newProject();
      await cp(path.join(repoRoot, "test/fixtures/example-schema/example"), path.join(root, "schema/example"), { recursive: true });
      expect((await d1Schema(root, "generate")).code).toBe(0);
      const pulled = await d1Schema(
        root,
        "pull",
        "--database",
        "AI_DB",
        "--folder",
        "ai_db",
        "--dump",
        path.join(migrationsDir, "fresh/ai_db/0001_complete_schema.sql"),
      );
      expect(pulled.code).toBe(0);
      expect((await filesOf(root))["generated/index.ts"]).toMatch(/export \* as aiDb from "\.\/ai_db\.js";\nexport \* as exampleDb from "\.\/example\.js";/);
      expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    },
    slow,
  );
});
