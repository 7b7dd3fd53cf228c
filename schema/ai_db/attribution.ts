// AI_DB migration 0004: pre-computed Markov chain and Shapley value attribution.
import { index, integer, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, textId } from "../_shared/columns.js";

export const attributionModelResults = table(
  "attribution_model_results",
  {
    id: textId(),
    organization_id: organizationId(),
    model: text().notNull().describe("markov_chain or shapley_value."),
    channel: text().notNull(),
    attributed_credit: real().notNull().describe("The channel's normalized credit, 0 to 1."),
    removal_effect: real().describe("Markov chain only: how much the conversion rate drops without the channel."),
    shapley_value: real().describe("Shapley value only: the raw value before normalization."),
    computation_date: text().notNull().describe("YYYY-MM-DD the results were computed for."),
    conversion_count: integer().describe("Conversion paths used."),
    path_count: integer().describe("All paths used, converting or not."),
    expires_at: timestamp().notNull(),
    created_at: createdAt(),
  },
  {
    description:
      "Per-channel credit from the Markov chain and Shapley value models, computed by the attribution workflow and read by the attribution endpoint.",
    createdIn: "0004",
    indexes: [
      uniqueIndex("idx_attribution_model_results_org_model_channel_computation_date").on("organization_id", "model", "channel", "computation_date"),
      index("idx_attribution_model_results_expires_at").on("expires_at"),
    ],
  },
);
