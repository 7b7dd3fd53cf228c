// The pre-aggregation tables (audit §4, and §5: the shards' 0002_pre_aggregation_tables). The shard schema reuses
// these definitions with `.with({ createdIn, ... })`, so they stay self-contained: no foreign keys (a shard holds
// none of the tables they could reference) and ids the aggregation worker supplies (textId, as in production).
import { index, integer, real, table, text, timestamp } from "d1-schema-kit";
import { createdAt, organizationId, textId, updatedAt } from "../_shared/columns.js";

const day = (what: string) => text().notNull().describe(`${what}, YYYY-MM-DD.`);
const total = () => integer().notNull().default(0);
const metric = () => integer().default(0);
const ratio = () => real().default(0);

export const aggregationJobs = table(
  "aggregation_jobs",
  {
    id: textId(),
    organization_id: organizationId(),
    job_type: text().notNull().describe("'daily_summary', 'campaign_summary', 'platform_comparison', 'timeseries'."),
    last_run_at: timestamp(),
    last_success_at: timestamp(),
    last_error: text(),
    rows_processed: metric(),
    duration_ms: metric(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Pre-aggregation job tracking: when each aggregation last ran for an organization.",
    unique: [["organization_id", "job_type"]],
    indexes: [index("idx_aggregation_jobs_org").on("organization_id"), index("idx_aggregation_jobs_last_run").on("last_run_at")],
  },
);

export const orgDailySummary = table(
  "org_daily_summary",
  {
    id: textId(),
    organization_id: organizationId(),
    platform: text().notNull().describe("'google', 'facebook', 'tiktok', 'stripe'."),
    metric_date: day("Day"),
    total_spend_cents: total(),
    total_impressions: total(),
    total_clicks: total(),
    total_conversions: real().notNull().default(0).describe("Platform-reported; fractional under data-driven attribution."),
    total_conversion_value_cents: total(),
    active_campaigns: total(),
    active_ad_groups: total(),
    active_ads: total(),
    ctr: ratio().describe("clicks / impressions."),
    cpc_cents: metric(),
    cpm_cents: metric(),
    roas: ratio().describe("conversion value / spend."),
    cpa_cents: metric(),
    total_revenue_cents: metric().describe("Only for platform 'stripe'."),
    total_charges: metric().describe("Only for platform 'stripe'."),
    total_refunds_cents: metric().describe("Only for platform 'stripe'."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Per-org daily rollup: one row per organization, platform and day for the dashboard overview.",
    unique: [["organization_id", "platform", "metric_date"]],
    indexes: [
      index("idx_org_daily_summary_org").on("organization_id"),
      index("idx_org_daily_summary_org_date").on("organization_id", "metric_date"),
      index("idx_org_daily_summary_platform").on("organization_id", "platform", "metric_date"),
    ],
  },
);

export const campaignPeriodSummary = table(
  "campaign_period_summary",
  {
    id: textId(),
    organization_id: organizationId(),
    platform: text().notNull().describe("'google', 'facebook', 'tiktok'."),
    campaign_id: text().notNull().describe("The platform's campaign id."),
    campaign_ref: text().describe("ad_campaigns.id (no foreign key: the shards share this table without ad_campaigns' rows)."),
    campaign_name: text().notNull(),
    campaign_status: text().notNull(),
    period_type: text().notNull().describe("'7d', '30d', '90d'."),
    period_start: day("First day of the period"),
    period_end: day("Last day of the period"),
    total_spend_cents: total(),
    total_impressions: total(),
    total_clicks: total(),
    total_conversions: real().notNull().default(0),
    total_conversion_value_cents: total(),
    ctr: ratio(),
    cpc_cents: metric(),
    cpm_cents: metric(),
    roas: ratio(),
    cpa_cents: metric(),
    prev_spend_cents: metric().describe("Spend in the previous period of the same length."),
    prev_conversions: ratio(),
    spend_change_pct: ratio(),
    conversions_change_pct: ratio(),
    budget_cents: metric(),
    budget_utilization_pct: ratio(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Campaign period aggregation: rolling 7/30/90-day totals per campaign for campaign lists.",
    unique: [["organization_id", "platform", "campaign_id", "period_type"]],
    indexes: [
      index("idx_campaign_period_org").on("organization_id"),
      index("idx_campaign_period_platform").on("organization_id", "platform"),
      index("idx_campaign_period_type").on("organization_id", "platform", "period_type"),
    ],
  },
);

/** One group of columns per platform, as production has them (a platform is a column family, not a row). */
export const platformComparison = table(
  "platform_comparison",
  {
    id: textId(),
    organization_id: organizationId(),
    comparison_date: day("Last day of the compared period"),
    period_days: integer().notNull().default(30).describe("7, 30 or 90."),
    google_spend_cents: metric(),
    google_impressions: metric(),
    google_clicks: metric(),
    google_conversions: ratio(),
    google_conversion_value_cents: metric(),
    google_roas: ratio(),
    google_ctr: ratio(),
    google_cpc_cents: metric(),
    facebook_spend_cents: metric(),
    facebook_impressions: metric(),
    facebook_clicks: metric(),
    facebook_conversions: ratio(),
    facebook_conversion_value_cents: metric(),
    facebook_roas: ratio(),
    facebook_ctr: ratio(),
    facebook_cpc_cents: metric(),
    tiktok_spend_cents: metric(),
    tiktok_impressions: metric(),
    tiktok_clicks: metric(),
    tiktok_conversions: ratio(),
    tiktok_conversion_value_cents: metric(),
    tiktok_roas: ratio(),
    tiktok_ctr: ratio(),
    tiktok_cpc_cents: metric(),
    stripe_revenue_cents: metric(),
    stripe_charges: metric().describe("Number of Stripe charges."),
    stripe_avg_order_value_cents: metric(),
    total_spend_cents: metric(),
    total_impressions: metric(),
    total_clicks: metric(),
    total_conversions: ratio(),
    total_conversion_value_cents: metric(),
    blended_roas: ratio(),
    blended_ctr: ratio(),
    blended_cpc_cents: metric(),
    spend_change_pct: ratio(),
    conversions_change_pct: ratio(),
    revenue_change_pct: ratio(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Cross-platform comparison: per-platform and blended totals for a period, for the comparison tab.",
    unique: [["organization_id", "comparison_date", "period_days"]],
    indexes: [
      index("idx_platform_comparison_org").on("organization_id"),
      index("idx_platform_comparison_date").on("organization_id", "comparison_date"),
      index("idx_platform_comparison_period").on("organization_id", "period_days", "comparison_date"),
    ],
  },
);

export const orgTimeseries = table(
  "org_timeseries",
  {
    id: textId(),
    organization_id: organizationId(),
    metric_date: day("Day"),
    total_spend_cents: metric(),
    total_impressions: metric(),
    total_clicks: metric(),
    total_conversions: ratio(),
    total_revenue_cents: metric().describe("From Stripe."),
    blended_roas: ratio(),
    blended_ctr: ratio(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Timeseries for org dashboards: one row per organization and day across all platforms.",
    unique: [["organization_id", "metric_date"]],
    indexes: [index("idx_org_timeseries_org_date").on("organization_id", "metric_date")],
  },
);
