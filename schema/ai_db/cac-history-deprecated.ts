// The dead AI_DB copy of cac_history (created by 0005, goal columns added by 0006). ANALYTICS_DB.cac_history
// (0039) is the canonical table. Deleting this file is migration 0008_drop_dead_cac_history.
import { index, integer, json, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import { createdAt, organizationId, randomId } from "../_shared/columns.js";

export const cacHistory = table(
  "cac_history",
  {
    id: randomId(),
    organization_id: organizationId(),
    date: text().notNull().describe("YYYY-MM-DD."),
    spend_cents: integer().notNull().default(0),
    conversions: integer().notNull().default(0),
    revenue_cents: integer().notNull().default(0),
    cac_cents: integer().notNull().default(0),
    // Added by 0006: goal-linked conversions next to platform-reported ones.
    conversions_goal: integer().default(0).describe("Conversions verified by conversion goals."),
    conversions_platform: integer().default(0).describe("Conversions the ad platforms reported."),
    conversion_source: text().default("platform").describe("Which count cac_cents uses: platform or goal."),
    goal_ids: json("string[]").describe("conversion_goals ids (DB) counted in conversions_goal."),
    revenue_goal_cents: integer().default(0),
    created_at: createdAt(),
  },
  {
    description: "Daily spend, conversions and CAC per organization (the AI_DB copy).",
    deprecated: "Dead copy: ANALYTICS_DB.cac_history is canonical and no code reads this one; dropped by 0008.",
    createdIn: "0005/0006",
    indexes: [
      uniqueIndex("idx_cac_history_org_date").on("organization_id", "date"),
      index("idx_cac_history_date").on("date"),
    ],
  },
);
