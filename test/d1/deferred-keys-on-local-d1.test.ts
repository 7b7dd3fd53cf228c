// DEFERRABLE INITIALLY DEFERRED on wrangler's local D1 engine (issue 16): D1 runs a migration file as one transaction
// with foreign keys on, so a deferred key lets a file write a child before its parent, and still fails the whole file
// when a child is left without one. The immediate key, the default, fails at the child's INSERT. The tables are the
// ones generate writes for the schema language's `.references(…, { deferred: true })`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { integer, table, text } from "../../generator/dsl/index.js";
import { applyWithWrangler, type LocalD1Result } from "../helpers/local-d1.js";
import { migrationBetween, modelOf } from "../helpers/evolve.js";

const slow = 180_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const schema = (deferred: boolean) =>
  modelOf([
    table("teams", { id: text().primaryKey() }),
    table("members", { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { deferred }) }),
  ]);
const childFirst = "INSERT INTO members (id, team_id) VALUES (1, 't1');\nINSERT INTO teams (id) VALUES ('t1');\n";

/** A migrations folder of the schema's first migration and `second`, applied with wrangler; a failure is returned. */
async function applyOnLocalD1(deferred: boolean, second: string): Promise<{ result?: LocalD1Result; error?: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "d1-deferred-"));
  dirs.push(dir);
  const migrations = path.join(dir, "migrations");
  mkdirSync(migrations);
  writeFileSync(path.join(migrations, "0001_init.sql"), migrationBetween(undefined, schema(deferred)));
  writeFileSync(path.join(migrations, "0002_rows.sql"), second);
  try {
    return { result: await applyWithWrangler(migrations, { workDir: path.join(dir, "project") }) };
  } catch (error) {
    return { error: String(error), result: (error as Error & { result?: LocalD1Result }).result };
  }
}

const rowsOf = (result: LocalD1Result | undefined) => {
  const db = new Database(result!.sqlitePath, { readonly: true });
  try {
    return db.prepare("SELECT (SELECT count(*) FROM teams) AS teams, (SELECT count(*) FROM members) AS members").get();
  } finally {
    db.close();
  }
};

describe("a deferred foreign key on local D1", () => {
  it(
    "lets a migration file write a child before its parent; the immediate key refuses it; a child left without a parent fails the file",
    async () => {
      const deferred = await applyOnLocalD1(true, childFirst);
      expect(deferred.error).toBeUndefined();
      expect(deferred.result!.appliedNames).toEqual(["0001_init.sql", "0002_rows.sql"]);
      expect(rowsOf(deferred.result)).toEqual({ teams: 1, members: 1 });

      const immediate = await applyOnLocalD1(false, childFirst);
      expect(immediate.error).toMatch(/FOREIGN KEY constraint failed/);
      expect(immediate.result!.appliedNames).toEqual(["0001_init.sql"]);
      expect(rowsOf(immediate.result)).toEqual({ teams: 0, members: 0 });

      const orphan = await applyOnLocalD1(true, "INSERT INTO members (id, team_id) VALUES (1, 'nowhere');\n");
      expect(orphan.error).toMatch(/FOREIGN KEY constraint failed/);
      expect(orphan.result!.appliedNames).toEqual(["0001_init.sql"]);
      expect(rowsOf(orphan.result)).toEqual({ teams: 0, members: 0 });
    },
    slow,
  );
});
