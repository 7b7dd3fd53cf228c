// The audit of ClearLift's schema against the facts of their own hand-written audit (../shared/seeds/000_*.txt):
// table and index counts, the deduplication guards, the heaviest-indexed tables, what each later migration did,
// and, with production's saved status (AI_DB at 7/8, ANALYTICS_DB at 45/47), the drift and the duplicate
// `cac_history` that production still has before 0008.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditReport } from "../../generator/audit/report.js";
import { renderAuditMarkdown } from "../../generator/audit/render-markdown.js";
import { runAudit } from "../../generator/commands/audit.js";
import { projectPaths } from "../../generator/io/paths.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(repoRoot, "test/fixtures/status");

function database(report: AuditReport, name: string) {
  const found = report.databases.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in the report`);
  return found;
}

describe("the ClearLift audit from schema/ and migrations/", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = (await runAudit(projectPaths(repoRoot), { local: false, remoteStatus: [] })).report;
  });

  it("counts the tables and indexes of the seed's inventory", () => {
    const counts = Object.fromEntries(report.databases.map((entry) => [entry.name, [entry.tables, entry.indexes]]));
    // Seed: DB 56/117, AI_DB 10/17 (after 0008), ANALYTICS_DB 114/"~400" (403 listed); the shards' 25 tables.
    expect(counts).toMatchObject({ DB: [56, 117], AI_DB: [10, 17], ANALYTICS_DB: [114, 403], SHARD: [25, 65] });
    expect(report.inventory.filter((row) => row.database === "SHARD").map((row) => row.binding)).toEqual(["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"]);
  });

  it("lists the five deduplication guards and the heaviest-indexed tables", () => {
    const analytics = database(report, "ANALYTICS_DB");
    const guards = analytics.uniqueIndexes.map((entry) => `${entry.name} on ${entry.table}(${entry.columns})`);
    expect(guards).toEqual(
      expect.arrayContaining([
        "idx_conv_dedup_unique on conversions(organization_id, dedup_key)",
        "idx_conv_source_unique on conversions(organization_id, conversion_source, source_id)",
        "idx_ca_unique on conversion_attribution(organization_id, conversion_id, model, touchpoint_position)",
        "idx_goal_conversions_dedup on goal_conversions(organization_id, goal_id, source_event_id)",
        "idx_tracked_clicks_unique on tracked_clicks(organization_id, click_id, click_timestamp)",
      ]),
    );
    expect(analytics.heaviestIndexed.slice(0, 2)).toEqual([
      { table: "conversions", indexes: 18, unique: 2 },
      { table: "customer_identities", indexes: 15, unique: 0 },
    ]);
  });

  it("knows what each migration after the baselines did: dropped tables, added columns, numbering runs", () => {
    const ai = database(report, "AI_DB");
    expect(ai.numbering).toEqual([{ kind: "run", from: 7, to: 8, count: 2 }]);
    expect(ai.baseline).toBe("0007_production_baseline.sql");
    expect(ai.droppedTables).toEqual([{ table: "cac_history", by: "0008_drop_dead_cac_history.sql" }]);

    const analytics = database(report, "ANALYTICS_DB");
    expect(analytics.numbering).toEqual([{ kind: "run", from: 45, to: 47, count: 3 }]);
    expect(analytics.droppedTables).toHaveLength(16);
    expect(new Set(analytics.droppedTables.map((entry) => entry.by))).toEqual(new Set(["0047_drop_legacy_platform_tables.sql"]));
    expect(analytics.droppedTables.map((entry) => entry.table)).not.toContain("facebook_pages");
    // conversions gained handoff_observation_id in 0046: the most altered table, core columns apart.
    const conversions = analytics.widest[0];
    expect(conversions.table).toBe("conversions");
    expect(conversions.added).toEqual([{ column: "handoff_observation_id", by: "0046" }]);
    expect(conversions.alteredBy).toEqual(["0046"]);
    const created = Object.fromEntries(analytics.tableInventory.map((row) => [row.table, row.createdBy]));
    expect(created.handoff_patterns).toBe("0046");
    // What the baseline adopted is dated by the schema's createdIn where it says, else by the baseline.
    expect(created.conversions).toBe("before 0045 (baseline)");

    const db = database(report, "DB");
    expect(db.numbering).toEqual([{ kind: "run", from: 84, to: 84, count: 1 }]);
    const adminLogs = db.tableInventory.find((row) => row.table === "admin_impersonation_logs");
    expect(adminLogs).toMatchObject({ primaryKey: "id TEXT", references: ["users(id) x2"], file: "admin" });
  });

  it("finds no diverged ClearLift table in two databases: the shards share the analytics definitions", () => {
    const clearLift = report.crossDatabase;
    expect(clearLift.length).toBeGreaterThan(0);
    expect(clearLift.every((entry) => entry.identical && entry.copies.map((copy) => copy.database).join() === "ANALYTICS_DB,SHARD")).toBe(true);
  });
});

describe("the ClearLift audit with production's saved status", () => {
  let report: AuditReport;
  beforeAll(async () => {
    const remoteStatus = [`ANALYTICS_DB=${path.join(fixtures, "analytics_db-remote.json")}`, path.join(fixtures, "production.json")];
    report = (await runAudit(projectPaths(repoRoot), { local: false, remoteStatus })).report;
  });

  it("shows the drift: AI_DB 7/8 and ANALYTICS_DB 45/47, with what each pending migration does", () => {
    const rows = Object.fromEntries(report.inventory.map((row) => [row.binding, `${row.production ?? "—"} ${row.status}`]));
    expect(rows).toMatchObject({ AI_DB: "7/8 DRIFT", ANALYTICS_DB: "45/47 DRIFT", SHARD_0: "3/3 Synced" });
    expect(report.pending.filter((row) => row.where === "production").map((row) => `${row.binding} ${row.file}: ${row.effects.join("; ")}`)).toEqual([
      "AI_DB 0008_drop_dead_cac_history.sql: drops table cac_history",
      expect.stringMatching(
        /^ANALYTICS_DB 0046_handoff_patterns\.sql: creates tables handoff_observations, handoff_patterns; adds column conversions\.handoff_observation_id/,
      ),
      expect.stringMatching(/^ANALYTICS_DB 0047_drop_legacy_platform_tables\.sql: drops tables facebook_ad_daily_metrics, /),
      expect.stringMatching(/^DB /),
    ]);
  });

  it("ranks production missing 0046 as CRITICAL and finds the cac_history that production AI_DB still has", () => {
    const critical = report.findings.filter((finding) => finding.severity === "CRITICAL");
    expect(critical.map((finding) => finding.message)).toContain("Production ANALYTICS_DB is 2 migrations behind");
    expect(critical.find((finding) => finding.message.startsWith("Production ANALYTICS_DB"))?.fix).toMatch(
      /wrangler d1 migrations apply ANALYTICS_DB --remote/,
    );

    const cacHistory = report.crossDatabase.find((entry) => entry.table === "cac_history");
    expect(cacHistory?.copies.map((copy) => `${copy.database} ${copy.where}`)).toEqual(["AI_DB production", "ANALYTICS_DB schema"]);
    const finding = report.findings.find((candidate) => candidate.message.startsWith("`cac_history` exists in 2 databases"));
    expect(finding?.fix).toMatch(/keep ANALYTICS_DB\.cac_history; apply the pending migration that drops the other copy/);
    // AI_DB's drop is harmless to deployed code: LOW, as in the seed.
    expect(report.findings.find((candidate) => candidate.message === "Production AI_DB is 1 migration behind")?.severity).toBe("LOW");
  });

  it("renders the seed's sections in Markdown", () => {
    const markdown = renderAuditMarkdown(report);
    for (const heading of [
      "## 1. Database inventory",
      "### Pending migrations (drift)",
      "### Migration numbering",
      "### Dropped tables",
      "### Table inventory",
      "### Index coverage",
      "Cross-database tables",
      "Findings",
      "### CRITICAL",
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain("| **AI_DB** | `AI_DB` | 10 | 17 | — | 7/8 | **DRIFT** |");
    expect(markdown).toContain("- `idx_conv_dedup_unique` on `conversions(organization_id, dedup_key)`");
  });
});
