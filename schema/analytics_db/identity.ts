// Identity & matching (audit §4 "Identity & Matching Tables"). handoff_patterns and handoff_observations, created
// by 0046, are in handoff.ts.
import { boolean, desc, index, integer, json, real, table, text, timestamp } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const count = () => integer().default(0);
const identityRef = () => text().describe("customer_identities.id");

/**
 * Exactly 15 named indexes (audit §7). Production's grouped migration also has idx_ci_org_tag (org_tag); it is left
 * out because UNIQUE(org_tag, anonymous_id) already indexes org_tag first (and idx_ci_org_tag_updated does too).
 * The external-id lookups are partial (WHERE ... IS NOT NULL), as in production: most identities have none.
 */
export const customerIdentities = table(
  "customer_identities",
  {
    id: randomId(),
    organization_id: organizationId(),
    org_tag: text().notNull().describe("The tracking tag's short org identifier (org_tag_mappings.short_tag in DB)."),
    anonymous_id: text().notNull(),
    user_id_hash: text(),
    email_hash: text().describe("SHA-256 of the lower-cased email."),
    phone_hash: text().describe("SHA-256 of the normalized phone number (added by 0034)."),
    device_fingerprint_id: text(),
    stripe_customer_id: text(),
    shopify_customer_id: text(),
    hubspot_contact_id: text(),
    salesforce_contact_id: text(),
    jobber_client_id: text(),
    identity_method: text().notNull().describe("'anonymous', 'device_fingerprint', 'email_capture', 'login', 'signup', 'purchase'."),
    identity_confidence: real().default(0.3).describe("0-1."),
    first_touch_source: text(),
    first_touch_medium: text(),
    first_touch_campaign: text(),
    first_touch_click_id: text(),
    first_touch_click_id_type: text(),
    first_seen_at: timestamp().notNull(),
    last_seen_at: timestamp().notNull(),
    total_sessions: count(),
    total_touchpoints: count(),
    total_conversions: count(),
    total_revenue_cents: integer().default(0),
    known_devices: json("string[]").describe("Device fingerprint ids seen for this identity."),
    canonical_user_id: text().describe("The canonical user all merged identities share."),
    merged_into_id: text()
      .references("customer_identities", "id", { onDelete: "set null" })
      .describe("The identity this one was merged into (customer_identities.id); NULL while canonical."),
    merged_at: timestamp(),
    is_canonical: boolean().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Master identity records: one per visitor per org tag, with every external id it is known by.",
    unique: [["org_tag", "anonymous_id"]],
    indexes: [
      index("idx_ci_org").on("organization_id"),
      index("idx_ci_anon").on("anonymous_id"),
      index("idx_ci_org_tag_updated").on("org_tag", desc("updated_at")),
      index("idx_ci_org_user").on("organization_id", "user_id_hash").where("user_id_hash IS NOT NULL"),
      index("idx_ci_org_email").on("organization_id", "email_hash").where("email_hash IS NOT NULL"),
      index("idx_ci_phone_hash").on("organization_id", "phone_hash").where("phone_hash IS NOT NULL"),
      index("idx_ci_stripe").on("stripe_customer_id").where("stripe_customer_id IS NOT NULL"),
      index("idx_ci_shopify").on("shopify_customer_id").where("shopify_customer_id IS NOT NULL"),
      index("idx_ci_hubspot").on("hubspot_contact_id").where("hubspot_contact_id IS NOT NULL"),
      index("idx_ci_salesforce").on("salesforce_contact_id").where("salesforce_contact_id IS NOT NULL"),
      index("idx_ci_jobber").on("jobber_client_id").where("jobber_client_id IS NOT NULL"),
      index("idx_ci_canonical").on("canonical_user_id").where("canonical_user_id IS NOT NULL"),
      index("idx_ci_merged_into").on("merged_into_id").where("merged_into_id IS NOT NULL"),
      index("idx_ci_org_confidence").on("organization_id", desc("identity_confidence")),
      index("idx_ci_org_method").on("organization_id", "identity_method"),
    ],
  },
);

/** crm_contact_ref points at crm_contacts, declared with the unified CRM tables; no foreign key is declared to it here. */
export const crmIdentityLinks = table(
  "crm_identity_links",
  {
    id: randomId(),
    organization_id: organizationId(),
    crm_contact_ref: text().notNull().describe("crm_contacts.id of the linked CRM contact."),
    crm_platform: text().notNull().describe("'hubspot', 'salesforce', ..."),
    identity_type: text().notNull().describe("'email_hash', 'phone_hash', 'customer_id'."),
    identity_value: text().notNull().describe("The hash or id value."),
    link_method: text().notNull().describe("'direct_match', 'email_hash', 'phone_hash', 'manual'."),
    confidence_score: real().default(1.0).describe("0-1."),
    created_at: createdAt(),
    verified_at: timestamp(),
  },
  {
    description: "CRM-to-identity links: which hashed identifiers a CRM contact is known by.",
    unique: [["organization_id", "crm_contact_ref", "identity_type", "identity_value"]],
    indexes: [
      index("idx_crmil_org").on("organization_id"),
      index("idx_crmil_contact").on("crm_contact_ref"),
      index("idx_crmil_identity").on("organization_id", "identity_type", "identity_value"),
      index("idx_crmil_platform").on("organization_id", "crm_platform"),
    ],
  },
);

/**
 * The audit trail of identity links and merges. A link event belongs to its source identity (CASCADE); a deleted
 * merge target leaves the event with target_identity_id NULL (SET NULL).
 */
export const identityLinkEvents = table(
  "identity_link_events",
  {
    id: randomId(),
    organization_id: organizationId(),
    source_identity_id: identityRef().notNull().references("customer_identities", "id", { onDelete: "cascade" }),
    target_identity_id: identityRef().references("customer_identities", "id", { onDelete: "set null" }),
    link_type: text().notNull().describe("'email_match', 'phone_match', 'device_match', 'purchase_match', 'crm_match', 'manual_merge'."),
    link_confidence: real().default(1.0).describe("0-1."),
    link_source: text().describe("'stripe_webhook', 'hubspot_sync', 'shopify_webhook', 'manual', 'tag_identify'."),
    link_metadata: json("Record<string, unknown>"),
    created_at: createdAt(),
  },
  {
    description: "Identity link audit trail: how identities were linked and merged over time.",
    unique: [["organization_id", "source_identity_id", "target_identity_id", "link_type", "created_at"]],
    indexes: [
      index("idx_ile_org").on("organization_id"),
      index("idx_ile_source").on("source_identity_id"),
      index("idx_ile_target").on("target_identity_id").where("target_identity_id IS NOT NULL"),
      index("idx_ile_type").on("link_type"),
      index("idx_ile_created").on("organization_id", "created_at"),
    ],
  },
);
