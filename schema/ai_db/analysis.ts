// AI_DB migration 0002: LLM analysis runs (jobs), their per-call logs, prompt templates and cached summaries.
//
// The rows of one run are linked by analysis_run_id (a run id the job records), not by analysis_jobs.id, so there
// is no foreign key between these tables: production has none, and logs and summaries are written per run.
import { desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

export const analysisJobs = table(
  "analysis_jobs",
  {
    id: randomId(),
    organization_id: organizationId(),
    days: integer().notNull().describe("Lookback window of the analysis, in days."),
    webhook_url: text().describe("Called when the job finishes."),
    status: text().notNull().default("pending").describe("pending, running, completed, failed or cancelled."),
    total_entities: integer(),
    processed_entities: integer().notNull().default(0),
    current_level: text().describe("Hierarchy level being analysed: ad, adset, campaign, account or cross_platform."),
    analysis_run_id: text().describe("The run whose analysis_logs and analysis_summaries this job produces."),
    error_message: text(),
    created_at: createdAt(),
    started_at: timestamp(),
    completed_at: timestamp(),
    stopped_reason: text(),
    termination_reason: text().describe("Why the agent loop ended early (max turns, budget, error...)."),
  },
  {
    description: "One hierarchical AI analysis run of an organization's ad accounts, with its progress and outcome.",
    createdIn: "0002",
    indexes: [
      index("idx_analysis_jobs_org_created_at").on("organization_id", desc("created_at")),
      index("idx_analysis_jobs_org_status").on("organization_id", "status"),
      index("idx_analysis_jobs_status_created_at").on("status", "created_at").where("status IN ('pending', 'running')"),
    ],
  },
);

export const analysisLogs = table(
  "analysis_logs",
  {
    id: randomId(),
    organization_id: organizationId(),
    level: text().notNull().describe("Hierarchy level of the analysed entity."),
    platform: text(),
    entity_id: text(),
    entity_name: text(),
    provider: text().notNull().describe("LLM provider: anthropic, openai, google..."),
    model: text().notNull().describe("LLM model id."),
    input_tokens: integer(),
    output_tokens: integer(),
    latency_ms: integer(),
    prompt: text(),
    response: text(),
    analysis_run_id: text(),
    created_at: createdAt(),
  },
  {
    description: "One LLM call of an analysis run: provider, model, token usage, latency, prompt and response (cost and debugging).",
    createdIn: "0002",
    indexes: [
      index("idx_analysis_logs_org_created_at").on("organization_id", desc("created_at")),
      index("idx_analysis_logs_org_level_entity_id").on("organization_id", "level", "entity_id"),
      index("idx_analysis_logs_analysis_run_id").on("analysis_run_id").where("analysis_run_id IS NOT NULL"),
    ],
  },
);

export const analysisPrompts = table(
  "analysis_prompts",
  {
    id: randomId(),
    slug: text().notNull().unique().describe("Stable name the code loads the prompt by."),
    level: text().notNull().describe("Hierarchy level the prompt analyses."),
    platform: text().describe("NULL: the prompt serves every platform."),
    template: text().notNull().describe("Prompt text with {placeholders}."),
    version: integer().notNull().default(1),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Prompt templates for each analysis level and platform, addressed by slug.",
    createdIn: "0002",
    indexes: [index("idx_analysis_prompts_level_platform").on("level", "platform")],
  },
);

export const analysisSummaries = table(
  "analysis_summaries",
  {
    id: randomId(),
    organization_id: organizationId(),
    level: text().notNull(),
    platform: text(),
    entity_id: text().notNull(),
    entity_name: text(),
    summary: text().notNull().describe("The LLM's summary of the entity's performance."),
    metrics_snapshot: json("Record<string, unknown>").default("{}").describe("The metrics the summary was written from."),
    days: integer().notNull(),
    analysis_run_id: text().notNull(),
    created_at: createdAt(),
    expires_at: timestamp().notNull().describe("The cached summary is stale after this time."),
  },
  {
    description: "Cached per-entity summaries an analysis run produced, rolled up level by level; expire after expires_at.",
    createdIn: "0002",
    indexes: [
      index("idx_analysis_summaries_org_level_entity_id_created_at").on("organization_id", "level", "entity_id", desc("created_at")),
      index("idx_analysis_summaries_org_analysis_run_id").on("organization_id", "analysis_run_id"),
      uniqueIndex("idx_analysis_summaries_org_level_platform_entity_id_analysis_run_id").on(
        "organization_id",
        "level",
        "platform",
        "entity_id",
        "analysis_run_id",
      ),
    ],
  },
);
