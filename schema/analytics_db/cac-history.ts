// cac_history: the canonical, ACTIVE copy (audit §3 "Cross-Database Anomaly"). Created here by 0039, which moved it
// from AI_DB (whose copy 0008 drops); goal columns as AI_DB's 0006 had them; 0043 (cac_history_per_source) added one
// column, per_source. The audit names it and its migration, nothing more: a "per-source breakdown" of a row's
// conversions and revenue held in one column is a JSON object keyed by source, so it is TEXT holding JSON here (an
// assumption, stated in its description). 0043 added it with ALTER TABLE, so it comes after created_at.
import { desc, index, integer, json, table, text } from "d1-schema-kit";
import { createdAt, organizationId, randomId } from "../_shared/columns.js";

export const cacHistory = table(
  "cac_history",
  {
    id: randomId(),
    organization_id: organizationId(),
    date: text().notNull().describe("Day, YYYY-MM-DD."),
    spend_cents: integer().notNull().default(0),
    conversions: integer().notNull().default(0),
    revenue_cents: integer().notNull().default(0),
    cac_cents: integer().notNull().default(0).describe("spend_cents / conversions."),
    conversions_goal: integer().default(0).describe("Conversions counted against the org's conversion goals."),
    conversions_platform: integer().default(0).describe("Conversions the ad platforms reported."),
    conversion_source: text().default("platform").describe("Which count cac_cents uses: 'platform', 'goal', 'connector', ..."),
    goal_ids: json("string[]").describe("conversion_goals.id values in DB that were counted."),
    revenue_goal_cents: integer().default(0),
    created_at: createdAt(),
    per_source: json("Record<string, { conversions: number; revenue_cents: number }>").describe(
      "Per-source breakdown (added by 0043): conversions and revenue by source. JSON is our reading of the audit, which gives only the name.",
    ),
  },
  {
    description: "Daily CAC records (canonical copy; migrated from AI_DB, whose copy is deprecated and dropped).",
    createdIn: "0039",
    unique: [["organization_id", "date"]],
    indexes: [index("idx_cac_history_org_date").on("organization_id", desc("date"))],
  },
);
