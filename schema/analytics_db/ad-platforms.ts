// Ad Platforms (migration 0019): ClearLift's unified ad tables, one table per entity across Google, Meta and
// TikTok (and any later ad connector), told apart by `platform`. They replaced the per-platform google_/facebook_/
// tiktok_ tables that 0047 drops. The shards (SHARD_0-3, their 0003) reuse these definitions.
import { desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const shipped = "Shipped — written by the Google, Meta and TikTok syncs.";

export const adCampaigns = table(
  "ad_campaigns",
  {
    id: randomId(),
    organization_id: organizationId(),
    platform: text().notNull().describe("google, facebook, tiktok, ..."),
    account_id: text().notNull().describe("The ad account on the platform (Google customer id, Meta act_ id, TikTok advertiser id)."),
    external_id: text().notNull().describe("The campaign id on the platform."),
    name: text().notNull(),
    status: text().notNull().describe("Normalized: active, paused, removed, ..."),
    objective: text(),
    budget_cents: integer(),
    budget_type: text().describe("daily or lifetime."),
    start_date: text().describe("YYYY-MM-DD"),
    end_date: text().describe("YYYY-MM-DD"),
    platform_fields: json("Record<string, unknown>").describe("Platform-specific fields that have no unified column."),
    raw_data: json("unknown").describe("The platform's API response, for debugging."),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Ad Platforms (unified): one row per ad campaign on any ad platform. ${shipped}`,
    createdIn: "0019",
    indexes: [
      uniqueIndex("idx_ad_campaigns_org_platform_external_id").on("organization_id", "platform", "external_id"),
      index("idx_ad_campaigns_org_platform_account").on("organization_id", "platform", "account_id"),
      index("idx_ad_campaigns_org_status").on("organization_id", "status"),
    ],
  },
);

export const adGroups = table(
  "ad_groups",
  {
    id: randomId(),
    organization_id: organizationId(),
    platform: text().notNull(),
    account_id: text().notNull(),
    campaign_id: text().notNull().references("ad_campaigns", "id", { onDelete: "cascade" }).describe("The campaign's ad_campaigns.id."),
    external_id: text().notNull().describe("The ad group (Meta: ad set) id on the platform."),
    name: text().notNull(),
    status: text().notNull(),
    bid_amount_cents: integer(),
    bid_type: text(),
    budget_cents: integer().describe("Meta ad sets and TikTok ad groups carry their own budget."),
    optimization_goal: text(),
    targeting: json("Record<string, unknown>"),
    platform_fields: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Ad Platforms (unified): ad groups (Google ad groups, Meta ad sets, TikTok ad groups) under ad_campaigns. ${shipped}`,
    createdIn: "0019",
    indexes: [
      uniqueIndex("idx_ad_groups_org_platform_external_id").on("organization_id", "platform", "external_id"),
      index("idx_ad_groups_campaign").on("campaign_id"),
      index("idx_ad_groups_org_status").on("organization_id", "status"),
    ],
  },
);

export const ads = table(
  "ads",
  {
    id: randomId(),
    organization_id: organizationId(),
    platform: text().notNull(),
    account_id: text().notNull(),
    ad_group_id: text().notNull().references("ad_groups", "id", { onDelete: "cascade" }).describe("The ad group's ad_groups.id."),
    external_id: text().notNull().describe("The ad id on the platform."),
    name: text(),
    status: text().notNull(),
    ad_type: text(),
    headline: text(),
    landing_url: text(),
    creative_id: text().describe("The creative id on the platform, when it has one."),
    platform_fields: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Ad Platforms (unified): individual ads under ad_groups. ${shipped}`,
    createdIn: "0019",
    indexes: [
      uniqueIndex("idx_ads_org_platform_external_id").on("organization_id", "platform", "external_id"),
      index("idx_ads_ad_group").on("ad_group_id"),
      index("idx_ads_org_status").on("organization_id", "status"),
    ],
  },
);

export const adMetrics = table(
  "ad_metrics",
  {
    id: randomId(),
    organization_id: organizationId(),
    platform: text().notNull(),
    entity_type: text().notNull().check("entity_type IN ('campaign', 'ad_group', 'ad')"),
    entity_id: text().notNull().describe("ad_campaigns.id, ad_groups.id or ads.id, as entity_type says (no foreign key: one column points at three tables)."),
    metric_date: text().notNull().describe("YYYY-MM-DD in the ad account's time zone."),
    impressions: integer().notNull().default(0),
    clicks: integer().notNull().default(0),
    spend_cents: integer().notNull().default(0),
    conversions: real().notNull().default(0).describe("As the platform reports them (Google reports fractions)."),
    conversion_value_cents: integer().notNull().default(0),
    reach: integer(),
    frequency: real(),
    video_views: integer(),
    ctr: real().notNull().default(0),
    cpc_cents: integer().notNull().default(0),
    cpm_cents: integer().notNull().default(0),
    extra_metrics: json("Record<string, number>").describe("Platform-specific metrics with no unified column."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Ad Platforms (unified): daily delivery and spend per campaign, ad group or ad. ${shipped}`,
    createdIn: "0019",
    indexes: [
      uniqueIndex("idx_ad_metrics_org_platform_entity_date").on("organization_id", "platform", "entity_type", "entity_id", "metric_date"),
      index("idx_ad_metrics_entity_date").on("entity_id", desc("metric_date")),
      index("idx_ad_metrics_org_date").on("organization_id", desc("metric_date")),
      index("idx_ad_metrics_org_platform_date").on("organization_id", "platform", desc("metric_date")),
      index("idx_ad_metrics_org_type_date").on("organization_id", "entity_type", desc("metric_date")),
    ],
  },
);
