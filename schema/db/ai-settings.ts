// The AI optimizer's settings per organization (co-pilot or auto-pilot, budgets, LLM choices).
import { boolean, index, integer, json, table, text, timestamp } from "d1-schema-kit";
import { createdAt, textId, updatedAt } from "../_shared/columns.js";

export const aiOptimizationSettings = table(
  "ai_optimization_settings",
  {
    org_id: textId().references("organizations", "id", { onDelete: "cascade" }),
    growth_strategy: text().notNull().default("balanced").check("growth_strategy IN ('lean', 'balanced', 'bold')"),
    budget_optimization: text().notNull().default("moderate").check("budget_optimization IN ('conservative', 'moderate', 'aggressive')"),
    ai_control: text().notNull().default("copilot").check("ai_control IN ('copilot', 'autopilot')"),
    daily_cap_cents: integer(),
    monthly_cap_cents: integer(),
    pause_threshold_percent: integer(),
    conversion_source: text().notNull().default("tag").check("conversion_source IN ('ad_platforms', 'tag', 'connectors')"),
    disabled_conversion_sources: json("string[]").notNull().default("[]"),
    business_type: text().notNull().default("lead_gen").check("business_type IN ('ecommerce', 'lead_gen', 'saas')"),
    custom_instructions: text().describe("Free-text instructions added to the optimizer's prompts."),
    llm_default_provider: text().notNull().default("auto"),
    llm_claude_model: text().notNull().default("haiku"),
    llm_gemini_model: text().notNull().default("flash"),
    llm_max_recommendations: integer().notNull().default(3),
    llm_enable_exploration: boolean().notNull().default(true),
    last_recommendation_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Co-pilot/auto-pilot settings per org: growth strategy, budget caps and the LLMs used.",
    createdIn: "0016",
    indexes: [index("idx_ai_optimization_settings_last_recommendation_at").on("last_recommendation_at", "budget_optimization")],
  },
);
