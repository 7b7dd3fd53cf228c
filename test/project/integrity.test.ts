// migrations.sum makes history tamper-evident: every way a folder can drift from what was generated is found,
// with a message that says how to fix it.
import { describe, expect, it } from "vitest";
import { integrityFindings } from "../../generator/project/integrity.js";
import { computeSum, hashContent, renderSum } from "../../generator/project/migration-sum.js";
import { renderFinding } from "../../generator/model/finding.js";
import { parseMigrationFileName } from "../../generator/project/migration-files.js";

const file = (fileName: string, sql: string) => ({ ...parseMigrationFileName(fileName)!, sql });
const history = [file("0001_create_users.sql", "CREATE TABLE users (id TEXT);\n"), file("0002_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n")];
const sum = computeSum(history);
/** The findings as check prints them. */
const findingLines = (...args: Parameters<typeof integrityFindings>) => integrityFindings(...args).map(renderFinding);

describe("integrityFindings", () => {
  it("finds nothing in a folder that matches its sum", () => {
    expect(findingLines("db", history, sum)).toEqual([]);
  });

  it("finds an edited migration", () => {
    const edited = [history[0], { ...history[1], sql: "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\n" }];
    expect(findingLines("db", edited, sum)).toEqual([
      "migrations/db/0002_add_email.sql was edited after it was generated: databases that applied it will not see the edit; restore it from git and put the change in the schema",
    ]);
  });

  it("finds a removed migration", () => {
    expect(findingLines("db", [history[0]], sum)).toEqual([
      "migrations/db/0002_add_email.sql was removed: databases that applied it keep its changes; restore it from git",
    ]);
  });

  it("finds a renamed migration, which wrangler would apply again", () => {
    const renamed = [history[0], { ...history[1], name: "add_user_email", fileName: "0002_add_user_email.sql" }];
    expect(findingLines("db", renamed, sum)).toEqual([
      "migrations/db/0002_add_email.sql was renamed to 0002_add_user_email.sql: wrangler knows migrations by name and would apply it again; rename it back",
    ]);
  });

  it("finds two migrations with the same number, as when two branches both added one", () => {
    const merged = [
      ...history,
      file("0003_create_teams.sql", "CREATE TABLE teams (id TEXT);\n"),
      file("0003_create_projects.sql", "CREATE TABLE projects (id TEXT);\n"),
    ];
    const findings = findingLines("db", merged, computeSum(merged.slice(0, 3)));
    expect(findings[0]).toBe(
      "migrations/db/0003_create_teams.sql and migrations/db/0003_create_projects.sql share the number 0003 (two branches merged?): keep the one that was applied, delete the other, and run generate again to renumber its change",
    );
    expect(findings[1]).toMatch(/0003_create_projects\.sql is numbered below an existing migration/);
  });

  it("finds a new file numbered below an existing one, which wrangler would apply out of order", () => {
    const withGap = [history[0], file("0005_add_email.sql", history[1].sql)];
    const late = [...withGap, file("0003_backfill.sql", "UPDATE users SET id = id;\n")];
    expect(findingLines("db", late, computeSum(withGap))).toEqual([
      "migrations/db/0003_backfill.sql is numbered below an existing migration: wrangler applies it late and out of order on databases that are ahead; give it the next number",
    ]);
  });

  it("finds a hand-written migration that generate did not record", () => {
    const extra = [...history, file("0003_fix.sql", "UPDATE users SET id = id;\n")];
    expect(findingLines("db", extra, sum)).toEqual([
      "migrations/db/0003_fix.sql is not in migrations.sum (written by hand?): let generate write migrations, or run `d1-schema hash` to accept it",
    ]);
  });

  it("asks for a sum when a folder has migrations but none", () => {
    expect(findingLines("db", history, undefined)).toEqual(["migrations/db/ has no migrations.sum: run `d1-schema hash` once to record the files as they are"]);
  });

  it("renders a stable sum: the folder hash first, then a line per file", () => {
    const text = renderSum(sum);
    expect(text.split("\n")[1]).toBe(`0001_create_users.sql ${hashContent(history[0].sql)}`);
    expect(renderSum(computeSum(history))).toBe(text);
    expect(computeSum([...history].reverse()).folderHash).not.toBe(sum.folderHash);
  });
});
