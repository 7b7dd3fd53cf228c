// Introspection reads back what the schema wrote: a schema using every feature of the schema language, built in
// SQLite from its fresh squash, introspects to a model with no difference from it, and so does every ClearLift
// database's committed squash. Hand-written SQL the model cannot hold is reported, never guessed; and `pull` writes
// schema files that load back as exactly the introspected model.
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPull } from "../../generator/commands/pull.js";
import { diffDatabases } from "../../generator/diff/diff.js";
import { blob, boolean, database, desc, expr, index, integer, json, numeric, real, table, text, timestamp, uniqueIndex } from "../../generator/dsl/index.js";
import { projectPaths } from "../../generator/io/paths.js";
import { canonicalJson } from "../../generator/model/canonical-json.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { validateDatabase } from "../../generator/model/validate.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "../../generator/sqlite/apply.js";
import { introspectDatabase } from "../../generator/sqlite/introspect.js";
import { sqlComparisonKey } from "../../generator/model/sql-lexer.js";
import { readAppliedMigrations } from "../../generator/wrangler/applied-migrations.js";
import { loadDatabaseModel, migrationsDir } from "../helpers/clearlift.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const temporaryDirs: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const accounts = table(
  "accounts",
  {
    id: integer().autoincrement(),
    email: text().notNull().collate("NOCASE").unique(),
    handle: text().collate("RTRIM"),
    plan: text().notNull().default("free").check("plan IN ('free', 'pro')"),
    balance: real().notNull().default(-1.5),
    credits: integer().notNull().default(0),
    ratio: numeric().default(0.25),
    is_active: boolean().notNull().default(true),
    avatar: blob().defaultSql("X'00ff'"),
    nickname: text().default(null),
    motto: text().default("it's"),
    settings: json("{ theme?: string }").notNull().default("{}"),
    created_at: timestamp().notNull().defaultSql("CURRENT_TIMESTAMP"),
    updated_at: timestamp().notNull().defaultSql("datetime('now')"),
    seen_at: timestamp("unix").defaultSql("unixepoch()"),
    token: text().defaultSql("lower(hex(randomblob(16)))"),
    email_domain: text().generatedAs("substr(email, instr(email, '@') + 1)"),
    credits_doubled: integer().generatedAs("credits * 2", { stored: true }),
  },
  {
    description: "Every column feature and every kind of default.",
    checks: ["credits >= 0", "balance > -100 OR is_active = 0"],
    indexes: [
      index("idx_accounts_created").on(desc("created_at")),
      index("idx_accounts_lower_handle").on(expr("lower(handle)"), "plan"),
      uniqueIndex("idx_accounts_token").on("token").where("token IS NOT NULL"),
      index("idx_accounts_nick").on({ column: "nickname", collate: "NOCASE" }, { column: "plan", order: "ASC" }),
    ],
  },
);

const memberships = table(
  "memberships",
  {
    account_id: integer().notNull().references("accounts", "id", { onDelete: "cascade", onUpdate: "restrict" }),
    team: text().notNull(),
    role: text().notNull().default("member"),
    invited_by: integer().references("accounts", "id", { onDelete: "set null" }),
  },
  { primaryKey: ["account_id", "team"], unique: [["team", "role", "account_id"]], withoutRowid: true },
);

const grants = table(
  "grants",
  {
    id: text().primaryKey(),
    account_id: integer().notNull(),
    team: text().notNull(),
    scope: text().notNull().default("read").describe("What the grant allows."),
  },
  {
    foreignKeys: [{ columns: ["account_id", "team"], references: { table: "memberships", columns: ["account_id", "team"] }, onDelete: "cascade" }],
    unique: [["account_id", "scope"]],
    indexes: [index("idx_grants_scope").on("scope", desc("team"))],
    strict: true,
  },
);

const features = normalizeDatabase("features", database({ name: "FEATURES_DB" }), [accounts, memberships, grants]);

function squashDatabase(model: Database): SqliteDatabase {
  const db = openMemoryDatabase();
  applyLikeD1(db, renderFreshSchema(model, undefined));
  return db;
}

function introspect(db: SqliteDatabase, like: Database) {
  const { tables: _tables, ...identity } = like;
  return introspectDatabase(db, identity);
}

/** The model without what SQL cannot carry: descriptions and the TypeScript-side logical types. */
function sqlLevel(model: Database): string {
  return canonicalJson(
    model.tables.map(({ description: _description, deprecated: _deprecated, createdIn: _createdIn, ...table }) => ({
      ...table,
      columns: table.columns.map(({ logical: _logical, tsType: _tsType, description: _d, deprecated: _dep, ...column }) => column),
    })),
  );
}

describe("introspectDatabase", () => {
  it("reads back every feature of the schema language from the fresh squash", () => {
    expect(validateDatabase(features)).toEqual([]);
    const { database: live, notes } = introspect(squashDatabase(features), features);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, features)).toEqual([]);
    expect(diffDatabases(features, live)).toEqual([]);
    // Not only no difference the differ sees: the same model, orders included, apart from metadata.
    expect(sqlLevel(live)).toBe(sqlLevel(features));
  });

  it.each(["db", "ai_db", "analytics_db", "shard"])("reads every ClearLift squash (%s) back as its schema", async (folder) => {
    const model = await loadDatabaseModel(folder);
    const db = openMemoryDatabase();
    applyLikeD1(db, await readFile(path.join(migrationsDir, "fresh", folder, "0001_complete_schema.sql"), "utf8"));
    const { database: live, notes } = introspect(db, model);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
    expect(live.tables.map((table) => table.name)).toEqual(model.tables.map((table) => table.name));
  });

  it("skips D1's and SQLite's own tables and the tool's backups, and reads d1_migrations", () => {
    const db = squashDatabase(features);
    db.exec(`CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
      INSERT INTO d1_migrations (name) VALUES ('0001_init.sql'), ('0004_more.sql');
      CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB);
      CREATE TABLE __d1s_backup_accounts (id INTEGER);`);
    const { database: live } = introspect(db, features);
    expect(live.tables.map((table) => table.name)).toEqual(["accounts", "grants", "memberships"]);
    expect(readAppliedMigrations(db)).toEqual(["0001_init.sql", "0004_more.sql"]);
    expect(readAppliedMigrations(openMemoryDatabase())).toBeUndefined();
  });

  it("reads hand-written SQL, and says what the model cannot hold instead of guessing", () => {
    const db = openMemoryDatabase();
    db.exec(`
      CREATE TABLE parents (id INT PRIMARY KEY, code TEXT UNIQUE ON CONFLICT REPLACE);
      CREATE TABLE "children" (
        id INTEGER PRIMARY KEY, -- a comment, with a comma
        parent_id INTEGER REFERENCES parents DEFERRABLE INITIALLY DEFERRED,
        name VARCHAR(255) NOT NULL DEFAULT ('x') CHECK (length(name) > 0) CHECK (name <> 'root'),
        created DATETIME DEFAULT current_timestamp,
        score DOUBLE PRECISION,
        payload,
        email TEXT COLLATE nocase,
        /* block comment */ kind TEXT NOT NULL DEFAULT 'a,b'
      );
      CREATE INDEX idx_children_lower ON children (lower(name) DESC, email COLLATE NOCASE);
      CREATE VIEW parent_names AS SELECT code FROM parents;
      CREATE TRIGGER touch AFTER INSERT ON children BEGIN SELECT 1; END;
    `);
    const { database: live, notes } = introspectDatabase(db, { name: "LEGACY", folder: "legacy", bindings: ["LEGACY"], continueFrom: 0, ifNotExists: true });
    const children = live.tables.find((table) => table.name === "children")!;
    // The affinity, and the declared type as SQLite reports it where it is not the affinity's name (issue 16).
    expect(children.columns.map((column) => [column.name, column.type, column.declaredType])).toEqual([
      ["id", "INTEGER", undefined],
      ["parent_id", "INTEGER", undefined],
      ["name", "TEXT", "VARCHAR(255)"],
      ["created", "NUMERIC", "DATETIME"],
      ["score", "REAL", "DOUBLE PRECISION"],
      ["payload", "BLOB", ""],
      ["email", "TEXT", undefined],
      ["kind", "TEXT", undefined],
    ]);
    // UNIQUE ON CONFLICT REPLACE is kept (it used to be a note, "left out").
    expect(live.tables.find((table) => table.name === "parents")!.uniques).toEqual([{ columns: ["code"], onConflict: "REPLACE" }]);
    // INT PRIMARY KEY is kept as written: a key apart from the rowid.
    expect(live.tables.find((table) => table.name === "parents")!.columns[0]).toMatchObject({ name: "id", type: "INTEGER", declaredType: "INT" });
    const name = children.columns[2];
    // ('x') is an expression default, not the literal 'x': ALTER TABLE ADD COLUMN treats them differently.
    expect(name.default).toEqual({ sql: "('x')", constant: false });
    expect(name.check).toBe("length(name) > 0");
    expect(children.checks).toEqual([{ expression: "name <> 'root'" }]);
    expect(children.columns[3].default).toEqual({ sql: "CURRENT_TIMESTAMP", constant: false });
    expect(children.columns[6].collate).toBe("NOCASE");
    expect(children.columns[7].default).toEqual({ sql: "'a,b'", constant: true });
    // `REFERENCES parents` without columns is the parent's primary key.
    // DEFERRABLE INITIALLY DEFERRED is kept (it used to be a note, "read as immediate": a change of meaning).
    expect(children.foreignKeys).toEqual([
      { columns: ["parent_id"], table: "parents", refColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION", deferred: true },
    ]);
    expect(children.indexes).toEqual([
      { name: "idx_children_lower", unique: false, parts: [{ expression: "lower(name)" }, { column: "email", collate: "NOCASE" }] },
    ]);
    // Views and triggers are read with their SQL as SQLite keeps it (they used to be notes, "not part of the schema language").
    expect(live.views).toEqual([{ name: "parent_names", select: "SELECT code FROM parents" }]);
    expect(live.triggers).toEqual([{ name: "touch", table: "children", definition: "AFTER INSERT ON children BEGIN SELECT 1; END" }]);
    expect([...notes].sort()).toEqual(
      [
        "children.name: has more than one CHECK; the first stays on the column, the others become table CHECKs (same effect)",
        "index idx_children_lower on children: orders an expression DESC, which the schema language cannot hold; read as ascending",
      ].sort(),
    );
  });

  it("compares SQL fragments without regard to white space, case or outer parentheses", () => {
    expect(sqlComparisonKey("lower(hex (randomblob(16)))")).toBe(sqlComparisonKey("(LOWER(hex(randomblob( 16 ))))"));
    expect(sqlComparisonKey("a IN ('x', 'y')")).toBe(sqlComparisonKey("a in(\n  'x',\n  'y'\n)"));
    expect(sqlComparisonKey("name = 'A'")).not.toBe(sqlComparisonKey("name = 'a'"));
  });
});

describe("pull of every feature", () => {
  it("writes schema files that load back as exactly the introspected model", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-introspect-"));
    temporaryDirs.push(root);
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await symlink(path.join(repoRoot, "generator"), path.join(root, "generator"));
    const dump = path.join(root, "features.sql");
    await writeFile(dump, renderFreshSchema(features, undefined));
    const report = await runPull(projectPaths(root), { name: "FEATURES_DB", folder: "features", source: { kind: "dump", file: dump }, force: false });
    expect(report.notes).toEqual([]);
    const tables = await readFile(path.join(root, "schema/features/tables.ts"), "utf8");
    // Idiomatic schema language, not a transcript of the SQL.
    expect(tables).toContain("id: integer().autoincrement(),");
    expect(tables).toContain('email: text().notNull().unique().collate("NOCASE"),');
    expect(tables).toContain("is_active: integer().notNull().default(1),");
    expect(tables).toContain('motto: text().default("it\'s"),');
    expect(tables).toContain("updated_at: text().notNull().defaultSql(\"datetime('now')\"),");
    expect(tables).toContain('credits_doubled: integer().generatedAs("credits * 2", { stored: true }),');
    expect(tables).toContain('account_id: integer().notNull().references("accounts", "id", { onDelete: "cascade", onUpdate: "restrict" }),');
    expect(tables).toContain('index("idx_accounts_lower_handle").on(expr("lower(handle)"), "plan")');
    expect(tables).toContain('uniqueIndex("idx_accounts_token").on("token").where("token IS NOT NULL")');
    expect(tables).toContain('primaryKey: ["account_id", "team"]');
    expect(tables).toContain("foreignKeys: [");
    const snapshot = JSON.parse(await readFile(path.join(root, "migrations/features/snapshot.json"), "utf8")) as { database: Database };
    expect(sqlLevel(snapshot.database)).toBe(sqlLevel(features));
  });
});
