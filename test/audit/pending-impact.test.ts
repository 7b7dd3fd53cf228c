// What the audit says a pending migration means for deployed code, from what `status` finds it does: a file that
// only moves rows (no schema change) must read as harmless, not as a change to the schema code reads.
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

/** A project whose production database applied 0001 and has the other files pending. */
async function productionBehind(pending: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-pending-impact-"));
  temporaryDirs.push(root);
  const folder = path.join(root, "migrations/app_db");
  await mkdir(folder, { recursive: true });
  await writeFile(
    path.join(root, "wrangler.toml"),
    '[[d1_databases]]\nbinding = "APP_DB"\ndatabase_name = "app"\ndatabase_id = "00000000-0000-4000-8000-000000000000"\nmigrations_dir = "migrations/app_db"\n',
  );
  const files = { "0001_create_teams.sql": "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n", ...pending };
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(folder, name), sql);
  await writeFile(path.join(root, "production.json"), JSON.stringify(["0001_create_teams.sql"]));
  return root;
}

async function auditOf(root: string) {
  const status = await runStatus(projectPaths(root), { local: false, remoteStatus: [`APP_DB=${path.join(root, "production.json")}`] });
  return buildAudit({ databases: [], status });
}

describe("the impact of a pending migration", () => {
  it("is none for a migration that changes no schema (rows only)", async () => {
    const report = await auditOf(await productionBehind({ "0002_backfill_teams.sql": "UPDATE teams SET name = trim(name);\n" }));
    expect(renderAuditMarkdown(report)).toContain("| APP_DB | production | `0002_backfill_teams.sql` | no schema change | none: no schema change |");
    expect(report.findings.find((finding) => finding.message === "Production APP_DB is 1 migration behind")).toMatchObject({
      severity: "LOW",
      detail: "0002_backfill_teams.sql: no schema change (none: no schema change)",
    });
  });

  it("names what each kind of effect means, one migration a kind", async () => {
    const report = await auditOf(
      await productionBehind({
        "0002_add_slug.sql": "ALTER TABLE teams ADD COLUMN slug TEXT;\n",
        "0003_drop_slug.sql": "ALTER TABLE teams DROP COLUMN slug;\n",
        "0004_rebuild_teams.sql":
          "CREATE TABLE teams_new (id TEXT PRIMARY KEY, name TEXT);\nINSERT INTO teams_new SELECT id, name FROM teams;\nDROP TABLE teams;\nALTER TABLE teams_new RENAME TO teams;\n",
        "0005_broken.sql": "ALTER TABLE nowhere ADD COLUMN x TEXT;\n",
        "0006_after_broken.sql": "CREATE TABLE later (id TEXT PRIMARY KEY);\n",
      }),
    );
    const rows = renderAuditMarkdown(report)
      .split("\n")
      .filter((line) => line.startsWith("| APP_DB | production |"));
    expect(rows).toEqual([
      "| APP_DB | production | `0002_add_slug.sql` | adds column teams.slug | code that uses what it creates fails with 'no such table/column' until it is applied |",
      "| APP_DB | production | `0003_drop_slug.sql` | drops column teams.slug | low: removes what the schema no longer has |",
      "| APP_DB | production | `0004_rebuild_teams.sql` | changes table teams | changes the schema that deployed code reads |",
      "| APP_DB | production | `0005_broken.sql` | fails on a replay of the applied migrations: no such table: nowhere | fails: wrangler would stop at this file |",
      "| APP_DB | production | `0006_after_broken.sql` | not replayed: an earlier pending migration fails | changes the schema that deployed code reads |",
    ]);
  });
});
