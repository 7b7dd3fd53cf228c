// What status and the audit say a pending migration does to views, triggers and FTS5 tables: created, dropped or
// changed, not "no schema change" (their SQL is schema like a table's).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderAuditMarkdown } from "../../generator/audit/render-markdown.js";
import { buildAudit } from "../../generator/audit/report.js";
import { runStatus } from "../../generator/commands/status.js";
import { projectPaths } from "../../generator/io/paths.js";

const temporaryDirs: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("a pending migration of views, triggers and virtual tables", () => {
  it("is said to create, drop or change them", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-pending-objects-"));
    temporaryDirs.push(root);
    const folder = path.join(root, "migrations/app_db");
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(root, "wrangler.toml"),
      '[[d1_databases]]\nbinding = "APP_DB"\ndatabase_name = "app"\ndatabase_id = "00000000-0000-4000-8000-000000000000"\nmigrations_dir = "migrations/app_db"\n',
    );
    const files = {
      "0001_create_teams.sql": "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL);\nCREATE VIEW team_names AS SELECT name FROM teams;\n",
      "0002_objects.sql": [
        "CREATE TRIGGER teams_touch AFTER UPDATE ON teams BEGIN SELECT 1; END;",
        "CREATE VIRTUAL TABLE teams_fts USING fts5(name);",
        "DROP VIEW team_names;",
        "CREATE VIEW team_names AS SELECT id, name FROM teams;",
        "",
      ].join("\n"),
      "0003_drop_trigger.sql": "DROP TRIGGER teams_touch;\n",
    };
    for (const [name, sql] of Object.entries(files)) await writeFile(path.join(folder, name), sql);
    await writeFile(path.join(root, "production.json"), JSON.stringify(["0001_create_teams.sql"]));
    const status = await runStatus(projectPaths(root), { local: false, remoteStatus: [`APP_DB=${path.join(root, "production.json")}`] });
    const rows = renderAuditMarkdown(buildAudit({ databases: [], status }))
      .split("\n")
      .filter((line) => line.startsWith("| APP_DB | production |"));
    expect(rows).toEqual([
      "| APP_DB | production | `0002_objects.sql` | changes view team_names; creates trigger teams_touch; creates virtual table teams_fts | code that uses what it creates fails with 'no such table/column' until it is applied |",
      "| APP_DB | production | `0003_drop_trigger.sql` | drops trigger teams_touch | low: removes what the schema no longer has |",
    ]);
  });
});
