// Analytics (migration 0028): unified product/web analytics tables imported from GA4, Amplitude, Mixpanel,
// PostHog, ..., told apart by `source`. ClearLift's own tag data lives in the core analytics tables; these hold what
// third-party analytics tools know. Sessions nest under users, events and page views under sessions.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const analyticsUsers = table(
  "analytics_users",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("ga4, amplitude, mixpanel, posthog, ..."),
    external_id: text().notNull().describe("The tool's user/client/distinct id."),
    anonymous_id: text().describe("ClearLift's tracking id, when the tool was told it."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    first_seen_at: timestamp(),
    last_seen_at: timestamp(),
    session_count: integer().notNull().default(0),
    event_count: integer().notNull().default(0),
    first_touch_source: text(),
    first_touch_medium: text(),
    first_touch_campaign: text(),
    country: text(),
    properties: json("Record<string, unknown>").describe("User properties."),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Analytics (unified): users as the analytics tool identifies them. ${scaffolded}`,
    createdIn: "0028",
    indexes: [
      uniqueIndex("idx_analytics_users_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_analytics_users_org_anonymous_id").on("organization_id", "anonymous_id"),
      index("idx_analytics_users_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const analyticsSessions = table(
  "analytics_sessions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The tool's session id."),
    user_id: text().references("analytics_users", "id", { onDelete: "set null" }),
    anonymous_id: text(),
    started_at: timestamp().notNull(),
    ended_at: timestamp(),
    duration_seconds: integer(),
    page_view_count: integer().notNull().default(0),
    event_count: integer().notNull().default(0),
    is_bounce: boolean().notNull().default(false),
    landing_page: text(),
    exit_page: text(),
    referrer: text(),
    channel: text().describe("The tool's default channel grouping (Organic Search, Paid Social, ...)."),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    utm_content: text(),
    utm_term: text(),
    device_type: text(),
    browser: text(),
    os: text(),
    country: text(),
    region: text(),
    city: text(),
    properties: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Analytics (unified): sessions with their traffic source, device and location. ${scaffolded}`,
    createdIn: "0028",
    indexes: [
      uniqueIndex("idx_analytics_sessions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_analytics_sessions_user").on("user_id"),
      index("idx_analytics_sessions_org_started").on("organization_id", desc("started_at")),
      index("idx_analytics_sessions_org_channel_started").on("organization_id", "channel", desc("started_at")),
    ],
  },
);

export const analyticsEvents = table(
  "analytics_events",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The tool's event id (or insert id)."),
    session_id: text().references("analytics_sessions", "id", { onDelete: "cascade" }).describe("Null for server-side events."),
    user_id: text().references("analytics_users", "id", { onDelete: "set null" }),
    event_name: text().notNull(),
    event_category: text(),
    page_url: text(),
    value_cents: integer(),
    currency: text(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>").describe("Event properties/parameters."),
    created_at: createdAt(),
  },
  {
    description: `Analytics (unified): tracked events. ${scaffolded}`,
    createdIn: "0028",
    indexes: [
      uniqueIndex("idx_analytics_events_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_analytics_events_session").on("session_id"),
      index("idx_analytics_events_user").on("user_id"),
      index("idx_analytics_events_org_name_occurred").on("organization_id", "event_name", desc("occurred_at")),
    ],
  },
);

export const analyticsPageViews = table(
  "analytics_page_views",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The tool's page view/hit id."),
    session_id: text().references("analytics_sessions", "id", { onDelete: "cascade" }),
    page_url: text().notNull(),
    page_path: text(),
    page_title: text(),
    referrer: text(),
    time_on_page_seconds: integer(),
    scroll_depth: real().describe("0..1"),
    viewed_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    created_at: createdAt(),
  },
  {
    description: `Analytics (unified): page views within sessions. ${scaffolded}`,
    createdIn: "0028",
    indexes: [
      uniqueIndex("idx_analytics_page_views_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_analytics_page_views_session").on("session_id"),
      index("idx_analytics_page_views_org_path").on("organization_id", "page_path"),
      index("idx_analytics_page_views_org_viewed").on("organization_id", desc("viewed_at")),
    ],
  },
);
