// Handoff matching (0046): a visitor who clicks out to a checkout or booking provider is "handed off"; observations
// record each handoff, patterns learn per organization which hostnames are followed by which conversion source.
// ConversionLinkingWorkflow reads them. conversions.handoff_observation_id and
// handoff_observations.matched_conversion_id point at each other; both are nullable and SET NULL, so neither side
// blocks a delete.
import { boolean, desc, index, integer, real, table, text, timestamp } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

/** The "learned funnel": per organization, how often clicks out to a hostname are followed by a conversion. */
export const handoffPatterns = table(
  "handoff_patterns",
  {
    id: randomId(),
    organization_id: organizationId(),
    click_destination_hostname: text().notNull().describe("Where the visitor was handed off to, e.g. 'checkout.stripe.com'."),
    conversion_source: text().notNull().describe("The conversions.conversion_source that follows such a handoff, e.g. 'stripe'."),
    observation_count: integer().default(0),
    match_count: integer().default(0),
    match_rate: real().default(0).describe("match_count / observation_count, 0-1."),
    avg_handoff_to_conversion_seconds: real(),
    p50_seconds: real(),
    p95_seconds: real(),
    min_seconds: real(),
    max_seconds: real(),
    first_seen_at: timestamp().notNull(),
    last_seen_at: timestamp().notNull(),
    is_known_provider: boolean().default(false).describe("A known checkout/booking provider (Stripe, Shopify, Jobber, ...)."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Learned handoff conversion patterns: per organization, destination hostname and conversion source.",
    createdIn: "0046",
    unique: [["organization_id", "click_destination_hostname", "conversion_source"]],
    indexes: [index("idx_hp_org_source").on("organization_id", "conversion_source")],
  },
);

/** Individual outbound clicks the tag observed; pruned after 90 days. */
export const handoffObservations = table(
  "handoff_observations",
  {
    id: randomId(),
    organization_id: organizationId(),
    click_event_id: text().notNull().unique().describe("The tag's id of the outbound click event."),
    anonymous_id: text().notNull(),
    session_id: text(),
    device_fingerprint_id: text(),
    click_destination_hostname: text().notNull(),
    click_destination_path: text(),
    navigation_source_path: text().describe("The page the click was made on."),
    click_timestamp: timestamp().notNull(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    geo_country: text(),
    matched_conversion_id: text()
      .references("conversions", "id", { onDelete: "set null" })
      .describe("The conversion this handoff was matched to (conversions.id); NULL while unmatched."),
    conversion_timestamp: timestamp(),
    time_to_conversion_seconds: real(),
    match_confidence: real().describe("0-1."),
    created_at: createdAt(),
  },
  {
    description: "Individual handoff observations: outbound clicks to checkout/booking hosts, matched to conversions.",
    createdIn: "0046",
    indexes: [
      index("idx_ho_org_hostname").on("organization_id", "click_destination_hostname", desc("click_timestamp")),
      index("idx_ho_anon_id").on("anonymous_id", desc("click_timestamp")),
      index("idx_ho_matched_conversion").on("matched_conversion_id"),
    ],
  },
);
