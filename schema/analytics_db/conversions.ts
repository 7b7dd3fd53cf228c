// The conversion pipeline (audit §4 "Conversion Pipeline Tables" and §7's UNIQUE dedup guards).
//
// Foreign keys: the tables that hang off a conversion reference conversions(id). Per-conversion detail
// (conversion_attribution, conversion_value_allocations) goes with its conversion (CASCADE); rows that exist on
// their own and only record a match (goal_conversions, platform_conversion_claims, tracked_clicks,
// tracking_link_clicks) lose the link (SET NULL). Goals and tracking links live in DB: their ids have no foreign key.
//
// conversions.handoff_observation_id arrived with 0046 (handoff matching, handoff.ts), still pending in production.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, serialId, textId, updatedAt } from "../_shared/columns.js";

const orgTag = () => text().notNull().describe("The tracking tag's short org identifier (org_tag_mappings.short_tag in DB; no foreign key across databases).");
const day = (what = "Day") => text().notNull().describe(`${what}, YYYY-MM-DD.`);
const count = () => integer().default(0);
const cents = () => integer().default(0);
const goalId = () => text().notNull().describe("conversion_goals.id in DB (no foreign key across databases).");
const conversionLink = (what: string) =>
  text().references("conversions", "id", { onDelete: "set null" }).describe(`${what} (conversions.id; set to NULL when the conversion is deleted).`);

/**
 * Exactly 18 named indexes (audit §7), 2 of them UNIQUE. Production's squash also carries idx_conv_dedup,
 * idx_conv_source and idx_conv_platform; they are left out because each is covered by another index here
 * (idx_conv_dedup_unique, idx_conv_org_source_date, idx_conv_org_platform_date), which is what brings the count to
 * the audit's 18. The UNIQUE guards are partial (WHERE ... IS NOT NULL) as in production: SQLite never treats NULLs as
 * duplicates anyway, so rows without a dedup_key or source_id stay unconstrained and unindexed.
 */
export const conversions = table(
  "conversions",
  {
    id: randomId(),
    organization_id: organizationId(),
    conversion_source: text().notNull().describe("'stripe', 'shopify', 'jobber', 'tag', 'platform', ..."),
    source_id: text().describe("The record's id at its source: Stripe charge, Shopify order, Jobber job, ..."),
    source_platform: text().describe("For platform-reported conversions: 'google', 'facebook', 'tiktok'."),
    attributed_platform: text().describe("'google', 'facebook', 'tiktok', 'organic', 'direct', 'email', ..."),
    attributed_campaign_id: text(),
    attributed_ad_group_id: text(),
    attributed_ad_id: text(),
    attribution_model: text().describe("'first_touch', 'last_touch', 'linear', ..."),
    click_id: text().describe("gclid, fbclid, ttclid, ..."),
    click_id_type: text().describe("'gclid', 'fbclid', 'ttclid', 'custom'."),
    value_cents: integer().notNull().default(0),
    currency: text().default("USD"),
    customer_id: text().describe("The source platform's customer id."),
    customer_email_hash: text().describe("SHA-256 of the lower-cased email."),
    anonymous_id: text().describe("The tag's anonymous visitor id."),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    utm_content: text(),
    utm_term: text(),
    conversion_timestamp: timestamp().notNull(),
    click_timestamp: timestamp().describe("When the attributed click happened."),
    raw_data: json("Record<string, unknown>").describe("The source's original record."),
    created_at: createdAt(),
    updated_at: updatedAt(),
    dedup_key: text().describe("Cross-source dedup key; UNIQUE per organization (idx_conv_dedup_unique)."),
    linked_goal_id: text().describe("conversion_goals.id in DB this conversion was linked to (no foreign key across databases)."),
    link_confidence: real().default(1.0),
    link_method: text().describe("How the goal link was made: 'direct', 'email_hash', 'handoff', ..."),
    linked_at: timestamp(),
    goal_ids: json("string[]").describe("All conversion_goals.id values this conversion counts for."),
    goal_values: json("Record<string, number>").describe("Value in cents per goal id."),
    attribution_group_id: text().describe("Groups the conversions of one multi-goal event."),
    unified_event_type: text(),
    connector: text(),
    event_type: text(),
    refund_cents: integer().default(0),
    refund_status: text().default("none").describe("'none', 'partial', 'full'."),
    refunded_at: timestamp(),
    handoff_observation_id: text()
      .references("handoff_observations", "id", { onDelete: "set null" })
      .describe(
        "The handoff observation that resolved this conversion (added by 0046). Not indexed: conversions keeps exactly 18 named indexes (audit section 7).",
      ),
  },
  {
    description: "Unified conversion records from ALL sources.",
    indexes: [
      uniqueIndex("idx_conv_dedup_unique").on("organization_id", "dedup_key").where("dedup_key IS NOT NULL"),
      uniqueIndex("idx_conv_source_unique").on("organization_id", "conversion_source", "source_id").where("source_id IS NOT NULL"),
      index("idx_conv_org_date").on("organization_id", desc("conversion_timestamp")),
      index("idx_conv_org_source_date").on("organization_id", "conversion_source", desc("conversion_timestamp")),
      index("idx_conv_org_platform_date").on("organization_id", "attributed_platform", desc("conversion_timestamp")),
      index("idx_conv_org_campaign_date").on("organization_id", "attributed_campaign_id", desc("conversion_timestamp")),
      index("idx_conv_org_source_platform_date").on("organization_id", "conversion_source", "attributed_platform", desc("conversion_timestamp")),
      index("idx_conv_click_id").on("click_id"),
      index("idx_conv_email").on("organization_id", "customer_email_hash"),
      index("idx_conv_anon").on("organization_id", "anonymous_id"),
      index("idx_conv_connector").on("organization_id", "connector"),
      index("idx_conv_unified_type").on("organization_id", "unified_event_type"),
      index("idx_conv_refund_status").on("organization_id", "refund_status").where("refund_status != 'none'"),
      index("idx_conversions_attribution_group").on("organization_id", "attribution_group_id").where("attribution_group_id IS NOT NULL"),
      index("idx_conversions_goal_ids").on("organization_id").where("goal_ids IS NOT NULL"),
      index("idx_conversions_link_method").on("organization_id", "link_method").where("link_method IS NOT NULL"),
      index("idx_conversions_linked_goal").on("organization_id", "linked_goal_id").where("linked_goal_id IS NOT NULL"),
      index("idx_conversions_unlinked").on("organization_id", "conversion_source", "conversion_timestamp").where("linked_goal_id IS NULL"),
    ],
  },
);

export const conversionAttribution = table(
  "conversion_attribution",
  {
    id: randomId(),
    organization_id: organizationId(),
    conversion_id: text().notNull().references("conversions", "id", { onDelete: "cascade" }),
    model: text().notNull().describe("'first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', ..."),
    touchpoint_type: text().notNull().describe("'ad_click', 'organic_search', 'direct', 'email', 'referral'."),
    touchpoint_platform: text(),
    touchpoint_campaign_id: text(),
    touchpoint_ad_group_id: text(),
    touchpoint_ad_id: text(),
    touchpoint_timestamp: timestamp(),
    click_id: text(),
    click_id_type: text(),
    credit_percent: real().notNull().describe("0-100; the touchpoints of one conversion and model sum to 100."),
    credit_value_cents: integer().notNull().describe("This touchpoint's share of the conversion value."),
    touchpoint_position: integer().describe("1 = first touch, total_touchpoints = last."),
    total_touchpoints: integer(),
    created_at: createdAt(),
  },
  {
    description: "Multi-touch attribution touchpoints: credit per conversion, model and touchpoint.",
    indexes: [
      uniqueIndex("idx_ca_unique").on("organization_id", "conversion_id", "model", "touchpoint_position"),
      index("idx_ca_conv").on("conversion_id"),
      index("idx_ca_org_model").on("organization_id", "model"),
      index("idx_ca_platform").on("organization_id", "touchpoint_platform"),
      index("idx_ca_campaign").on("touchpoint_campaign_id"),
    ],
  },
);

export const conversionDailySummary = table(
  "conversion_daily_summary",
  {
    id: serialId(),
    organization_id: organizationId(),
    summary_date: day(),
    conversion_source: text().notNull(),
    attributed_platform: text().describe("NULL: all platforms."),
    conversion_count: count(),
    total_value_cents: cents(),
    unique_customers: count(),
    created_at: createdAt(),
  },
  {
    description: "Daily conversion rollup per organization, source and attributed platform.",
    unique: [["organization_id", "summary_date", "conversion_source", "attributed_platform"]],
    indexes: [
      index("idx_cds_org_date").on("organization_id", desc("summary_date")),
      index("idx_cds_org_source_date").on("organization_id", "conversion_source", desc("summary_date")),
    ],
  },
);

export const conversionValueAllocations = table(
  "conversion_value_allocations",
  {
    id: textId(),
    organization_id: organizationId(),
    conversion_id: text().notNull().references("conversions", "id", { onDelete: "cascade" }),
    goal_id: goalId(),
    allocated_value_cents: integer().notNull(),
    allocation_method: text().notNull().describe("'equal', 'weighted', 'priority', ..."),
    weight_used: real(),
    touchpoint_count: count(),
    created_at: createdAt(),
  },
  {
    description: "Multi-goal value distribution: how a conversion's value is split across goals.",
    indexes: [
      index("idx_cva_conversion").on("conversion_id"),
      index("idx_cva_goal").on("goal_id"),
      index("idx_cva_org_created").on("organization_id", "created_at"),
    ],
  },
);

export const goalConversions = table(
  "goal_conversions",
  {
    id: randomId(),
    organization_id: organizationId(),
    goal_id: goalId(),
    conversion_id: conversionLink("The unified conversion this goal completion was linked to"),
    conversion_source: text().notNull().describe("'platform', 'tag', 'connector'."),
    source_platform: text(),
    source_event_id: text().describe("The source's event id; with goal_id the dedup key (idx_goal_conversions_dedup)."),
    value_cents: cents(),
    currency: text().default("USD"),
    attribution_model: text(),
    attribution_data: json("Record<string, unknown>"),
    attributed_campaign_id: text(),
    attributed_ad_id: text(),
    conversion_timestamp: timestamp().notNull(),
    created_at: createdAt(),
    unified_event_type: text(),
    link_method: text(),
    link_confidence: real(),
  },
  {
    description: "Goal-to-conversion links: one row per goal completion.",
    indexes: [
      uniqueIndex("idx_goal_conversions_dedup").on("organization_id", "goal_id", "source_event_id"),
      index("idx_gc_goal").on("goal_id", desc("conversion_timestamp")),
      index("idx_gc_org_date").on("organization_id", desc("conversion_timestamp")),
      index("idx_gc_conv").on("conversion_id"),
      index("idx_goal_conv_unified_type").on("organization_id", "unified_event_type"),
    ],
  },
);

export const goalCompletionMetrics = table(
  "goal_completion_metrics",
  {
    id: serialId(),
    org_tag: orgTag(),
    goal_id: goalId(),
    date: day(),
    goal_name: text(),
    goal_type: text(),
    funnel_position: integer(),
    completions: integer().notNull().default(0),
    unique_visitors: integer().notNull().default(0),
    completion_value_cents: integer().notNull().default(0),
    downstream_conversions: integer().notNull().default(0),
    downstream_conversion_rate: real().notNull().default(0),
    downstream_revenue_cents: integer().notNull().default(0),
    by_channel: json("Record<string, number>"),
    by_utm_source: json("Record<string, number>"),
    by_device: json("Record<string, number>"),
    computed_at: timestamp().defaultSql("datetime('now')"),
  },
  {
    description: "Goal completion stats per org tag, goal and day.",
    unique: [["org_tag", "goal_id", "date"]],
    indexes: [
      index("idx_gcm_org_date").on("org_tag", desc("date")),
      index("idx_gcm_org_goal").on("org_tag", "goal_id"),
      index("idx_gcm_org_type").on("org_tag", "goal_type"),
    ],
  },
);

export const goalMetricsDaily = table(
  "goal_metrics_daily",
  {
    id: serialId(),
    organization_id: organizationId(),
    goal_id: goalId(),
    summary_date: day(),
    conversions: count(),
    conversion_value_cents: cents(),
    conversion_rate: real(),
    conversions_platform: count().describe("From ad platform APIs."),
    conversions_tag: count().describe("From the tracking tag."),
    conversions_connector: count().describe("From revenue connectors (Stripe, Shopify, Jobber, ...)."),
    value_platform_cents: cents(),
    value_tag_cents: cents(),
    value_connector_cents: cents(),
    created_at: createdAt(),
  },
  {
    description: "Daily goal metric rollup per organization and goal.",
    unique: [["organization_id", "goal_id", "summary_date"]],
    indexes: [index("idx_gmd_org_date").on("organization_id", desc("summary_date")), index("idx_gmd_goal").on("goal_id", desc("summary_date"))],
  },
);

export const platformConversionClaims = table(
  "platform_conversion_claims",
  {
    id: randomId(),
    organization_id: organizationId(),
    platform: text().notNull().describe("'google', 'facebook', 'tiktok', 'microsoft', 'linkedin'."),
    account_id: text().notNull(),
    campaign_id: text().notNull(),
    ad_group_id: text(),
    ad_id: text(),
    claim_date: day("Day the platform claims the conversion for"),
    conversion_action: text(),
    claimed_conversions: real().default(0).describe("Fractional under data-driven attribution."),
    claimed_value_cents: cents(),
    claimed_currency: text().default("USD"),
    click_id: text(),
    click_id_type: text(),
    matched_conversion_id: conversionLink("Our conversion this claim matched"),
    match_status: text().default("pending").describe("'matched', 'unmatched', 'partial', 'pending'."),
    match_confidence: real().describe("0-100."),
    match_method: text().describe("'click_id', 'email', 'timestamp', 'value'."),
    verified_conversions: count(),
    verified_value_cents: cents(),
    conversion_discrepancy: real().describe("claimed - verified."),
    value_discrepancy_cents: integer(),
    raw_claim_data: json("Record<string, unknown>"),
    synced_at: timestamp().defaultSql("datetime('now')"),
    created_at: createdAt(),
  },
  {
    description: "Platform-reported conversion claims, matched against our conversions.",
    indexes: [
      index("idx_pcc_org_date").on("organization_id", desc("claim_date")),
      index("idx_pcc_platform").on("organization_id", "platform"),
      index("idx_pcc_campaign").on("organization_id", "campaign_id"),
      index("idx_pcc_click").on("click_id"),
      index("idx_pcc_status").on("organization_id", "match_status"),
      index("idx_pcc_matched").on("matched_conversion_id"),
    ],
  },
);

export const reconciliationDailySummary = table(
  "reconciliation_daily_summary",
  {
    id: serialId(),
    organization_id: organizationId(),
    summary_date: day(),
    platform: text().notNull(),
    total_claims: count(),
    claimed_conversions: real().default(0),
    claimed_value_cents: cents(),
    matched_claims: count(),
    unmatched_claims: count(),
    partial_matches: count(),
    verified_conversions: count(),
    verified_value_cents: cents(),
    conversion_discrepancy: real().default(0),
    value_discrepancy_cents: cents(),
    discrepancy_rate: real().describe("|discrepancy| / claimed, percent."),
    claimed_roas: real(),
    actual_roas: real(),
    roas_inflation_percent: real(),
    ad_spend_cents: cents(),
    created_at: createdAt(),
  },
  {
    description: "Platform vs actual reconciliation per organization, day and platform.",
    unique: [["organization_id", "summary_date", "platform"]],
    indexes: [index("idx_rds_org_date").on("organization_id", desc("summary_date")), index("idx_rds_platform").on("organization_id", "platform")],
  },
);

export const trackedClicks = table(
  "tracked_clicks",
  {
    id: randomId(),
    organization_id: organizationId(),
    click_id: text().describe("gclid, fbclid, ttclid, ..."),
    click_id_type: text(),
    touchpoint_type: text().notNull().describe("'ad_click', 'organic_search', 'direct', 'email', 'referral', 'social'."),
    platform: text(),
    campaign_id: text(),
    ad_group_id: text(),
    ad_id: text(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    utm_content: text(),
    utm_term: text(),
    landing_url: text(),
    landing_path: text(),
    referrer_url: text(),
    referrer_domain: text(),
    anonymous_id: text(),
    session_id: text(),
    user_id: text(),
    device_type: text(),
    browser: text(),
    os: text(),
    country: text(),
    region: text(),
    click_timestamp: timestamp().notNull(),
    converted: boolean().default(false),
    conversion_id: conversionLink("The conversion this click led to"),
    created_at: createdAt(),
  },
  {
    description: "Click tracking for attribution: one row per ad click or touchpoint.",
    indexes: [
      uniqueIndex("idx_tracked_clicks_unique").on("organization_id", "click_id", "click_timestamp").where("click_id IS NOT NULL"),
      index("idx_tc_org_date").on("organization_id", desc("click_timestamp")),
      index("idx_tc_click_id").on("click_id"),
      index("idx_tc_anon").on("anonymous_id"),
      index("idx_tc_session").on("session_id"),
      index("idx_tc_campaign").on("organization_id", "campaign_id"),
      index("idx_tc_converted").on("organization_id", "converted", desc("click_timestamp")),
      index("idx_tc_conversion").on("conversion_id"),
    ],
  },
);

export const trackingLinkClicks = table(
  "tracking_link_clicks",
  {
    id: randomId(),
    organization_id: organizationId(),
    link_id: text().notNull().describe("tracking_links.id in DB (no foreign key across databases)."),
    anonymous_id: text(),
    session_id: text(),
    user_id: text(),
    referrer_url: text(),
    landing_url: text().describe("Final destination after the redirect."),
    device_type: text(),
    browser: text(),
    os: text(),
    country: text(),
    region: text(),
    city: text(),
    click_timestamp: timestamp().notNull(),
    converted: boolean().default(false),
    conversion_id: conversionLink("The conversion this click led to"),
    conversion_value_cents: integer(),
    created_at: createdAt(),
  },
  {
    description: "Tracking link click events (email/SMS links).",
    indexes: [
      index("idx_tlc_link").on("link_id", desc("click_timestamp")),
      index("idx_tlc_org").on("organization_id", desc("click_timestamp")),
      index("idx_tlc_anon").on("anonymous_id"),
      index("idx_tlc_converted").on("link_id", "converted"),
      index("idx_tlc_conversion").on("conversion_id"),
    ],
  },
);

export const trackingLinkDailySummary = table(
  "tracking_link_daily_summary",
  {
    id: serialId(),
    organization_id: organizationId(),
    link_id: text().notNull().describe("tracking_links.id in DB (no foreign key across databases)."),
    summary_date: day(),
    total_clicks: count(),
    unique_clicks: count().describe("Distinct anonymous_ids."),
    desktop_clicks: count(),
    mobile_clicks: count(),
    tablet_clicks: count(),
    conversions: count(),
    conversion_value_cents: cents(),
    conversion_rate: real().describe("conversions / unique_clicks."),
    top_country: text(),
    top_country_clicks: count(),
    created_at: createdAt(),
  },
  {
    description: "Tracking link daily rollup per organization, link and day.",
    unique: [["organization_id", "link_id", "summary_date"]],
    indexes: [index("idx_tlds_org_date").on("organization_id", desc("summary_date")), index("idx_tlds_link").on("link_id", desc("summary_date"))],
  },
);
