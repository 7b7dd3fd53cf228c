// The 16 legacy platform-specific ad tables (google_/facebook_/tiktok_), defined once for the databases that have
// them: the shards keep them (deprecated), and ANALYTICS_DB had them until 0047_drop_legacy_platform_tables.
// Every sync writes the unified tables (ad_campaigns, ad_groups, ads, ad_metrics) instead; these were never written
// to. No other table may reference them (none does), and they declare no foreign keys among themselves either:
// their *_ref columns were plain TEXT links, kept as they were. facebook_pages, the one legacy table ANALYTICS_DB
// keeps, lives in schema/analytics_db/facebook-pages.ts.
import { desc, index, integer, json, real, table, text, timestamp, uniqueIndex, type ColumnBuilder } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "./columns.js";

// ---------------------------------------------------------------------------------------------
// Google Ads
// ---------------------------------------------------------------------------------------------

export const googleCampaigns = table(
  "google_campaigns",
  {
    id: randomId(),
    organization_id: organizationId(),
    customer_id: text().notNull().describe("The Google Ads customer (account) id."),
    campaign_id: text().notNull(),
    campaign_name: text().notNull(),
    campaign_status: text().notNull(),
    campaign_type: text(),
    budget_amount_cents: integer(),
    budget_type: text(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Google Ads campaigns.",
    deprecated: "Never written to; replaced by ad_campaigns",
    indexes: [
      uniqueIndex("idx_google_campaigns_org_customer_campaign").on("organization_id", "customer_id", "campaign_id"),
      index("idx_google_campaigns_org_status").on("organization_id", "campaign_status"),
    ],
  },
);

export const googleAdGroups = table(
  "google_ad_groups",
  {
    id: randomId(),
    organization_id: organizationId(),
    campaign_ref: text().notNull().describe("google_campaigns.id (no foreign key)."),
    customer_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_group_id: text().notNull(),
    ad_group_name: text().notNull(),
    ad_group_status: text().notNull(),
    ad_group_type: text(),
    cpc_bid_cents: integer(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Google Ads ad groups.",
    deprecated: "Never written to; replaced by ad_groups",
    indexes: [
      uniqueIndex("idx_google_ad_groups_org_customer_ad_group").on("organization_id", "customer_id", "campaign_id", "ad_group_id"),
      index("idx_google_ad_groups_campaign_ref").on("campaign_ref"),
    ],
  },
);

export const googleAds = table(
  "google_ads",
  {
    id: randomId(),
    organization_id: organizationId(),
    ad_group_ref: text().notNull().describe("google_ad_groups.id (no foreign key)."),
    customer_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_group_id: text().notNull(),
    ad_id: text().notNull(),
    ad_name: text(),
    ad_status: text().notNull(),
    ad_type: text(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Google Ads ads.",
    deprecated: "Never written to; replaced by ads",
    indexes: [
      uniqueIndex("idx_google_ads_org_customer_ad").on("organization_id", "customer_id", "ad_group_id", "ad_id"),
      index("idx_google_ads_ad_group_ref").on("ad_group_ref"),
    ],
  },
);

// ---------------------------------------------------------------------------------------------
// Meta (Facebook) Ads
// ---------------------------------------------------------------------------------------------

export const facebookCampaigns = table(
  "facebook_campaigns",
  {
    id: randomId(),
    organization_id: organizationId(),
    account_id: text().notNull().describe("The Meta ad account id."),
    campaign_id: text().notNull(),
    campaign_name: text().notNull(),
    campaign_status: text().notNull(),
    objective: text(),
    daily_budget_cents: integer(),
    lifetime_budget_cents: integer(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Meta campaigns.",
    deprecated: "Never written to; replaced by ad_campaigns",
    indexes: [
      uniqueIndex("idx_facebook_campaigns_org_account_campaign").on("organization_id", "account_id", "campaign_id"),
      index("idx_facebook_campaigns_org_status").on("organization_id", "campaign_status"),
    ],
  },
);

export const facebookAdSets = table(
  "facebook_ad_sets",
  {
    id: randomId(),
    organization_id: organizationId(),
    campaign_ref: text().notNull().describe("facebook_campaigns.id (no foreign key)."),
    account_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_set_id: text().notNull(),
    ad_set_name: text().notNull(),
    ad_set_status: text().notNull(),
    optimization_goal: text(),
    billing_event: text(),
    daily_budget_cents: integer(),
    lifetime_budget_cents: integer(),
    bid_amount_cents: integer(),
    targeting: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Meta ad sets.",
    deprecated: "Never written to; replaced by ad_groups",
    indexes: [
      uniqueIndex("idx_facebook_ad_sets_org_account_ad_set").on("organization_id", "account_id", "campaign_id", "ad_set_id"),
      index("idx_facebook_ad_sets_campaign_ref").on("campaign_ref"),
    ],
  },
);

export const facebookAds = table(
  "facebook_ads",
  {
    id: randomId(),
    organization_id: organizationId(),
    ad_set_ref: text().notNull().describe("facebook_ad_sets.id (no foreign key)."),
    account_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_set_id: text().notNull(),
    ad_id: text().notNull(),
    ad_name: text(),
    ad_status: text().notNull(),
    creative_id: text(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy Meta ads.",
    deprecated: "Never written to; replaced by ads",
    indexes: [
      uniqueIndex("idx_facebook_ads_org_account_ad").on("organization_id", "account_id", "ad_set_id", "ad_id"),
      index("idx_facebook_ads_ad_set_ref").on("ad_set_ref"),
    ],
  },
);

// ---------------------------------------------------------------------------------------------
// TikTok Ads
// ---------------------------------------------------------------------------------------------

export const tiktokCampaigns = table(
  "tiktok_campaigns",
  {
    id: randomId(),
    organization_id: organizationId(),
    advertiser_id: text().notNull().describe("The TikTok advertiser (account) id."),
    campaign_id: text().notNull(),
    campaign_name: text().notNull(),
    campaign_status: text().notNull(),
    objective: text(),
    budget_mode: text(),
    budget_cents: integer(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy TikTok campaigns.",
    deprecated: "Never written to; replaced by ad_campaigns",
    indexes: [
      uniqueIndex("idx_tiktok_campaigns_org_advertiser_campaign").on("organization_id", "advertiser_id", "campaign_id"),
      index("idx_tiktok_campaigns_org_status").on("organization_id", "campaign_status"),
    ],
  },
);

export const tiktokAdGroups = table(
  "tiktok_ad_groups",
  {
    id: randomId(),
    organization_id: organizationId(),
    campaign_ref: text().notNull().describe("tiktok_campaigns.id (no foreign key)."),
    advertiser_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_group_id: text().notNull(),
    ad_group_name: text().notNull(),
    ad_group_status: text().notNull(),
    optimization_goal: text(),
    bid_type: text(),
    bid_cents: integer(),
    budget_cents: integer(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy TikTok ad groups.",
    deprecated: "Never written to; replaced by ad_groups",
    indexes: [
      uniqueIndex("idx_tiktok_ad_groups_org_advertiser_ad_group").on("organization_id", "advertiser_id", "campaign_id", "ad_group_id"),
      index("idx_tiktok_ad_groups_campaign_ref").on("campaign_ref"),
    ],
  },
);

export const tiktokAds = table(
  "tiktok_ads",
  {
    id: randomId(),
    organization_id: organizationId(),
    ad_group_ref: text().notNull().describe("tiktok_ad_groups.id (no foreign key)."),
    advertiser_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_group_id: text().notNull(),
    ad_id: text().notNull(),
    ad_name: text(),
    ad_status: text().notNull(),
    landing_page_url: text(),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Legacy TikTok ads.",
    deprecated: "Never written to; replaced by ads",
    indexes: [
      uniqueIndex("idx_tiktok_ads_org_advertiser_ad").on("organization_id", "advertiser_id", "ad_group_id", "ad_id"),
      index("idx_tiktok_ads_ad_group_ref").on("ad_group_ref"),
    ],
  },
);

// ---------------------------------------------------------------------------------------------
// Daily metrics: one shape for all seven, keyed by the entity's *_ref and the day
// ---------------------------------------------------------------------------------------------

/** A legacy daily metrics table: `ref` links to the entity row, `extra` holds the platform's own metrics. */
function legacyDailyMetrics(name: string, ref: { column: string; table: string }, description: string, extra: Record<string, ColumnBuilder>) {
  return table(
    name,
    {
      id: randomId(),
      organization_id: organizationId(),
      [ref.column]: text().notNull().describe(`${ref.table}.id (no foreign key).`),
      metric_date: text().notNull().describe("YYYY-MM-DD"),
      impressions: integer().notNull().default(0),
      clicks: integer().notNull().default(0),
      spend_cents: integer().notNull().default(0),
      conversions: integer().notNull().default(0),
      ...extra,
      ctr: real().notNull().default(0),
      cpc_cents: integer().notNull().default(0),
      cpm_cents: integer().notNull().default(0),
      created_at: createdAt(),
    },
    {
      description,
      deprecated: "Never written to; replaced by ad_metrics",
      indexes: [
        uniqueIndex(`idx_${name}_org_ref_date`).on("organization_id", ref.column, "metric_date"),
        index(`idx_${name}_ref_date`).on(ref.column, desc("metric_date")),
        index(`idx_${name}_org_date`).on("organization_id", desc("metric_date")),
      ],
    },
  );
}

const googleMetrics = { conversion_value_cents: integer().notNull().default(0) };
const facebookMetrics = { reach: integer().notNull().default(0), frequency: real().notNull().default(0) };

export const googleCampaignDailyMetrics = legacyDailyMetrics(
  "google_campaign_daily_metrics",
  { column: "campaign_ref", table: "google_campaigns" },
  "Legacy Google Ads daily metrics per campaign.",
  googleMetrics,
);

export const googleAdGroupDailyMetrics = legacyDailyMetrics(
  "google_ad_group_daily_metrics",
  { column: "ad_group_ref", table: "google_ad_groups" },
  "Legacy Google Ads daily metrics per ad group.",
  googleMetrics,
);

export const googleAdDailyMetrics = legacyDailyMetrics(
  "google_ad_daily_metrics",
  { column: "ad_ref", table: "google_ads" },
  "Legacy Google Ads daily metrics per ad.",
  googleMetrics,
);

export const facebookCampaignDailyMetrics = legacyDailyMetrics(
  "facebook_campaign_daily_metrics",
  { column: "campaign_ref", table: "facebook_campaigns" },
  "Legacy Meta daily metrics per campaign.",
  facebookMetrics,
);

export const facebookAdSetDailyMetrics = legacyDailyMetrics(
  "facebook_ad_set_daily_metrics",
  { column: "ad_set_ref", table: "facebook_ad_sets" },
  "Legacy Meta daily metrics per ad set.",
  facebookMetrics,
);

export const facebookAdDailyMetrics = legacyDailyMetrics(
  "facebook_ad_daily_metrics",
  { column: "ad_ref", table: "facebook_ads" },
  "Legacy Meta daily metrics per ad.",
  facebookMetrics,
);

export const tiktokCampaignDailyMetrics = legacyDailyMetrics(
  "tiktok_campaign_daily_metrics",
  { column: "campaign_ref", table: "tiktok_campaigns" },
  "Legacy TikTok daily metrics per campaign.",
  { reach: integer().notNull().default(0), video_views: integer().notNull().default(0) },
);
