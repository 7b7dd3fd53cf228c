// A column declared anywhere is one ALTER TABLE ADD COLUMN; the stored order is the built one, the types show the
// declared one, and `generate --reorder-columns` rebuilds a table into the declared order, keeping its rows. Run
// as a user runs the CLI, on a temporary project, with the migrations applied the D1 way to a database with rows.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyLikeD1, openMemoryDatabase } from "../helpers/evolve.js";
import { appDbProject, runCli } from "../helpers/cli.js";

async function project(): Promise<{ root: string; write: (columns: string) => Promise<void> }> {
  const { root, writeTables } = await appDbProject("column-order");
  const write = (columns: string) =>
    writeTables(
      `export const teams = table("teams", { id: integer().primaryKey(), ${columns} });\n` +
        `export const members = table("members", { id: integer().primaryKey(), team_id: integer().references("teams", "id", { onDelete: "cascade" }) });\n`,
    );
  return { root, write };
}

async function migrations(root: string): Promise<{ name: string; sql: string }[]> {
  const folder = path.join(root, "migrations/app_db");
  const names = (await readdir(folder)).filter((name) => name.endsWith(".sql")).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(path.join(folder, name), "utf8") })));
}

describe("generate and column order", () => {
  it("adds a mid-table column with one ALTER, reorders only when asked, and keeps every row and link", async () => {
    const { root, write } = await project();
    await write("name: text().notNull(), plan: text()");
    expect((await runCli(root, ["generate"])).code).toBe(0);

    await write("name: text().notNull(), nickname: text(), plan: text()");
    const added = await runCli(root, ["generate"]);
    expect(added.code).toBe(0);
    const [, second] = await migrations(root);
    expect(second.sql).toMatch(/ALTER TABLE teams\nADD COLUMN nickname TEXT;/);
    expect(second.sql).not.toMatch(/CREATE TABLE|INSERT INTO/);
    const types = await readFile(path.join(root, "generated/app_db.ts"), "utf8");
    expect(types).toMatch(/export interface TeamsRow \{\n {2}id: number;\n {2}name: string;\n {2}nickname: string \| null;\n {2}plan: string \| null;\n\}/);
    expect((await runCli(root, ["check"])).code).toBe(0);
    expect((await runCli(root, ["generate"])).stdout.trim()).toBe("no changes");

    // Declared order moved again: no migration, only the types change.
    await write("nickname: text(), name: text().notNull(), plan: text()");
    const moved = await runCli(root, ["generate"]);
    expect(moved.stdout).toMatch(/no schema change/);
    expect(await migrations(root)).toHaveLength(2);
    expect(await runCli(root, ["check"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^check passed/) as unknown });

    // A name that is no table: a named error, nothing written.
    const wrong = await runCli(root, ["generate", "--reorder-columns", "APP_DB.nope"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/APP_DB\.nope: is named by --reorder-columns but is no table of the schema/);
    expect(await migrations(root)).toHaveLength(2);

    const reordered = await runCli(root, ["generate", "--reorder-columns", "teams"]);
    expect(reordered.code).toBe(0);
    const all = await migrations(root);
    expect(all).toHaveLength(3);
    expect(all[2].sql).toMatch(/-- Rebuild teams/);
    expect((await runCli(root, ["check"])).code).toBe(0);
    expect((await runCli(root, ["generate"])).stdout.trim()).toBe("no changes");

    // The D1 way, with rows: every team and every member's link survives both migrations.
    const db = openMemoryDatabase();
    applyLikeD1(db, all[0].sql);
    db.exec("INSERT INTO teams (id, name, plan) VALUES (1, 'a', 'pro'), (2, 'b', NULL); INSERT INTO members VALUES (10, 1), (11, 2)");
    applyLikeD1(db, all[1].sql);
    expect(db.prepare("SELECT name FROM pragma_table_info('teams') ORDER BY cid").pluck().all()).toEqual(["id", "name", "plan", "nickname"]);
    applyLikeD1(db, all[2].sql);
    expect(db.prepare("SELECT name FROM pragma_table_info('teams') ORDER BY cid").pluck().all()).toEqual(["id", "nickname", "name", "plan"]);
    expect(db.prepare("SELECT * FROM teams ORDER BY id").raw().all()).toEqual([
      [1, null, "a", "pro"],
      [2, null, "b", null],
    ]);
    expect(db.prepare("SELECT * FROM members ORDER BY id").raw().all()).toEqual([
      [10, 1],
      [11, 2],
    ]);
  }, 120_000);
});
