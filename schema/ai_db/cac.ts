// AI_DB migration 0005: CAC model outputs. (Daily CAC history lives in ANALYTICS_DB.cac_history.)
import { integer, json, table, text, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId } from "../_shared/columns.js";

export const cacBaselines = table(
  "cac_baselines",
  {
    id: randomId(),
    organization_id: organizationId(),
    baseline_date: text().notNull().describe("YYYY-MM-DD."),
    actual_cac_cents: integer().notNull(),
    baseline_cac_cents: integer().notNull().describe("What CAC would have been without the AI's recommendations."),
    calculation_method: text().notNull().default("trend_extrapolation"),
    calculation_data: json("Record<string, unknown>").default("{}"),
    active_recommendations: json("string[]").default("[]").describe("ai_decisions ids in effect on that day."),
    created_at: createdAt(),
  },
  {
    description: "Daily counterfactual CAC baseline next to the actual CAC, to measure the AI's impact; one row per organization and day.",
    createdIn: "0005",
    indexes: [uniqueIndex("idx_cac_baselines_org_baseline_date").on("organization_id", "baseline_date")],
  },
);

export const cacPredictions = table(
  "cac_predictions",
  {
    id: randomId(),
    organization_id: organizationId(),
    prediction_date: text().notNull().describe("YYYY-MM-DD the prediction is for."),
    predicted_cac_cents: integer().notNull(),
    predicted_cac_lower_cents: integer(),
    predicted_cac_upper_cents: integer(),
    recommendation_ids: json("string[]").default("[]").describe("ai_decisions ids the prediction assumes are executed."),
    analysis_run_id: text(),
    assumptions: json("Record<string, unknown>").default("{}"),
    created_at: createdAt(),
  },
  {
    description: "Predicted CAC (with a confidence band) if the pending recommendations are executed; one row per organization and day.",
    createdIn: "0005",
    indexes: [uniqueIndex("idx_cac_predictions_org_prediction_date").on("organization_id", "prediction_date")],
  },
);
