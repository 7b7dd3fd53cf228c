// Inbound webhooks from connectors (Stripe, Shopify, Jobber, ...): the endpoints each organization exposes, the
// events received on them, and each processing attempt.
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, textId, updatedAt } from "../_shared/columns.js";

export const webhookEndpoints = table(
  "webhook_endpoints",
  {
    id: textId(),
    organization_id: text().notNull().describe("organizations.id; production declares no foreign key here."),
    connector: text().notNull().describe("connector_configs.provider sending to this endpoint."),
    endpoint_secret: text().notNull().describe("Secret used to verify the sender's signatures."),
    is_active: boolean().notNull().default(true),
    events_subscribed: json("string[]"),
    last_received_at: timestamp(),
    receive_count: integer().notNull().default(0),
    error_count: integer().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Inbound webhook endpoints: one per organization and connector, with its signing secret and counters.",
    createdIn: "0077",
    indexes: [
      uniqueIndex("idx_webhook_endpoints_organization_id_connector").on("organization_id", "connector"),
      index("idx_webhook_endpoints_connector").on("connector").where("is_active = 1"),
    ],
  },
);

export const webhookEvents = table(
  "webhook_events",
  {
    id: textId(),
    organization_id: text().notNull(),
    endpoint_id: text().notNull().references("webhook_endpoints", "id", { onDelete: "cascade" }),
    connector: text().notNull(),
    event_type: text().notNull().describe("The connector's own event type, e.g. charge.succeeded."),
    unified_event_type: text().describe("The event type in ClearLift's unified vocabulary (0075)."),
    event_id: text().describe("The connector's event id, for deduplication."),
    payload_hash: text().describe("Hash of the payload, for deduplication when there is no event id."),
    payload: text().describe("The raw payload as received (kept verbatim for signature checks and replays)."),
    status: text().notNull().default("pending").describe("pending, processing, processed, failed or skipped."),
    attempts: integer().notNull().default(0),
    error_message: text(),
    received_at: createdAt(),
    processed_at: timestamp(),
  },
  {
    description: "Webhook events received from connectors, queued for processing and deduplicated.",
    createdIn: "0077",
    indexes: [
      index("idx_webhook_events_endpoint_id").on("endpoint_id"),
      index("idx_webhook_events_status_received_at").on("status", "received_at"),
      index("idx_webhook_events_organization_id_connector_event_id").on("organization_id", "connector", "event_id").where("event_id IS NOT NULL"),
      index("idx_webhook_events_organization_id_connector_payload_hash").on("organization_id", "connector", "payload_hash").where("payload_hash IS NOT NULL"),
      index("idx_webhook_events_organization_id_unified_event_type").on("organization_id", "unified_event_type"),
      index("idx_webhook_events_organization_id_connector_unified_event_type").on("organization_id", "connector", "unified_event_type"),
    ],
  },
);

export const webhookDeliveryLog = table(
  "webhook_delivery_log",
  {
    id: textId(),
    webhook_event_id: text().notNull().references("webhook_events", "id", { onDelete: "cascade" }),
    attempt_number: integer().notNull(),
    status: text().notNull(),
    status_code: integer(),
    response_body: text(),
    error_message: text(),
    duration_ms: integer(),
    created_at: createdAt(),
  },
  {
    description: "Each processing attempt of a webhook event: outcome, status code, error and duration.",
    createdIn: "0077",
    indexes: [index("idx_webhook_delivery_log_webhook_event_id_attempt_number").on("webhook_event_id", desc("attempt_number"))],
  },
);
