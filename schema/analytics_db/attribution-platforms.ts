// Attribution (migration 0030): unified mobile measurement partner (MMP) tables across AppsFlyer, Adjust, Branch,
// Singular, ..., told apart by `source`. Not ClearLift's own attribution (attribution_results, conversion_attribution):
// these hold what an MMP attributed, so the two can be compared.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const attributionInstalls = table(
  "attribution_installs",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("appsflyer, adjust, branch, singular, ..."),
    external_id: text().notNull().describe("The MMP's install/device id (e.g. AppsFlyer appsflyer_id)."),
    app_id: text().notNull().describe("The store app id (bundle id / package name)."),
    app_platform: text().describe("ios or android."),
    customer_user_id: text().describe("The app's own user id, when the app sets it."),
    media_source: text().describe("The network the MMP attributed the install to; 'organic' when none."),
    channel: text(),
    campaign_name: text(),
    campaign_external_id: text(),
    adset_name: text(),
    ad_name: text(),
    is_organic: boolean().notNull().default(false),
    is_retargeting: boolean().notNull().default(false),
    attributed_touch_type: text().describe("click or impression."),
    attributed_touch_at: timestamp(),
    country: text(),
    installed_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Attribution (unified): app installs with the MMP's attribution. ${scaffolded}`,
    createdIn: "0030",
    indexes: [
      uniqueIndex("idx_attribution_installs_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_attribution_installs_org_installed").on("organization_id", desc("installed_at")),
      index("idx_attribution_installs_org_media_source_installed").on("organization_id", "media_source", desc("installed_at")),
    ],
  },
);

export const attributionEvents = table(
  "attribution_events",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The MMP's event id."),
    install_id: text().references("attribution_installs", "id", { onDelete: "set null" }).describe("Null until the install is synced."),
    app_id: text().notNull(),
    event_name: text().notNull().describe("In-app event name (af_purchase, registration, ...)."),
    event_value_cents: integer(),
    currency: text(),
    customer_user_id: text(),
    media_source: text(),
    campaign_name: text(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
  },
  {
    description: `Attribution (unified): in-app events attributed by the MMP. ${scaffolded}`,
    createdIn: "0030",
    indexes: [
      uniqueIndex("idx_attribution_events_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_attribution_events_install").on("install_id"),
      index("idx_attribution_events_org_name_occurred").on("organization_id", "event_name", desc("occurred_at")),
      index("idx_attribution_events_org_occurred").on("organization_id", desc("occurred_at")),
    ],
  },
);

export const attributionRevenue = table(
  "attribution_revenue",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The MMP's revenue event id."),
    install_id: text().references("attribution_installs", "id", { onDelete: "set null" }),
    app_id: text().notNull(),
    revenue_type: text().notNull().describe("iap, subscription or ad."),
    amount_cents: integer().notNull(),
    currency: text().notNull(),
    media_source: text(),
    campaign_name: text(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
  },
  {
    description: `Attribution (unified): app revenue (purchases, subscriptions, ad revenue) attributed by the MMP. ${scaffolded}`,
    createdIn: "0030",
    indexes: [
      uniqueIndex("idx_attribution_revenue_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_attribution_revenue_install").on("install_id"),
      index("idx_attribution_revenue_org_occurred").on("organization_id", desc("occurred_at")),
    ],
  },
);

export const attributionCohorts = table(
  "attribution_cohorts",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    app_id: text().notNull(),
    cohort_date: text().notNull().describe("YYYY-MM-DD: the install date of the cohort."),
    media_source: text().notNull().default("").describe("'' for all sources together."),
    campaign_name: text().notNull().default("").describe("'' for all campaigns together."),
    day_n: integer().notNull().describe("Days since install the row reports (0, 1, 7, 30, ...)."),
    installs: integer().notNull().default(0),
    retained_users: integer().notNull().default(0),
    retention_rate: real().notNull().default(0),
    revenue_cents: integer().notNull().default(0),
    cost_cents: integer(),
    roas: real(),
    properties: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Attribution (unified): MMP cohort reports (retention and revenue by install date). ${scaffolded}`,
    createdIn: "0030",
    indexes: [
      uniqueIndex("idx_attribution_cohorts_org_source_app_cohort").on(
        "organization_id",
        "source",
        "app_id",
        "cohort_date",
        "media_source",
        "campaign_name",
        "day_n",
      ),
      index("idx_attribution_cohorts_org_date").on("organization_id", desc("cohort_date")),
    ],
  },
);
