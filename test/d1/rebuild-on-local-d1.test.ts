// The truth is D1 itself: the generated rebuilds and a multi-step evolution, applied by
// `wrangler d1 migrations apply --local` (workerd's D1, offline), keep every row; a NOT NULL tightening over a NULL
// fails as a whole there, changing nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { boolean, index, integer, table, text, type ColumnBuilder, type TableOptions } from "../../generator/dsl/index.js";
import { applyLikeD1, databaseFrom, History, modelOf, openMemoryDatabase, rowsOf, shapeOf } from "../helpers/evolve.js";
import { applyWithWrangler } from "../helpers/local-d1.js";
import { allRebuildScenarios } from "../helpers/rebuild-scenarios.js";
import { formatMigrationNumber, migrationNumber } from "../../generator/project/migration-files.js";
import type { DatabaseGeneration } from "../../generator/pipeline/generate-database.js";

const wranglerTimeout = 180_000;
const temporaryDirs: string[] = [];
afterAll(() => temporaryDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "d1-schema-d1-"));
  temporaryDirs.push(dir);
  return dir;
}

function openReadonly(file: string) {
  return new Database(file, { readonly: true, fileMustExist: true });
}

describe("on wrangler's local D1 engine", () => {
  it(
    "rebuilds parents with children and grandchildren under every ON DELETE action, and self-references, keeping every row",
    async () => {
      const scenarios = allRebuildScenarios();
      const history = new History();
      const before = history.step(modelOf(scenarios.flatMap((scenario) => scenario.before)));
      const after = history.step(modelOf(scenarios.flatMap((scenario) => scenario.after)));
      const seed = scenarios.map((scenario) => scenario.seed).join("\n");

      const result = await applyWithRowsBetween(before, after, seed);

      // The same three files on SQLite give the expected rows; D1 must agree with every one of them.
      const expected = databaseFrom(before.database);
      expected.exec(seed);
      const rowsBefore = Object.fromEntries(scenarios.flatMap((scenario) => scenario.tables).map((name) => [name, rowsOf(expected, name)]));
      applyLikeD1(expected, after.migration!.sql);

      const d1 = openReadonly(result.sqlitePath);
      for (const scenario of scenarios) {
        for (const name of scenario.tables) {
          const rows = rowsOf(d1, name);
          // datetime('now') defaults were computed when each database took the seed rows, maybe a second apart;
          // test/plan proves on one database that a rebuild carries them unchanged.
          expect(withoutClock(rows), `${scenario.name}: ${name}`).toEqual(withoutClock(rowsOf(expected, name)));
          expect(rows.length, `${scenario.name}: ${name}`).toBe(rowsBefore[name].length);
        }
      }
      expect(d1.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      expect(shapeOf(d1)).toEqual(shapeOf(expected));
      d1.close();
    },
    wranglerTimeout,
  );

  it(
    "builds and rebuilds tables with any name SQLite accepts (spaces, dashes, a double quote, non-ASCII letters), keeping every row (issue 16)",
    async () => {
      const parent = (extra: boolean) =>
        table(
          "my table",
          {
            "order id": integer().primaryKey(),
            Straße: text().notNull(),
            'say "hi"': text(),
            ...(extra ? { "added at": text().defaultSql("datetime('now')") } : {}),
          },
          { indexes: [index('idx "q"').on('say "hi"', "Straße")] },
        );
      const child = table("Kind-Tabelle", { id: integer().primaryKey(), "parent id": integer().references("my table", "order id", { onDelete: "cascade" }) });
      const history = new History();
      const before = history.step(modelOf([parent(false), child]));
      const after = history.step(modelOf([parent(true), child]));
      const seed = `INSERT INTO "my table" VALUES (1, 'ü', 'h"i'), (2, 'y', NULL);\nINSERT INTO "Kind-Tabelle" VALUES (1, 1), (2, 2), (3, NULL);\n`;
      const result = await applyWithRowsBetween(before, after, seed);

      const d1 = openReadonly(result.sqlitePath);
      expect(d1.prepare(`SELECT "order id", "Straße", "say ""hi""" FROM "my table" ORDER BY 1`).all()).toEqual([
        { "order id": 1, Straße: "ü", 'say "hi"': 'h"i' },
        { "order id": 2, Straße: "y", 'say "hi"': null },
      ]);
      expect(rowsOf(d1, "Kind-Tabelle")).toEqual([
        { id: 1, "parent id": 1 },
        { id: 2, "parent id": 2 },
        { id: 3, "parent id": null },
      ]);
      expect(d1.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      const expected = databaseFrom(before.database);
      applyLikeD1(expected, after.migration!.sql);
      expect(shapeOf(d1)).toEqual(shapeOf(expected));
      d1.close();
    },
    wranglerTimeout,
  );

  it(
    "applies a multi-step evolution, one wrangler run per migration, with rows written in between",
    async () => {
      const organizations = table("organizations", { id: text().primaryKey(), name: text().notNull() });
      const users = (columns: Record<string, ColumnBuilder>, options: TableOptions = {}, onDelete: "cascade" | "set null" = "cascade") =>
        table<Record<string, ColumnBuilder>>(
          "users",
          { id: integer().autoincrement(), organization_id: text().references("organizations", "id", { onDelete }), ...columns },
          options,
        );
      const steps = [
        [organizations, users({ email: text().notNull() })],
        [organizations, users({ email: text().notNull(), is_admin: boolean().notNull().default(false) }, { indexes: [index("idx_users_email").on("email")] })],
        [
          organizations,
          users(
            { login: text().notNull().renamedFrom("email"), is_admin: boolean().notNull().default(false) },
            { indexes: [index("idx_users_email").on("login")] },
          ),
        ],
        [
          table("organizations", { id: text().primaryKey(), name: text().notNull(), created_at: text().notNull().defaultSql("datetime('now')") }),
          users(
            { login: text().notNull().renamedFrom("email"), is_admin: boolean().notNull().default(false) },
            { indexes: [index("idx_users_email").on("login").unique()] },
            "set null",
          ),
        ],
      ];
      const writes = [
        "INSERT INTO organizations VALUES ('o1', 'Acme'); INSERT INTO users (organization_id, email) VALUES ('o1', 'a@acme'), ('o1', 'b@acme');",
        "INSERT INTO users (organization_id, email, is_admin) VALUES ('o1', 'c@acme', 1);",
        "DELETE FROM users WHERE login = 'c@acme'; INSERT INTO organizations VALUES ('o2', 'Globex'); INSERT INTO users (organization_id, login) VALUES ('o2', 'd@globex'), ('o2', 'e@globex'); DELETE FROM users WHERE login = 'e@globex';",
        "",
      ];
      const history = new History();
      const migrations = temporaryDir();
      const workDir = temporaryDir();
      const expected = openMemoryDatabase();
      let sqlitePath = "";
      for (const [number, tables] of steps.entries()) {
        const migration = history.step(modelOf(tables)).migration!;
        writeFileSync(path.join(migrations, migration.fileName), migration.sql);
        applyLikeD1(expected, migration.sql);
        if (writes[number]) {
          // Rows written by the application between migrations, through wrangler too.
          const name = `${formatMigrationNumber(migrationNumber(migration.fileName)!)}_zz_rows.sql`;
          writeFileSync(path.join(migrations, name), writes[number]);
          applyLikeD1(expected, writes[number]);
        }
        sqlitePath = (await applyWithWrangler(migrations, { workDir })).sqlitePath;
      }
      const d1 = openReadonly(sqlitePath);
      expect(rowsOf(d1, "users")).toEqual(rowsOf(expected, "users"));
      expect(rowsOf(d1, "users").map((row) => row.login)).toEqual(["a@acme", "b@acme", "d@globex"]);
      expect(rowsOf(d1, "organizations").map((row) => row.id)).toEqual(["o1", "o2"]);
      // The last migration rebuilt users (its foreign key changed). AUTOINCREMENT must still never reuse id 5,
      // which was deleted while 4 is the highest id left: the counter survives the rebuild.
      expect(history.migrations.at(-1)!.sql).toMatch(/Rebuild organizations, users/);
      expect(d1.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'users'").get()).toEqual({ seq: 5 });
      expect(shapeOf(d1)).toEqual(shapeOf(expected));
      d1.close();
    },
    wranglerTimeout,
  );

  it(
    "fails a NOT NULL tightening over a NULL as a whole, changing nothing, and applies it once the NULL is filled",
    async () => {
      const users = (nickname: ColumnBuilder) => table("users", { id: text().primaryKey(), nickname });
      const posts = table("posts", { id: integer().primaryKey(), user_id: text().references("users", "id", { onDelete: "cascade" }) });
      const history = new History();
      const before = history.step(modelOf([users(text()), posts]));
      const after = history.step(modelOf([users(text().notNull()), posts]));
      const migrations = temporaryDir();
      const workDir = temporaryDir();
      writeFileSync(path.join(migrations, before.migration!.fileName), before.migration!.sql);
      writeFileSync(
        path.join(migrations, "0001_zz_rows.sql"),
        "INSERT INTO users VALUES ('u1', 'ann'), ('u2', NULL);\nINSERT INTO posts VALUES (1, 'u1'), (2, 'u2');",
      );
      const tightening = after.migration!.fileName.replace(/^0002/, "0003");
      writeFileSync(path.join(migrations, tightening), after.migration!.sql);

      const failed = await applyWithWrangler(migrations, { workDir }).then(
        () => undefined,
        (error: Error & { result?: { sqlitePath: string; appliedNames: string[] } }) => error,
      );
      expect(failed?.message).toMatch(/NOT NULL constraint failed: users\.nickname/);
      expect(failed?.result?.appliedNames).toEqual([before.migration!.fileName, "0001_zz_rows.sql"]);
      const kept = openReadonly(failed!.result!.sqlitePath);
      expect(rowsOf(kept, "users")).toEqual([
        { id: "u1", nickname: "ann" },
        { id: "u2", nickname: null },
      ]);
      expect(rowsOf(kept, "posts")).toHaveLength(2);
      expect(kept.prepare("SELECT \"notnull\" FROM pragma_table_info('users') WHERE name = 'nickname'").pluck().get()).toBe(0);
      kept.close();

      // A data fix numbered before it fills the NULL; the same tightening then applies and keeps every row.
      writeFileSync(path.join(migrations, "0002_fill_nicknames.sql"), "UPDATE users SET nickname = 'unknown' WHERE nickname IS NULL;");
      const applied = await applyWithWrangler(migrations, { workDir });
      expect(applied.appliedNames).toEqual([before.migration!.fileName, "0001_zz_rows.sql", "0002_fill_nicknames.sql", tightening]);
      const d1 = openReadonly(applied.sqlitePath);
      expect(rowsOf(d1, "users")).toEqual([
        { id: "u1", nickname: "ann" },
        { id: "u2", nickname: "unknown" },
      ]);
      expect(rowsOf(d1, "posts")).toHaveLength(2);
      d1.close();
    },
    wranglerTimeout,
  );
});

function withoutClock(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ created_at: createdAt, ...row }) =>
    createdAt === undefined
      ? row
      : { ...row, created_at: typeof createdAt === "string" && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(createdAt) ? "(a datetime)" : createdAt },
  );
}

/**
 * Applies `before`'s migration, a hand-written file of rows, then `after`'s migration with wrangler on local D1: rows
 * arrive between the two migrations, as in production, and the file stands in for the app.
 */
async function applyWithRowsBetween(before: DatabaseGeneration, after: DatabaseGeneration, seed: string): ReturnType<typeof applyWithWrangler> {
  const migrations = temporaryDir();
  writeFileSync(path.join(migrations, before.migration!.fileName), before.migration!.sql);
  writeFileSync(path.join(migrations, "0001_zz_seed_rows.sql"), seed);
  const afterName = after.migration!.fileName.replace(/^0002/, "0003");
  writeFileSync(path.join(migrations, afterName), after.migration!.sql);
  const result = await applyWithWrangler(migrations);
  expect(result.appliedNames).toEqual([before.migration!.fileName, "0001_zz_seed_rows.sql", afterName]);
  return result;
}
