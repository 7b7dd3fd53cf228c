// Conversion goals (what counts as a conversion, and what it is worth) and the FlowBuilder model around them:
// relationships and branches between goals, goal groups, templates, value history and funnel statistics.
// conversion_configs, interaction_nodes/edges, funnel_metadata and acquisition_instances were dropped by 0081.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationRef, randomId, textId, updatedAt } from "../_shared/columns.js";

const goalRef = () => text().notNull().references("conversion_goals", "id", { onDelete: "cascade" });

export const conversionGoals = table(
  "conversion_goals",
  {
    // Core (0033/0054)
    id: randomId(),
    organization_id: organizationRef(),
    name: text().notNull(),
    type: text().notNull().default("conversion").check("type IN ('conversion', 'micro_conversion', 'engagement')"),
    trigger_config: json("Record<string, unknown>").notNull().default("{}").describe("What fires the goal (event name, URL pattern, ...)."),
    default_value_cents: integer().notNull().default(0),
    is_primary: boolean().notNull().default(false).describe("At most one primary goal per organization."),
    include_in_path: boolean().notNull().default(true),
    priority: integer().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
    // Added by later migrations
    slug: text().describe("Unique per organization when set."),
    description: text(),
    goal_type: text().notNull().default("tag_event").describe("tag_event, revenue_source, connector_event, ..."),
    revenue_sources: json("string[]").describe("Connectors whose revenue counts toward the goal."),
    filter_config: json("Record<string, unknown>"),
    value_type: text().notNull().default("from_source"),
    fixed_value_cents: integer(),
    display_order: integer().notNull().default(0),
    color: text(),
    icon: text(),
    is_active: boolean().notNull().default(true),
    avg_deal_value_cents: integer(),
    close_rate_percent: integer().check("close_rate_percent BETWEEN 0 AND 100"),
    category: text().notNull().default("micro_conversion"),
    value_method: text().notNull().default("explicit").describe("How the value is set: explicit, or computed from history (0055)."),
    auto_compute_value: boolean().notNull().default(false),
    computed_value_cents: integer(),
    computed_value_lower_cents: integer(),
    computed_value_upper_cents: integer(),
    value_computed_at: timestamp(),
    connector: text(),
    is_conversion: boolean().notNull().default(false),
    position_col: integer().notNull().default(0).describe("FlowBuilder grid column."),
    position_row: integer().describe("FlowBuilder grid row."),
    connector_event_type: text(),
    flow_tag: text().describe("The FlowBuilder flow the goal belongs to."),
    is_exclusive: boolean().notNull().default(false),
    parent_goal_ids: json("string[]").describe("conversion_goals ids upstream of this goal in the FlowBuilder."),
    source_table: text().describe("ANALYTICS_DB table whose rows complete the goal (0080)."),
    source_conditions: json("Record<string, unknown>").describe("Conditions on source_table rows (0080)."),
    source_dedup_expression: text(),
    step_requirement: text().notNull().default("auto").check("step_requirement IN ('required', 'optional', 'auto')"),
  },
  {
    description: "What counts as a conversion: each organization's goals, how they trigger and what they are worth.",
    createdIn: "0033/0054",
    indexes: [
      index("idx_conversion_goals_organization_id_is_active_display_order").on("organization_id", "is_active", "display_order"),
      index("idx_conversion_goals_organization_id_is_primary").on("organization_id", "is_primary"),
      index("idx_conversion_goals_organization_id_goal_type").on("organization_id", "goal_type"),
      uniqueIndex("idx_conversion_goals_organization_id_slug").on("organization_id", "slug").where("slug IS NOT NULL"),
      index("idx_conversion_goals_organization_id_flow_tag").on("organization_id", "flow_tag").where("flow_tag IS NOT NULL"),
    ],
  },
);

export const goalRelationships = table(
  "goal_relationships",
  {
    id: textId(),
    organization_id: organizationRef(),
    upstream_goal_id: goalRef(),
    downstream_goal_id: goalRef(),
    relationship_type: text().notNull().check("relationship_type IN ('funnel', 'correlated')"),
    relationship_operator: text().notNull().default("OR").describe("How several upstream goals combine: AND or OR."),
    funnel_position: integer(),
    flow_tag: text(),
    is_exclusive: boolean().notNull().default(false),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Directed links between goals (funnel steps or correlations) that the FlowBuilder draws.",
    createdIn: "0060",
    indexes: [
      uniqueIndex("idx_goal_relationships_organization_id_upstream_goal_id_downstream_goal_id").on("organization_id", "upstream_goal_id", "downstream_goal_id"),
      index("idx_goal_relationships_upstream_goal_id").on("upstream_goal_id"),
      index("idx_goal_relationships_downstream_goal_id").on("downstream_goal_id"),
    ],
  },
);

export const goalBranches = table(
  "goal_branches",
  {
    id: textId(),
    organization_id: organizationRef(),
    branch_goal_id: goalRef(),
    branch_type: text().notNull().check("branch_type IN ('split', 'join')"),
    flow_tags: json("string[]"),
    branch_conditions: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Funnel branching: goals where flows split into several paths or join again.",
    createdIn: "0072",
    indexes: [index("idx_goal_branches_organization_id").on("organization_id"), index("idx_goal_branches_branch_goal_id").on("branch_goal_id")],
  },
);

export const goalGroups = table(
  "goal_groups",
  {
    id: textId(),
    organization_id: organizationRef(),
    name: text().notNull(),
    description: text(),
    group_type: text().notNull().default("conversion"),
    is_default_attribution: boolean().notNull().default(false),
    total_weight: real().notNull().default(1.0),
    color: text(),
    icon: text(),
    display_order: integer().notNull().default(0),
    is_active: boolean().notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Named sets of goals counted together as one conversion (multi-conversion attribution).",
    createdIn: "0073",
    indexes: [
      index("idx_goal_groups_organization_id").on("organization_id"),
      index("idx_goal_groups_organization_id_is_default_attribution").on("organization_id").where("is_default_attribution = 1"),
    ],
  },
);

export const goalGroupMembers = table(
  "goal_group_members",
  {
    id: textId(),
    group_id: text().notNull().references("goal_groups", "id", { onDelete: "cascade" }),
    goal_id: goalRef(),
    weight: real().notNull().default(1.0),
    display_order: integer().notNull().default(0),
    inclusion_rules: json("Record<string, unknown>"),
    created_at: createdAt(),
  },
  {
    description: "The goals in each goal group, with their weight.",
    createdIn: "0073",
    indexes: [uniqueIndex("idx_goal_group_members_group_id_goal_id").on("group_id", "goal_id"), index("idx_goal_group_members_goal_id").on("goal_id")],
  },
);

export const goalTemplates = table(
  "goal_templates",
  {
    id: textId(),
    business_type: text().notNull().describe("ecommerce, lead_gen or saas."),
    name: text().notNull(),
    slug: text().notNull(),
    description: text(),
    category: text().notNull(),
    goal_type: text().notNull(),
    trigger_config: json("Record<string, unknown>"),
    default_value_cents: integer(),
    value_method: text().notNull().default("explicit"),
    suggested_funnel_position: integer(),
    icon: text(),
    color: text(),
    display_order: integer().notNull().default(0),
    is_recommended: boolean().notNull().default(false),
    created_at: createdAt(),
  },
  {
    description: "Suggested goals per business type that the FlowBuilder offers (seeded reference data).",
    createdIn: "0065",
    unique: [["business_type", "slug"]],
    indexes: [index("idx_goal_templates_business_type_display_order").on("business_type", "display_order")],
  },
);

export const goalValueHistory = table(
  "goal_value_history",
  {
    id: textId(),
    organization_id: organizationRef(),
    goal_id: goalRef(),
    value_method: text().notNull(),
    computed_value_cents: integer().notNull(),
    confidence_lower_cents: integer(),
    confidence_upper_cents: integer(),
    sample_size: integer(),
    computation_details: json("Record<string, unknown>"),
    computed_at: createdAt(),
  },
  {
    description: "History of computed goal values, with their confidence interval and sample size.",
    createdIn: "0055",
    indexes: [
      index("idx_goal_value_history_organization_id_goal_id_computed_at").on("organization_id", "goal_id", desc("computed_at")),
      index("idx_goal_value_history_goal_id").on("goal_id"),
    ],
  },
);

export const goalConversionStats = table(
  "goal_conversion_stats",
  {
    id: textId(),
    organization_id: organizationRef(),
    upstream_goal_id: goalRef(),
    downstream_goal_id: goalRef(),
    period_type: text().notNull().check("period_type IN ('daily', 'weekly', 'monthly', 'all_time')"),
    period_start: text().notNull().describe("YYYY-MM-DD."),
    period_end: text().notNull().describe("YYYY-MM-DD."),
    upstream_count: integer().notNull().default(0),
    downstream_count: integer().notNull().default(0),
    converted_count: integer().notNull().default(0),
    conversion_rate: real(),
    avg_time_to_convert_hours: real(),
    median_time_to_convert_hours: real(),
    prior_alpha: real().notNull().default(1.0).describe("Beta prior of the conversion rate."),
    prior_beta: real().notNull().default(1.0),
    computed_at: createdAt(),
  },
  {
    description: "Conversion rates between pairs of goals per period, for funnel analysis.",
    createdIn: "0060",
    indexes: [
      uniqueIndex("idx_goal_conversion_stats_organization_id_upstream_goal_id_downstream_goal_id_period_type_period_start").on(
        "organization_id",
        "upstream_goal_id",
        "downstream_goal_id",
        "period_type",
        "period_start",
      ),
      index("idx_goal_conversion_stats_upstream_goal_id").on("upstream_goal_id"),
      index("idx_goal_conversion_stats_downstream_goal_id").on("downstream_goal_id"),
    ],
  },
);
