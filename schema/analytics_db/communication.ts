// Communication (migration 0021): unified email/SMS/push tables across Klaviyo, Mailchimp, Attentive, SendGrid, ...,
// told apart by `source`. Engagements are attribution touchpoints: sent -> delivered -> opened -> clicked -> converted.
import { desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "../../generator/dsl/index.js";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const commLists = table(
  "comm_lists",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("klaviyo, mailchimp, attentive, sendgrid, ..."),
    external_id: text().notNull().describe("The list/segment id on the platform."),
    name: text().notNull(),
    list_type: text().notNull().describe("list, segment or tag."),
    member_count: integer().notNull().default(0),
    properties: json("Record<string, unknown>").describe("Definition, criteria, ..."),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Communication (unified): lists and segments that campaigns target. ${scaffolded}`,
    createdIn: "0021",
    indexes: [
      uniqueIndex("idx_comm_lists_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_comm_lists_org_type").on("organization_id", "list_type"),
    ],
  },
);

export const commCampaigns = table(
  "comm_campaigns",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The campaign/flow id on the platform."),
    list_id: text().references("comm_lists", "id", { onDelete: "set null" }).describe("The targeted comm_lists.id."),
    name: text().notNull(),
    campaign_type: text().notNull().describe("email, sms, push, flow, automation."),
    status: text().notNull().describe("draft, scheduled, sending, sent, canceled."),
    audience_count: integer(),
    subject_line: text(),
    from_name: text(),
    from_address: text(),
    scheduled_at: timestamp(),
    sent_at: timestamp(),
    completed_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Communication (unified): email/SMS/push campaigns and flows. ${scaffolded}`,
    createdIn: "0021",
    indexes: [
      uniqueIndex("idx_comm_campaigns_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_comm_campaigns_list").on("list_id"),
      index("idx_comm_campaigns_org_sent").on("organization_id", desc("sent_at")),
    ],
  },
);

export const commSubscribers = table(
  "comm_subscribers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The profile/subscriber id on the platform."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text().describe("SHA-256 of the E.164 number, for identity matching."),
    email_status: text().describe("subscribed, unsubscribed, bounced, complained."),
    sms_status: text(),
    push_status: text(),
    email_consent_at: timestamp(),
    sms_consent_at: timestamp(),
    total_emails_received: integer().notNull().default(0),
    total_emails_opened: integer().notNull().default(0),
    total_emails_clicked: integer().notNull().default(0),
    total_sms_received: integer().notNull().default(0),
    total_sms_clicked: integer().notNull().default(0),
    email_open_rate: real().notNull().default(0),
    email_click_rate: real().notNull().default(0),
    tags: json("string[]"),
    list_external_ids: json("string[]").describe("The platform ids of the lists the subscriber is on."),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    subscribed_at: timestamp(),
    last_engagement_at: timestamp(),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Communication (unified): subscribers/profiles with consent and lifetime engagement. ${scaffolded}`,
    createdIn: "0021",
    indexes: [
      uniqueIndex("idx_comm_subscribers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_comm_subscribers_org_email_hash").on("organization_id", "email_hash"),
      index("idx_comm_subscribers_org_last_engagement").on("organization_id", desc("last_engagement_at")),
    ],
  },
);

export const commEngagements = table(
  "comm_engagements",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().describe("The event id on the platform, when it gives one."),
    campaign_id: text().references("comm_campaigns", "id", { onDelete: "set null" }).describe("Null for transactional messages."),
    subscriber_id: text().references("comm_subscribers", "id", { onDelete: "cascade" }),
    campaign_external_id: text().describe("Kept so engagements synced before their campaign can be linked later."),
    subscriber_external_id: text().describe("Kept so engagements synced before their subscriber can be linked later."),
    engagement_type: text().notNull().describe("sent, delivered, opened, clicked, converted, bounced, complained, unsubscribed."),
    channel: text().notNull().describe("email, sms or push."),
    link_url: text(),
    link_id: text(),
    conversion_value_cents: integer(),
    conversion_type: text(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>").describe("Device, location, ..."),
    created_at: createdAt(),
  },
  {
    description: `Communication (unified): individual engagement events, used as attribution touchpoints. ${scaffolded}`,
    createdIn: "0021",
    indexes: [
      uniqueIndex("idx_comm_engagements_org_source_external_id")
        .on("organization_id", "source", "external_id")
        .where("external_id IS NOT NULL"),
      index("idx_comm_engagements_campaign").on("campaign_id", desc("occurred_at")),
      index("idx_comm_engagements_subscriber").on("subscriber_id", desc("occurred_at")),
      index("idx_comm_engagements_org_occurred").on("organization_id", desc("occurred_at")),
      index("idx_comm_engagements_org_type_occurred").on("organization_id", "engagement_type", desc("occurred_at")),
      index("idx_comm_engagements_org_channel_occurred").on("organization_id", "channel", desc("occurred_at")),
      index("idx_comm_engagements_org_campaign_external_id").on("organization_id", "campaign_external_id"),
      index("idx_comm_engagements_org_subscriber_external_id").on("organization_id", "subscriber_external_id"),
    ],
  },
);

export const commCampaignMetrics = table(
  "comm_campaign_metrics",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    campaign_id: text().notNull().references("comm_campaigns", "id", { onDelete: "cascade" }),
    metric_date: text().notNull().describe("YYYY-MM-DD"),
    sent_count: integer().notNull().default(0),
    delivered_count: integer().notNull().default(0),
    bounced_count: integer().notNull().default(0),
    opened_count: integer().notNull().default(0),
    unique_opens: integer().notNull().default(0),
    clicked_count: integer().notNull().default(0),
    unique_clicks: integer().notNull().default(0),
    unsubscribed_count: integer().notNull().default(0),
    complained_count: integer().notNull().default(0),
    converted_count: integer().notNull().default(0),
    conversion_value_cents: integer().notNull().default(0),
    open_rate: real().notNull().default(0).describe("unique_opens / delivered_count"),
    click_rate: real().notNull().default(0).describe("unique_clicks / delivered_count"),
    click_to_open_rate: real().notNull().default(0).describe("unique_clicks / unique_opens"),
    bounce_rate: real().notNull().default(0),
    unsubscribe_rate: real().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Communication (unified): daily metrics per campaign. ${scaffolded}`,
    createdIn: "0021",
    indexes: [
      uniqueIndex("idx_comm_campaign_metrics_campaign_date").on("campaign_id", "metric_date"),
      index("idx_comm_campaign_metrics_org_date").on("organization_id", desc("metric_date")),
      index("idx_comm_campaign_metrics_org_source_date").on("organization_id", "source", desc("metric_date")),
    ],
  },
);
