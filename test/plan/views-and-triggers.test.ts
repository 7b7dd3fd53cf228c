// Views and triggers in the schema language: created after the tables they name, replaced (drop + create) when their
// SQL changes, and set aside around a rebuild, a rename or a dropped column, so a trigger does not fire while rows
// move and SQLite does not fail on a view. Proved on real SQLite with rows.
import { describe, expect, it } from "vitest";
import { integer, table, text, trigger, view, type ColumnBuilder } from "../../generator/dsl/index.js";
import type { TriggerDefinition, ViewDefinition } from "../../generator/dsl/objects.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import { SchemaError, SchemaErrors } from "../../generator/model/errors.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { applyLikeD1, History, modelOf, openMemoryDatabase } from "../helpers/evolve.js";

const users = (columns: Record<string, ColumnBuilder> = {}) =>
  table("users", { id: integer().primaryKey(), email: text().notNull(), nickname: text(), updated_at: integer(), ...columns });
const audit = table("audit", { id: integer().primaryKey(), user_id: integer(), what: text().notNull() });

const logUpdates = trigger("users_audit_update", "AFTER UPDATE ON users FOR EACH ROW BEGIN INSERT INTO audit (user_id, what) VALUES (NEW.id, 'update'); END");
const logInserts = trigger("users_audit_insert", {
  on: "users",
  timing: "AFTER",
  event: "INSERT",
  body: "INSERT INTO audit (user_id, what) VALUES (NEW.id, 'insert')",
});
const logDeletes = trigger("users_audit_delete", "AFTER DELETE ON users BEGIN INSERT INTO audit (user_id, what) VALUES (OLD.id, 'delete'); END;");
const named = view("named_users", "SELECT id, email, nickname FROM users WHERE nickname IS NOT NULL");
const namedCount = view("named_user_count", "SELECT count(*) AS n FROM named_users");

type Objects = (ViewDefinition | TriggerDefinition)[];
const model = (tables: TableDefinition[], objects: Objects) => modelOf(tables, {}, { objects });

/** Applies each migration of `history` after the first to `db`. */
function applyFrom(db: ReturnType<typeof openMemoryDatabase>, history: History, from: number): void {
  for (const migration of history.migrations.slice(from)) applyLikeD1(db, migration.sql);
}

const count = (db: ReturnType<typeof openMemoryDatabase>, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe("views and triggers in the model", () => {
  it("are absent from a model without them, so existing snapshots stay byte-identical", () => {
    const plain = modelOf([audit]);
    expect("views" in plain).toBe(false);
    expect("triggers" in plain).toBe(false);
  });

  it("keep their SQL as written, a trigger knowing its table", () => {
    const m = model([users(), audit], [namedCount, named, logDeletes, logInserts]);
    expect(m.views!.map((v) => v.name)).toEqual(["named_user_count", "named_users"]);
    expect(m.triggers).toEqual([
      {
        name: "users_audit_delete",
        table: "users",
        definition: "AFTER DELETE ON users BEGIN INSERT INTO audit (user_id, what) VALUES (OLD.id, 'delete'); END",
      },
      {
        name: "users_audit_insert",
        table: "users",
        definition: "AFTER INSERT ON users FOR EACH ROW BEGIN INSERT INTO audit (user_id, what) VALUES (NEW.id, 'insert'); END",
      },
    ]);
  });

  it("are refused on a missing table, a taken name, or SQL SQLite cannot read, naming database and object", () => {
    const problems = (objects: Objects) => {
      try {
        model([users(), audit], objects);
        return [];
      } catch (error) {
        if (error instanceof SchemaErrors) return error.errors.map((e) => e.message);
        if (error instanceof SchemaError) return [error.message];
        throw error;
      }
    };
    expect(problems([trigger("t", "AFTER INSERT ON accounts BEGIN SELECT 1; END")])).toEqual([
      expect.stringContaining("TEST_DB: has trigger t on accounts, which is not a table or view of the database"),
    ]);
    expect(problems([view("audit", "SELECT 1")])).toEqual([expect.stringContaining('declares the view name "audit", already used by table audit')]);
    expect(problems([view("emails", "SELECT id, mail FROM users")])).toEqual([
      expect.stringMatching(/^TEST_DB: view emails is rejected by SQLite: no such column: mail\n {2}fix: /),
    ]);
    // Checked as SQLite checks a trigger when a table is renamed (the names it reads and the tables it writes).
    expect(problems([trigger("t", "AFTER INSERT ON users BEGIN INSERT INTO audit (what) VALUES (NEW.nope); END")])).toEqual([
      expect.stringContaining("TEST_DB: trigger t is rejected by SQLite: error in trigger t: no such column: NEW.nope"),
    ]);
    expect(problems([trigger("t", "AFTER INSERT ON users BEGIN INSERT INTO audits (what) VALUES ('x'); END")])).toEqual([
      expect.stringContaining("TEST_DB: trigger t is rejected by SQLite: error in trigger t: no such table: main.audits"),
    ]);
    expect(problems([trigger("t", "AFTER INSERT ON users BEGIN SELECT 1; END; DROP TABLE audit")])).toEqual([
      expect.stringContaining("does not end with BEGIN …; END"),
    ]);
  });
});

describe("a migration with views and triggers", () => {
  it("creates them after the tables, views after the views they read, and the squash does too", () => {
    const history = new History();
    const result = history.step(model([users(), audit], [namedCount, named, logUpdates]));
    const sql = result.migration!.sql;
    const at = (text: string) => sql.indexOf(text);
    expect(at("CREATE TABLE IF NOT EXISTS users")).toBeLessThan(at("CREATE VIEW IF NOT EXISTS named_users AS"));
    expect(at("CREATE VIEW IF NOT EXISTS named_users AS")).toBeLessThan(at("CREATE VIEW IF NOT EXISTS named_user_count AS"));
    expect(sql).toContain(
      "CREATE TRIGGER IF NOT EXISTS users_audit_update AFTER UPDATE ON users FOR EACH ROW BEGIN INSERT INTO audit (user_id, what) VALUES (NEW.id, 'update'); END;",
    );
    const fresh = renderFreshSchema(history.last!.database, "0001");
    expect(fresh.indexOf("CREATE VIEW IF NOT EXISTS named_users")).toBeGreaterThan(fresh.indexOf("CREATE TABLE IF NOT EXISTS users"));
    expect(fresh.indexOf("CREATE TRIGGER")).toBeGreaterThan(fresh.indexOf("CREATE VIEW IF NOT EXISTS named_user_count"));
    // Nothing changed: no migration.
    expect(history.step(model([users(), audit], [namedCount, named, logUpdates])).migration).toBeUndefined();
  });

  it("replaces a changed view or trigger (drop, then create at the end) and drops a removed one first", () => {
    const history = new History();
    history.step(model([users(), audit], [named, namedCount, logUpdates]));
    const changed = view("named_users", "SELECT id, email FROM users WHERE nickname IS NOT NULL");
    const result = history.step(model([users(), audit], [changed, namedCount]));
    const sql = result.migration!.sql;
    expect(result.changes.map((change) => change.kind)).toEqual(["replaceView", "dropTrigger"]);
    expect(sql).toContain("they hold no rows");
    const at = (text: string) => sql.indexOf(text);
    expect(at("DROP TRIGGER users_audit_update;")).toBeGreaterThan(-1);
    // named_user_count reads named_users: set aside with it, dropped first, created after it.
    expect(at("DROP VIEW named_user_count;")).toBeLessThan(at("DROP VIEW named_users;"));
    expect(at("CREATE VIEW IF NOT EXISTS named_users AS SELECT id, email FROM")).toBeLessThan(at("CREATE VIEW IF NOT EXISTS named_user_count"));
    expect(sql).not.toContain("CREATE TRIGGER");
  });

  it("sets triggers aside around a rebuild: they do not fire on the copied rows, and fire again after", () => {
    const objects = [named, namedCount, logUpdates, logInserts, logDeletes];
    const history = new History();
    history.step(model([users(), audit], objects));
    const db = openMemoryDatabase();
    applyFrom(db, history, 0);
    db.exec("INSERT INTO users (id, email, nickname) VALUES (1, 'a@x', 'a'), (2, 'b@x', NULL), (3, 'c@x', 'c')");
    db.exec("UPDATE users SET updated_at = 5 WHERE id = 1");
    expect(count(db, "SELECT count(*) AS n FROM audit")).toBe(4);
    const auditBefore = db.prepare("SELECT * FROM audit ORDER BY id").all();

    // NOT NULL with a default on a kept column: a rebuild (backup, empty, drop, create, copy).
    const tightened = users({ nickname: text().notNull().default("") });
    const result = history.step(model([tightened, audit], objects));
    expect(result.migration!.plan.rebuild?.rebuilt).toEqual(["users"]);
    const sql = result.migration!.sql;
    expect(sql.indexOf("DROP TRIGGER users_audit_insert;")).toBeLessThan(sql.indexOf("DELETE FROM users"));
    expect(sql.indexOf("CREATE TRIGGER IF NOT EXISTS users_audit_insert")).toBeGreaterThan(sql.indexOf("INSERT INTO users"));
    applyFrom(db, history, 1);

    expect(db.prepare("SELECT * FROM audit ORDER BY id").all()).toEqual(auditBefore);
    expect(count(db, "SELECT count(*) AS n FROM users")).toBe(3);
    expect(count(db, "SELECT n FROM named_user_count")).toBe(3);
    db.exec("UPDATE users SET updated_at = 6 WHERE id = 2");
    db.exec("DELETE FROM users WHERE id = 3");
    expect(db.prepare("SELECT user_id, what FROM audit WHERE id > 4 ORDER BY id").all()).toEqual([
      { user_id: 2, what: "update" },
      { user_id: 3, what: "delete" },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name").all()).toEqual(
      ["named_user_count", "named_users", "users_audit_delete", "users_audit_insert", "users_audit_update"].map((name) => ({ name })),
    );
  });

  it("sets views aside around a dropped column and a renamed table, which SQLite refuses while a view it cannot read stands", () => {
    const history = new History();
    const wide = users({ legacy: text() });
    const legacyView = view("legacy_users", "SELECT id, legacy FROM users");
    history.step(model([wide, audit], [legacyView, named, logUpdates]));
    const db = openMemoryDatabase();
    applyFrom(db, history, 0);
    db.exec("INSERT INTO users (id, email, nickname, legacy) VALUES (1, 'a@x', 'a', 'old')");

    // The view stops reading the column, which is dropped in place (ALTER TABLE DROP COLUMN).
    const lean = view("legacy_users", "SELECT id FROM users");
    const dropped = history.step(model([users(), audit], [lean, named, logUpdates]), { allowDestructive: true });
    expect(dropped.migration!.sql).toMatch(/ALTER TABLE users\s+DROP COLUMN legacy;/);
    applyFrom(db, history, 1);
    expect(db.prepare("SELECT * FROM named_users").all()).toEqual([{ id: 1, email: "a@x", nickname: "a" }]);

    // users becomes members: the views and the trigger name the new table.
    const members = table(
      "members",
      { id: integer().primaryKey(), email: text().notNull(), nickname: text(), updated_at: integer() },
      { renamedFrom: "users" },
    );
    const renamedObjects = [
      view("legacy_users", "SELECT id FROM members"),
      view("named_users", "SELECT id, email, nickname FROM members WHERE nickname IS NOT NULL"),
      trigger("users_audit_update", "AFTER UPDATE ON members FOR EACH ROW BEGIN INSERT INTO audit (user_id, what) VALUES (NEW.id, 'update'); END"),
    ];
    const renamed = history.step(model([members, audit], renamedObjects));
    const sql = renamed.migration!.sql;
    expect(sql.indexOf("DROP VIEW named_users;")).toBeLessThan(sql.search(/ALTER TABLE users\s+RENAME TO members;/));
    applyFrom(db, history, 2);
    db.exec("UPDATE members SET updated_at = 1");
    expect(db.prepare("SELECT user_id, what FROM audit").all()).toEqual([{ user_id: 1, what: "update" }]);
    expect(db.prepare("SELECT * FROM legacy_users").all()).toEqual([{ id: 1 }]);
  });
});
