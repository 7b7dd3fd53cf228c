// Shard migration 0002_pre_aggregation_tables: the same pre-aggregation tables as ANALYTICS_DB (defined once in
// schema/analytics_db/pre-aggregation.ts), created on the shards by their 0002.
import {
  aggregationJobs as analyticsAggregationJobs,
  campaignPeriodSummary as analyticsCampaignPeriodSummary,
  orgDailySummary as analyticsOrgDailySummary,
  orgTimeseries as analyticsOrgTimeseries,
  platformComparison as analyticsPlatformComparison,
} from "../analytics_db/pre-aggregation.js";

export const orgDailySummary = analyticsOrgDailySummary.with({ createdIn: "0002" });
export const campaignPeriodSummary = analyticsCampaignPeriodSummary.with({ createdIn: "0002" });
export const platformComparison = analyticsPlatformComparison.with({ createdIn: "0002" });
export const orgTimeseries = analyticsOrgTimeseries.with({ createdIn: "0002" });
export const aggregationJobs = analyticsAggregationJobs.with({ createdIn: "0002" });
