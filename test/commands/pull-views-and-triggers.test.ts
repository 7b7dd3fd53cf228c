// `pull` adopts a database's views and triggers into schema/<folder>/views-and-triggers.ts: generate right after
// reports no changes, check passes, and the squash builds them. An FTS5 table is adopted too, its shadow tables left
// to SQLite.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Database as Model } from "../../generator/model/model.js";
import { runCli, temporaryDir } from "../helpers/cli.js";

const slow = 180_000;

describe("pull with views and triggers", () => {
  it(
    "writes them as the schema language, and generate reports no changes",
    async () => {
      const root = await temporaryDir("pull-objects");
      await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
      const file = path.join(root, "legacy.sqlite");
      const db = new Database(file);
      db.exec(`
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, deleted_at TEXT);
        CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, what TEXT NOT NULL);
        CREATE VIEW "active_users" (user_id, email) AS
          SELECT id, email FROM users WHERE deleted_at IS NULL;
        CREATE VIEW active_count AS SELECT count(*) AS n FROM active_users;
        CREATE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW
        BEGIN
          INSERT INTO audit (user_id, what) VALUES (NEW.id, 'it''s updated');
        END;
        CREATE TRIGGER active_users_insert INSTEAD OF INSERT ON active_users
        BEGIN
          INSERT INTO users (email) VALUES (NEW.email);
        END;
        CREATE VIRTUAL TABLE docs_fts USING fts5(title, body);
        INSERT INTO docs_fts (title, body) VALUES ('a', 'b');
      `);
      db.close();
      const pulled = await runCli(root, ["pull", "--database", "APP_DB", "--folder", "app_db", "--sqlite", file]);
      expect(pulled.stderr).toBe("");
      expect(pulled.code).toBe(0);
      const objects = await readFile(path.join(root, "schema/app_db/views-and-triggers.ts"), "utf8");
      expect(objects).toContain('import { trigger, view, virtualTable } from "d1-schema-kit";');
      expect(objects).toContain('export const activeCount = view("active_count", "SELECT count(*) AS n FROM active_users");');
      expect(objects).toMatch(/view\("active_users", "SELECT id, email FROM users WHERE deleted_at IS NULL", \{\s*columns: \["user_id", "email"\],?\s*\}\)/);
      expect(objects).toContain(
        String.raw`"AFTER UPDATE ON users FOR EACH ROW\n        BEGIN\n          INSERT INTO audit (user_id, what) VALUES (NEW.id, 'it''s updated');\n        END"`,
      );
      expect(objects).toContain('export const docsFts = virtualTable("docs_fts", "fts5(title, body)");');
      // FTS5's shadow tables are SQLite's: not adopted, not named.
      const pulledFiles =
        (await readFile(path.join(root, "schema/app_db/tables.ts"), "utf8")) + (await readFile(path.join(root, "schema/app_db/database.ts"), "utf8"));
      expect(pulledFiles).not.toContain("docs_fts");

      expect((await runCli(root, ["generate"])).stdout.trim()).toBe("no changes");
      expect(await runCli(root, ["check"])).toMatchObject({ code: 0 });
      const fresh = await readFile(path.join(root, "migrations/fresh/app_db/0001_complete_schema.sql"), "utf8");
      expect(fresh.indexOf("CREATE VIEW IF NOT EXISTS active_users(user_id, email) AS")).toBeLessThan(
        fresh.indexOf("CREATE VIEW IF NOT EXISTS active_count AS"),
      );
      expect(fresh).toContain("CREATE TRIGGER IF NOT EXISTS active_users_insert INSTEAD OF INSERT ON active_users");
      expect(fresh).toContain("CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, body);");
    },
    slow,
  );

  it(
    "snapshot rebuilds a snapshot without them from what the folder builds, views and triggers included",
    async () => {
      const root = await temporaryDir("snapshot-objects");
      await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
      await mkdir(path.join(root, "old"));
      await writeFile(
        path.join(root, "old/0001_init.sql"),
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);\nCREATE VIEW tx AS SELECT x FROM t;\nCREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN SELECT 1; END;\n",
      );
      expect((await runCli(root, ["pull", "--database", "APP", "--folder", "app", "--migrations", "old"])).code).toBe(0);
      const snapshotFile = path.join(root, "migrations/app/snapshot.json");
      const pulled = JSON.parse(await readFile(snapshotFile, "utf8")) as { database: Model };
      expect(pulled.database.views).toEqual([{ name: "tx", select: "SELECT x FROM t" }]);
      // As a snapshot written before the schema language held them.
      const { views: _views, triggers: _triggers, ...tablesOnly } = pulled.database;
      await writeFile(snapshotFile, `${JSON.stringify({ ...pulled, database: tablesOnly, databaseHash: undefined }, null, 2)}\n`);
      expect((await runCli(root, ["snapshot", "--database", "APP"])).code).toBe(0);
      const rebuilt = JSON.parse(await readFile(snapshotFile, "utf8")) as { database: Model };
      expect(rebuilt.database.views).toEqual(pulled.database.views);
      expect(rebuilt.database.triggers).toEqual(pulled.database.triggers);
      expect((await runCli(root, ["generate"])).stdout.trim()).toBe("no changes");
      expect(await runCli(root, ["check"])).toMatchObject({ code: 0 });
    },
    slow,
  );
});
