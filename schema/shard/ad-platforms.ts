// Shard migration 0003_unified_ad_tables: the unified ad tables, "same schema as ANALYTICS_DB 0019" (defined once in
// schema/analytics_db/ad-platforms.ts), created on the shards by their 0003.
import {
  adCampaigns as analyticsAdCampaigns,
  adGroups as analyticsAdGroups,
  adMetrics as analyticsAdMetrics,
  ads as analyticsAds,
} from "../analytics_db/ad-platforms.js";

export const adCampaigns = analyticsAdCampaigns.with({ createdIn: "0003" });
export const adGroups = analyticsAdGroups.with({ createdIn: "0003" });
export const ads = analyticsAds.with({ createdIn: "0003" });
export const adMetrics = analyticsAdMetrics.with({ createdIn: "0003" });
