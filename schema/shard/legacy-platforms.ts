// Shard migration 0001_platform_tables: the legacy per-platform google_/facebook_/tiktok_ ad tables, the same 16 that
// ANALYTICS_DB's 0047 drops (defined once in schema/_shared/legacy-platform-tables.ts). Deprecated: every writer uses
// the unified tables of shard 0003 (ad-platforms.ts). facebook_pages is not a shard table.
import type { TableDefinition } from "d1-schema-kit";
import {
  facebookAdDailyMetrics as analyticsFacebookAdDailyMetrics,
  facebookAds as analyticsFacebookAds,
  facebookAdSetDailyMetrics as analyticsFacebookAdSetDailyMetrics,
  facebookAdSets as analyticsFacebookAdSets,
  facebookCampaignDailyMetrics as analyticsFacebookCampaignDailyMetrics,
  facebookCampaigns as analyticsFacebookCampaigns,
  googleAdDailyMetrics as analyticsGoogleAdDailyMetrics,
  googleAdGroupDailyMetrics as analyticsGoogleAdGroupDailyMetrics,
  googleAdGroups as analyticsGoogleAdGroups,
  googleAds as analyticsGoogleAds,
  googleCampaignDailyMetrics as analyticsGoogleCampaignDailyMetrics,
  googleCampaigns as analyticsGoogleCampaigns,
  tiktokAdGroups as analyticsTiktokAdGroups,
  tiktokAds as analyticsTiktokAds,
  tiktokCampaignDailyMetrics as analyticsTiktokCampaignDailyMetrics,
  tiktokCampaigns as analyticsTiktokCampaigns,
} from "../_shared/legacy-platform-tables.js";

/** The analytics definition with the shard's metadata: created by shard 0001, deprecated in favour of `replacement`. */
const legacy = (definition: TableDefinition, replacement: "ad_campaigns" | "ad_groups" | "ads" | "ad_metrics"): TableDefinition =>
  definition.with({
    createdIn: "0001",
    deprecated: `Legacy shard 0001 table, never written to; replaced by ${replacement} (shard 0003). ANALYTICS_DB drops its copy in 0047.`,
  });

export const googleCampaigns = legacy(analyticsGoogleCampaigns, "ad_campaigns");
export const googleAdGroups = legacy(analyticsGoogleAdGroups, "ad_groups");
export const googleAds = legacy(analyticsGoogleAds, "ads");
export const googleCampaignDailyMetrics = legacy(analyticsGoogleCampaignDailyMetrics, "ad_metrics");
export const googleAdGroupDailyMetrics = legacy(analyticsGoogleAdGroupDailyMetrics, "ad_metrics");
export const googleAdDailyMetrics = legacy(analyticsGoogleAdDailyMetrics, "ad_metrics");

export const facebookCampaigns = legacy(analyticsFacebookCampaigns, "ad_campaigns");
export const facebookAdSets = legacy(analyticsFacebookAdSets, "ad_groups");
export const facebookAds = legacy(analyticsFacebookAds, "ads");
export const facebookCampaignDailyMetrics = legacy(analyticsFacebookCampaignDailyMetrics, "ad_metrics");
export const facebookAdSetDailyMetrics = legacy(analyticsFacebookAdSetDailyMetrics, "ad_metrics");
export const facebookAdDailyMetrics = legacy(analyticsFacebookAdDailyMetrics, "ad_metrics");

export const tiktokCampaigns = legacy(analyticsTiktokCampaigns, "ad_campaigns");
export const tiktokAdGroups = legacy(analyticsTiktokAdGroups, "ad_groups");
export const tiktokAds = legacy(analyticsTiktokAds, "ads");
export const tiktokCampaignDailyMetrics = legacy(analyticsTiktokCampaignDailyMetrics, "ad_metrics");
