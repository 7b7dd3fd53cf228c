// AI_DB migration 0001: the recommendation engine's decisions, per-organization settings and the tool catalogue.
import { boolean, desc, index, integer, json, real, table, text, timestamp } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

export const aiDecisions = table(
  "ai_decisions",
  {
    id: randomId(),
    organization_id: organizationId(),
    // WHAT: the action to take.
    tool: text().notNull().describe("Tool to run: set_budget, set_status, set_age_range, set_bid_strategy (ai_tool_registry.tool)."),
    platform: text().notNull().describe("Ad platform: facebook, google, tiktok."),
    entity_type: text().notNull().describe("campaign, ad_set, ad_group or ad."),
    entity_id: text().notNull().describe("The entity's id on the platform."),
    entity_name: text().notNull(),
    parameters: json("Record<string, unknown>").notNull().default("{}").describe('Tool arguments, e.g. { "amount_cents": 15000, "budget_type": "daily" }.'),
    current_state: json("Record<string, unknown>").default("{}").describe("The entity's state before execution, kept for undo."),
    // WHY: the reasoning.
    reason: text().notNull(),
    predicted_impact: real().describe("Predicted change in CAC in percent (-15.5 = a 15.5% reduction)."),
    confidence: text().notNull().default("medium").describe("low, medium or high."),
    supporting_data: json("Record<string, unknown>").default("{}").describe("The metrics that led to the decision."),
    // WHEN: lifecycle.
    status: text().notNull().default("pending").describe("pending, approved, rejected, executed, failed or expired."),
    expires_at: timestamp().notNull().describe("A pending decision expires at this time."),
    created_at: createdAt(),
    reviewed_at: timestamp(),
    reviewed_by: text().describe("users.id in DB of the reviewer (no foreign key across databases)."),
    executed_at: timestamp(),
    // OUTCOME: results and feedback.
    execution_result: json("Record<string, unknown>").describe("The platform API's answer when the tool ran."),
    error_message: text(),
    actual_impact: real().describe("Measured change in CAC in percent, after execution."),
    measured_at: timestamp(),
    // Simulation enforcement: a decision carries the simulation that justified it.
    simulation_data: json("Record<string, unknown>").describe("The simulation run before recommending the action."),
    simulation_confidence: text().describe("low, medium or high: how far the simulation can be trusted."),
  },
  {
    description: "One AI recommendation per row: what to change (tool, entity, parameters), why, its review lifecycle and measured outcome.",
    createdIn: "0001",
    indexes: [
      index("idx_ai_decisions_org_status_created_at").on("organization_id", "status", desc("created_at")),
      index("idx_ai_decisions_org_entity_type_entity_id").on("organization_id", "entity_type", "entity_id"),
      index("idx_ai_decisions_org_expires_at").on("organization_id", "expires_at").where("status = 'pending'"),
    ],
  },
);

export const aiOrgConfigs = table(
  "ai_org_configs",
  {
    organization_id: organizationId().primaryKey(),
    is_enabled: boolean().notNull().default(true).describe("The AI engine produces recommendations for this organization."),
    auto_execute: boolean().notNull().default(false).describe("Execute decisions without a human review (auto-pilot)."),
    min_confidence: text().notNull().default("medium").describe("Lowest decision confidence shown: low, medium or high."),
    decision_ttl_days: integer().notNull().default(7).describe("Days a pending decision stays open before it expires."),
    max_daily_decisions: integer().notNull().default(20),
    max_auto_budget_change_pct: integer().notNull().default(20).describe("Largest budget change, in percent, auto-execute may make."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Per-organization AI settings (co-pilot vs auto-pilot, thresholds); one row per organization.",
    createdIn: "0001",
  },
);

export const aiToolRegistry = table(
  "ai_tool_registry",
  {
    tool: text().notNull().describe("Tool name, e.g. set_budget."),
    platform: text().notNull().describe("facebook, google or tiktok."),
    entity_types: json("string[]").notNull().default("[]").describe('Entity types the tool applies to, e.g. ["campaign", "ad_set"].'),
    parameter_schema: json("Record<string, unknown>").notNull().default("{}").describe("JSON Schema of the tool's parameters."),
    constraints: json("Record<string, unknown>").notNull().default("{}").describe('Limits, e.g. { "max_change_percent": 50, "min_cents": 100 }.'),
    api_endpoint: text().describe("API route template that executes the tool, e.g. /v1/analytics/google/campaigns/{entity_id}/budget."),
    is_enabled: boolean().notNull().default(true),
  },
  {
    description: "The tools the AI may use, one row per (tool, platform), with their parameter schema and constraints.",
    createdIn: "0001",
    primaryKey: ["tool", "platform"],
  },
);
