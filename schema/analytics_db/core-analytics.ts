// ANALYTICS_DB core analytics (audit §4 "Core Analytics Tables"), except the five pre-aggregation tables the
// shards share (pre-aggregation.ts) and cac_history (cac-history.ts).
//
// Rollup tables keep production's INTEGER PRIMARY KEY AUTOINCREMENT ids (serialId): rows are upserted through their
// UNIQUE natural key and the id is never exposed. Tag-side tables are keyed by org_tag (the tracking tag's short
// org identifier), the rest by organization_id; both live in DB, so neither has a foreign key here.
import { boolean, desc, index, integer, json, real, table, text, timestamp } from "d1-schema-kit";
import { createdAt, organizationId, randomId, serialId, textId, updatedAt } from "../_shared/columns.js";

const orgTag = () => text().notNull().describe("The tracking tag's short org identifier (org_tag_mappings.short_tag in DB; no foreign key across databases).");
const day = (what = "Calendar day") => text().notNull().describe(`${what}, YYYY-MM-DD.`);
const count = () => integer().default(0);
const cents = () => integer().default(0);
const computedAt = () => timestamp().defaultSql("datetime('now')").describe("When this row was last computed.");

/** Per-dimension breakdowns: { "<channel|device|page|...>": count }. */
const breakdown = () => json("Record<string, number>");

export const hourlyMetrics = table(
  "hourly_metrics",
  {
    id: serialId(),
    org_tag: orgTag(),
    hour: timestamp().notNull().describe("Start of the hour, ISO-8601 (e.g. 2025-01-14T15:00:00Z)."),
    total_events: count(),
    page_views: count(),
    clicks: count(),
    form_submits: count(),
    custom_events: count(),
    sessions: count(),
    users: count(),
    devices: count(),
    conversions: count(),
    revenue_cents: cents(),
    by_channel: breakdown(),
    by_device: breakdown(),
    by_page: breakdown().describe("Page views per page path (added by 0012)."),
    created_at: createdAt(),
  },
  {
    description: "Real-time event aggregation: one row per org tag per hour.",
    unique: [["org_tag", "hour"]],
    indexes: [index("idx_hm_org_hour").on("org_tag", desc("hour")), index("idx_hourly_metrics_by_page").on("org_tag", "hour").where("by_page IS NOT NULL")],
  },
);

export const dailyMetrics = table(
  "daily_metrics",
  {
    id: serialId(),
    org_tag: orgTag(),
    date: day(),
    total_events: count(),
    page_views: count(),
    clicks: count(),
    form_submits: count(),
    custom_events: count(),
    sessions: count(),
    users: count(),
    devices: count(),
    new_users: count(),
    returning_users: count(),
    conversions: count(),
    revenue_cents: cents(),
    conversion_rate: real().default(0),
    by_channel: breakdown(),
    by_device: breakdown(),
    by_geo: breakdown(),
    by_page: breakdown(),
    by_utm_source: breakdown(),
    by_utm_campaign: breakdown(),
    created_at: createdAt(),
  },
  {
    description: "Daily event aggregation: one row per org tag per day.",
    unique: [["org_tag", "date"]],
    indexes: [index("idx_dm_org_date").on("org_tag", desc("date"))],
  },
);

export const eventHourlySummary = table(
  "event_hourly_summary",
  {
    id: serialId(),
    organization_id: organizationId(),
    summary_hour: timestamp().notNull().describe("ISO timestamp truncated to the hour."),
    event_type: text().notNull().describe("'page_view', 'conversion', 'click', 'form_submit', 'identify', ..."),
    event_count: count(),
    unique_visitors: count(),
    created_at: createdAt(),
  },
  {
    description: "Event-level hourly rollup: one row per organization, hour and event type.",
    unique: [["organization_id", "summary_hour", "event_type"]],
    indexes: [
      index("idx_ehs_org_hour").on("organization_id", desc("summary_hour")),
      index("idx_ehs_org_type").on("organization_id", "event_type", desc("summary_hour")),
    ],
  },
);

export const eventDailySummary = table(
  "event_daily_summary",
  {
    id: serialId(),
    organization_id: organizationId(),
    org_tag: orgTag(),
    summary_date: day(),
    event_type: text().notNull().describe("'page_view', 'conversion', 'click', 'form_submit', 'identify', ..."),
    event_count: count(),
    unique_visitors: count().describe("Distinct anonymous_ids."),
    unique_sessions: count().describe("Distinct session_ids."),
    created_at: createdAt(),
  },
  {
    description: "Event-level daily rollup: one row per organization, day and event type.",
    unique: [["organization_id", "summary_date", "event_type"]],
    indexes: [
      index("idx_eds_org_date").on("organization_id", desc("summary_date")),
      index("idx_eds_org_tag").on("org_tag", desc("summary_date")),
      index("idx_eds_org_type").on("organization_id", "event_type", desc("summary_date")),
    ],
  },
);

export const utmPerformance = table(
  "utm_performance",
  {
    id: serialId(),
    org_tag: orgTag(),
    date: day(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    utm_term: text(),
    utm_content: text(),
    sessions: count(),
    users: count(),
    page_views: count(),
    conversions: count(),
    revenue_cents: cents(),
    conversion_rate: real().default(0),
    avg_session_duration_seconds: integer(),
    bounce_rate: real(),
    created_at: createdAt(),
  },
  {
    description: "Legacy UTM tracking per org tag and day (utm_daily_performance is the per-organization rollup).",
    unique: [["org_tag", "date", "utm_source", "utm_medium", "utm_campaign"]],
    indexes: [
      index("idx_utm_org_date").on("org_tag", desc("date")),
      index("idx_utm_org_source").on("org_tag", "utm_source"),
      index("idx_utm_org_campaign").on("org_tag", "utm_campaign"),
    ],
  },
);

export const utmDailyPerformance = table(
  "utm_daily_performance",
  {
    id: serialId(),
    organization_id: organizationId(),
    summary_date: day(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    utm_content: text(),
    utm_term: text(),
    clicks: count(),
    page_views: count(),
    unique_visitors: count(),
    unique_sessions: count(),
    bounce_count: count(),
    total_session_duration_seconds: count(),
    conversions: count(),
    conversion_value_cents: cents(),
    assisted_conversions: count().describe("Conversions where this UTM was on the path but not the last touch."),
    form_submissions: count(),
    video_plays: count(),
    scroll_depth_avg: real().describe("Average scroll depth, percent."),
    created_at: createdAt(),
  },
  {
    description: "Daily UTM metrics per organization; NULL UTM fields are coarser aggregation levels.",
    unique: [["organization_id", "summary_date", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"]],
    indexes: [
      index("idx_udp_org_date").on("organization_id", desc("summary_date")),
      index("idx_udp_source").on("organization_id", "utm_source"),
      index("idx_udp_campaign").on("organization_id", "utm_campaign"),
    ],
  },
);

export const attributionResults = table(
  "attribution_results",
  {
    id: serialId(),
    org_tag: orgTag(),
    model: text().notNull().describe("'first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'."),
    channel: text().notNull(),
    credit: real().notNull().describe("Share of the period's conversions credited to the channel, 0-1."),
    conversions: real().notNull().describe("Fractional conversions credited to the channel."),
    revenue_cents: integer().notNull(),
    removal_effect: real().describe("Markov removal effect, 0-1."),
    shapley_value: real(),
    period_start: day("First day of the period"),
    period_end: day("Last day of the period"),
    computed_at: computedAt(),
  },
  {
    description: "Simple attribution models: channel credit per org tag, model and period.",
    unique: [["org_tag", "model", "channel", "period_start"]],
    indexes: [index("idx_ar_org_model").on("org_tag", "model"), index("idx_ar_org_period").on("org_tag", "period_start")],
  },
);

export const channelTransitions = table(
  "channel_transitions",
  {
    id: serialId(),
    org_tag: orgTag(),
    from_channel: text().notNull().describe("Channel group of the earlier touch; '(start)' for journey entry."),
    to_channel: text().notNull().describe("Channel group of the next touch; '(conversion)' or '(null)' for the end states."),
    transition_count: integer().notNull().default(0),
    converting_count: integer().notNull().default(0),
    probability: real().notNull().default(0).describe("Markov transition probability, 0-1."),
    period_start: day("First day of the period"),
    period_end: day("Last day of the period"),
    computed_at: computedAt(),
  },
  {
    description: "Markov transition probabilities between channels, per org tag and period.",
    unique: [["org_tag", "from_channel", "to_channel", "period_start"]],
    indexes: [
      index("idx_ct_org").on("org_tag"),
      index("idx_ct_org_from_channel").on("org_tag", "from_channel"),
      index("idx_ct_org_to_channel").on("org_tag", "to_channel"),
      index("idx_ct_org_period").on("org_tag", "period_start"),
      index("idx_ct_org_period_from").on("org_tag", "period_start", "from_channel"),
    ],
  },
);

/**
 * Journeys are recomputed path summaries (the id is supplied by the journey builder). conversion_id has no foreign
 * key: it holds the conversion the tag observed, which need not be a conversions row yet, and journeys' seven
 * indexes (the audit's count) leave no room for the index such a key would need.
 */
export const journeys = table(
  "journeys",
  {
    id: textId(),
    org_tag: orgTag(),
    user_id_hash: text(),
    anonymous_id: text().notNull(),
    channel_path: json("string[]").notNull().describe("Channel groups in touch order."),
    path_length: integer().notNull(),
    first_touch_ts: timestamp().notNull(),
    last_touch_ts: timestamp().notNull(),
    converted: boolean().default(false),
    conversion_id: text().describe("The conversion this journey ended in (conversions.id when linked; no foreign key, see table)."),
    conversion_value_cents: cents(),
    conversion_goal_id: text().describe("conversion_goals.id in DB (no foreign key across databases)."),
    time_to_conversion_hours: real(),
    computed_at: computedAt(),
  },
  {
    description: "Customer journey records: one channel path per anonymous visitor.",
    indexes: [
      index("idx_j_org").on("org_tag"),
      index("idx_j_org_ts").on("org_tag", desc("first_touch_ts")),
      index("idx_j_org_converted").on("org_tag", "converted"),
      index("idx_j_org_converted_value").on("org_tag", "converted", desc("conversion_value_cents")),
      index("idx_j_org_anonymous_converted").on("org_tag", "anonymous_id", "converted"),
      index("idx_j_org_goal").on("org_tag", "conversion_goal_id"),
      index("idx_j_org_user").on("org_tag", "user_id_hash").where("user_id_hash IS NOT NULL"),
    ],
  },
);

/**
 * Touchpoints are raw per-visitor events keyed by organization_id; journeys are rebuilt per org tag from them, so
 * there is no journey_id to link (a foreign key would make every journey rebuild delete or block its touchpoints).
 */
export const journeyTouchpoints = table(
  "journey_touchpoints",
  {
    id: randomId(),
    organization_id: organizationId(),
    anonymous_id: text().notNull(),
    user_id: text().describe("Set once the visitor is identified."),
    session_id: text(),
    touchpoint_type: text().notNull().describe("'page_view', 'ad_click', 'email_click', 'form_submit', 'conversion'."),
    touchpoint_source: text().describe("'google', 'facebook', 'email', 'organic', 'direct', ..."),
    touchpoint_timestamp: timestamp().notNull(),
    campaign_id: text(),
    ad_id: text(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    page_url: text(),
    page_path: text(),
    page_title: text(),
    referrer_url: text(),
    conversion_id: text().describe("For touchpoint_type 'conversion': the tag's conversion id (no foreign key, see journeys)."),
    conversion_value_cents: integer(),
    touchpoint_number: integer().describe("Position in this visitor's journey, from 1."),
    is_first_touch: boolean().default(false),
    is_last_touch: boolean().default(false),
    created_at: createdAt(),
  },
  {
    description: "Individual touchpoints of a visitor's journey.",
    indexes: [
      index("idx_jt_org_date").on("organization_id", desc("touchpoint_timestamp")),
      index("idx_jt_anon").on("anonymous_id", "touchpoint_timestamp"),
      index("idx_jt_user").on("user_id", "touchpoint_timestamp"),
      index("idx_jt_session").on("session_id"),
      index("idx_jt_conv").on("conversion_id"),
    ],
  },
);

export const journeyAnalytics = table(
  "journey_analytics",
  {
    id: serialId(),
    org_tag: orgTag(),
    channel_distribution: json("Record<string, number>").notNull(),
    entry_channels: json("Record<string, number>").notNull(),
    exit_channels: json("Record<string, number>").notNull(),
    transition_matrix: json("Record<string, Record<string, number>>").notNull(),
    total_sessions: integer().notNull().default(0),
    converting_sessions: integer().notNull().default(0),
    conversion_rate: real().default(0),
    avg_path_length: real().default(0),
    common_paths: json("Array<Record<string, unknown>>").notNull().describe("Most frequent channel paths with their counts."),
    data_quality_level: integer().default(1),
    data_quality_report: json("Record<string, unknown>"),
    total_conversions: count(),
    matched_conversions: count(),
    match_breakdown: json("Record<string, number>").describe("Matched conversions per match method (reconciled by 0044)."),
    period_start: day("First day of the period"),
    period_end: day("Last day of the period"),
    computed_at: computedAt(),
    created_at: createdAt(),
  },
  {
    description: "Pre-computed journey statistics per org tag and period.",
    unique: [["org_tag", "period_start", "period_end"]],
    indexes: [
      index("idx_journey_analytics_org").on("org_tag"),
      index("idx_journey_analytics_period").on("org_tag", desc("period_start"), desc("period_end")),
      index("idx_journey_analytics_quality").on("org_tag", "data_quality_level"),
    ],
  },
);

export const funnelTransitions = table(
  "funnel_transitions",
  {
    id: serialId(),
    org_tag: orgTag(),
    from_type: text().notNull().describe("'page', 'goal', 'event', ..."),
    from_id: text().notNull(),
    from_name: text(),
    to_type: text().notNull(),
    to_id: text().notNull(),
    to_name: text(),
    visitors_at_from: integer().notNull().default(0),
    visitors_transitioned: integer().notNull().default(0),
    transition_rate: real().notNull().default(0),
    conversions: integer().notNull().default(0),
    conversion_rate: real().notNull().default(0),
    revenue_cents: integer().notNull().default(0),
    avg_time_to_transition_hours: real(),
    period_start: day("First day of the period"),
    period_end: day("Last day of the period"),
    computed_at: computedAt(),
  },
  {
    description: "Funnel step transitions: visitors moving from one step to the next, per org tag and period.",
    unique: [["org_tag", "from_type", "from_id", "to_type", "to_id", "period_start"]],
    indexes: [
      index("idx_ft_org").on("org_tag"),
      index("idx_ft_org_from").on("org_tag", "from_type", "from_id"),
      index("idx_ft_org_to").on("org_tag", "to_type", "to_id"),
      index("idx_ft_org_period").on("org_tag", "period_start"),
    ],
  },
);

export const domainClaims = table(
  "domain_claims",
  {
    id: randomId(),
    organization_id: organizationId(),
    org_tag: orgTag(),
    domain_pattern: text().notNull().describe("'example.com' or '*.example.com'."),
    is_active: boolean().default(true),
    claimed_at: timestamp().defaultSql("datetime('now')"),
    released_at: timestamp(),
    verified: boolean().default(false).describe("DNS verification passed."),
    verification_token: text().describe("TXT record value for DNS verification."),
  },
  {
    description: "Org domain ownership claims: which org tag events from a domain belong to.",
    unique: [["domain_pattern", "org_tag"]],
    indexes: [
      index("idx_dc_org").on("organization_id"),
      index("idx_dc_tag").on("org_tag"),
      index("idx_dc_domain").on("domain_pattern"),
      index("idx_dc_active").on("is_active", "org_tag"),
    ],
  },
);

export const connectorSyncStatus = table(
  "connector_sync_status",
  {
    id: serialId(),
    organization_id: organizationId(),
    connector_type: text().notNull().describe("'google_ads', 'facebook_ads', 'tiktok_ads', 'stripe', 'shopify', 'jobber', ..."),
    account_id: text().notNull().describe("The platform's account id."),
    last_sync_at: timestamp(),
    last_sync_status: text().describe("'success', 'failed', 'in_progress'."),
    records_synced: count(),
    error_message: text(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Sync status per connector account.",
    unique: [["organization_id", "connector_type", "account_id"]],
    indexes: [
      index("idx_css_org").on("organization_id"),
      index("idx_css_type").on("connector_type"),
      index("idx_css_status").on("last_sync_status", "last_sync_at"),
    ],
  },
);

/** The audit names no key columns; this is the shape the retention cron needs to report a run. */
export const cleanupLog = table(
  "cleanup_log",
  {
    id: serialId(),
    job_name: text().notNull().describe("The cleanup job, e.g. 'event_retention', 'handoff_observations_prune'."),
    table_name: text().describe("The table the job pruned; NULL for a job spanning several."),
    cutoff: timestamp().describe("Rows older than this were removed."),
    rows_deleted: integer().notNull().default(0),
    status: text().notNull().default("success").describe("'success', 'partial', 'failed'."),
    error_message: text(),
    duration_ms: integer(),
    started_at: timestamp(),
    completed_at: timestamp(),
    created_at: createdAt(),
  },
  {
    description: "Cleanup job records: one row per retention run.",
    indexes: [index("idx_cleanup_log_created").on(desc("created_at")), index("idx_cleanup_log_job").on("job_name", desc("created_at"))],
  },
);

export const syncWatermarks = table(
  "sync_watermarks",
  {
    id: serialId(),
    org_tag: orgTag(),
    sync_type: text().notNull().describe("What is synced, e.g. 'hourly_metrics', 'daily_metrics', 'journeys'."),
    last_synced_ts: timestamp().notNull().describe("Events up to this time are aggregated."),
    last_ingest_ts: timestamp(),
    records_synced: count(),
    status: text().default("success"),
    error_message: text(),
    updated_at: updatedAt(),
  },
  {
    description: "Sync progress tracking: the watermark of each sync type per org tag.",
    unique: [["org_tag", "sync_type"]],
    indexes: [index("idx_sw_org").on("org_tag"), index("idx_sw_status").on("status", "updated_at")],
  },
);
