// Views and triggers on wrangler's local D1 engine: the migrations generate writes create them, and a rebuild sets the
// triggers aside (an audit trigger does not fire on the copied rows: the audit table's rows are the same after it)
// and creates them again (the next UPDATE fires). A view over the rebuilt table reads its rows afterwards. An
// external-content FTS5 table added over rows is built from them, and kept whole through its content table's rebuild.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { integer, table, text, trigger, view, virtualTable } from "../../generator/dsl/index.js";
import { applyWithWrangler } from "../helpers/local-d1.js";
import { History, modelOf } from "../helpers/evolve.js";

const slow = 180_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const audit = table("audit", { id: integer().primaryKey(), user_id: integer(), what: text().notNull() });
const users = (nickname = text()) => table("users", { id: integer().primaryKey(), email: text().notNull(), nickname });
const objects = [
  view("named_users", "SELECT id, email, nickname FROM users WHERE nickname <> ''"),
  trigger("users_audit", "AFTER UPDATE ON users FOR EACH ROW\nBEGIN\n  INSERT INTO audit (user_id, what) VALUES (NEW.id, 'update');\nEND"),
  trigger("users_audit_insert", { on: "users", timing: "AFTER", event: "INSERT", body: "INSERT INTO audit (user_id, what) VALUES (NEW.id, 'insert');" }),
];

describe("views and triggers on local D1", () => {
  it(
    "are created by the migrations, set aside by a rebuild (no audit row from the copy), and work after it",
    async () => {
      const history = new History();
      history.step(modelOf([users(), audit], {}, { objects }));
      history.step(modelOf([users(text().notNull().default("")), audit], {}, { objects }));
      const rebuild = history.migrations[1].sql;
      expect(rebuild).toContain("DELETE FROM users");
      expect(rebuild.indexOf("DROP TRIGGER users_audit;")).toBeLessThan(rebuild.indexOf("DELETE FROM users"));

      const dir = mkdtempSync(path.join(tmpdir(), "d1-objects-"));
      dirs.push(dir);
      const migrations = path.join(dir, "migrations");
      mkdirSync(migrations);
      writeFileSync(path.join(migrations, "0001_init.sql"), history.migrations[0].sql);
      writeFileSync(
        path.join(migrations, "0002_rows.sql"),
        "INSERT INTO users (id, email, nickname) VALUES (1, 'a@x', 'a'), (2, 'b@x', NULL);\nUPDATE users SET email = 'a@y' WHERE id = 1;\n",
      );
      writeFileSync(path.join(migrations, "0003_tighten.sql"), rebuild);
      writeFileSync(path.join(migrations, "0004_more_rows.sql"), "UPDATE users SET nickname = 'b' WHERE id = 2;\n");
      const result = await applyWithWrangler(migrations, { workDir: path.join(dir, "project") });
      expect(result.appliedNames).toEqual(["0001_init.sql", "0002_rows.sql", "0003_tighten.sql", "0004_more_rows.sql"]);

      const db = new Database(result.sqlitePath, { readonly: true });
      try {
        expect(db.prepare("SELECT user_id, what FROM audit ORDER BY id").all()).toEqual([
          { user_id: 1, what: "insert" },
          { user_id: 2, what: "insert" },
          { user_id: 1, what: "update" },
          { user_id: 2, what: "update" },
        ]);
        expect(db.prepare("SELECT id, nickname FROM named_users ORDER BY id").all()).toEqual([
          { id: 1, nickname: "a" },
          { id: 2, nickname: "b" },
        ]);
        expect(db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name").all()).toEqual(
          ["named_users", "users_audit", "users_audit_insert"].map((name) => ({ name })),
        );
      } finally {
        db.close();
      }
    },
    slow,
  );

  it(
    "build an external-content FTS5 index over existing rows and keep it through a rebuild of its content table",
    async () => {
      const docs = (body = text()) => table("docs", { id: integer().primaryKey(), title: text().notNull(), body });
      const fts = [
        virtualTable("docs_fts", "fts5(title, body, content='docs', content_rowid='id')"),
        trigger("docs_fts_insert", "AFTER INSERT ON docs BEGIN INSERT INTO docs_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END"),
      ];
      const history = new History();
      history.step(modelOf([docs()]));
      history.step(modelOf([docs()], {}, { objects: fts }));
      history.step(modelOf([docs(text().notNull().default(""))], {}, { objects: fts }));

      const dir = mkdtempSync(path.join(tmpdir(), "d1-fts-"));
      dirs.push(dir);
      const migrations = path.join(dir, "migrations");
      mkdirSync(migrations);
      writeFileSync(path.join(migrations, "0001_init.sql"), history.migrations[0].sql);
      writeFileSync(path.join(migrations, "0002_rows.sql"), "INSERT INTO docs (id, title, body) VALUES (1, 'alpha', NULL), (2, 'beta', 'second');\n");
      writeFileSync(path.join(migrations, "0003_fts.sql"), history.migrations[1].sql);
      writeFileSync(path.join(migrations, "0004_tighten.sql"), history.migrations[2].sql);
      writeFileSync(path.join(migrations, "0005_more_rows.sql"), "INSERT INTO docs (id, title, body) VALUES (3, 'alpha three', 'third');\n");
      const result = await applyWithWrangler(migrations, { workDir: path.join(dir, "project") });
      expect(result.appliedNames).toHaveLength(5);

      const db = new Database(result.sqlitePath, { readonly: true });
      try {
        const matches = (term: string) => db.prepare("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid").all(term);
        expect(matches("alpha")).toEqual([{ rowid: 1 }, { rowid: 3 }]);
        expect(matches("second")).toEqual([{ rowid: 2 }]);
        expect(db.prepare("SELECT count(*) AS n FROM docs_fts").get()).toEqual({ n: 3 });
      } finally {
        db.close();
      }
    },
    slow,
  );
});
