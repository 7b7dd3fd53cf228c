// The tracking tag: short tags and per-org tag settings, tracked domains and links, consent banners, the script
// integrity hash, identity stitching, and the watermarks and locks of the event sync workflows.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationRef, randomId, textId, updatedAt } from "../_shared/columns.js";

export const orgTagMappings = table(
  "org_tag_mappings",
  {
    id: textId(),
    organization_id: organizationRef(),
    short_tag: text().notNull().unique().describe("The short tag embedded in the tracking snippet; events carry it as org_tag."),
    is_active: boolean().notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Short tags for event tracking: maps the tag in the tracking snippet to its organization.",
    createdIn: "0007",
    indexes: [index("idx_org_tag_mappings_organization_id").on("organization_id")],
  },
);

export const orgTrackingConfigs = table(
  "org_tracking_configs",
  {
    id: textId(),
    organization_id: organizationRef(),
    goals: json("Record<string, unknown>").notNull().default("{}"),
    enable_fingerprinting: boolean().notNull().default(true),
    enable_cross_domain_tracking: boolean().notNull().default(true),
    enable_performance_tracking: boolean().notNull().default(true),
    session_timeout: integer().notNull().default(1800000).describe("Milliseconds of inactivity that end a session."),
    batch_size: integer().notNull().default(10),
    batch_timeout: integer().notNull().default(5000).describe("Milliseconds."),
    snippet_complexity: text().notNull().default("simple").check("snippet_complexity IN ('simple', 'advanced', 'custom')"),
    custom_snippet: text(),
    created_by: text().describe("users.id."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Per-org tracking settings: what the tag collects and how it batches events (one row per organization).",
    createdIn: "0022",
    indexes: [uniqueIndex("idx_org_tracking_configs_organization_id").on("organization_id")],
  },
);

export const trackingDomains = table(
  "tracking_domains",
  {
    id: textId(),
    organization_id: organizationRef(),
    domain: text().notNull().unique(),
    is_verified: boolean().notNull().default(false),
    is_primary: boolean().notNull().default(false),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Domain-based org detection: the sites an organization tracks, verified or not.",
    createdIn: "0032",
    indexes: [index("idx_tracking_domains_organization_id").on("organization_id")],
  },
);

export const trackingLinks = table(
  "tracking_links",
  {
    id: textId(),
    org_tag: text().notNull().references("org_tag_mappings", "short_tag", { onDelete: "cascade" }),
    name: text(),
    destination_url: text().notNull(),
    utm_source: text().notNull().default("email"),
    utm_medium: text().notNull().default("email"),
    utm_campaign: text(),
    utm_content: text(),
    is_active: boolean().notNull().default(true),
    created_by: text().describe("users.id."),
    created_at: createdAt(),
  },
  {
    description: "Redirect links with UTM parameters (email campaigns...) whose clicks are tracked for attribution.",
    createdIn: "0041",
    indexes: [
      index("idx_tracking_links_org_tag_created_at").on("org_tag", desc("created_at")),
      index("idx_tracking_links_org_tag_utm_campaign").on("org_tag", "utm_campaign"),
    ],
  },
);

export const consentConfigurations = table(
  "consent_configurations",
  {
    id: randomId(),
    org_tag: text().notNull().references("org_tag_mappings", "short_tag", { onDelete: "cascade" }),
    consent_mode: text().notNull().default("auto"),
    consent_required: boolean().notNull().default(true),
    privacy_policy_url: text(),
    banner_enabled: boolean().notNull().default(true),
    banner_position: text().notNull().default("bottom"),
    banner_style: text().notNull().default("minimal"),
    banner_text: text(),
    button_accept: text().notNull().default("Accept"),
    button_reject: text().notNull().default("Reject"),
    button_customize: text().notNull().default("Customize"),
    primary_color: text().notNull().default("#667eea"),
    enable_analytics: boolean().notNull().default(true),
    enable_marketing: boolean().notNull().default(false),
    enable_preferences: boolean().notNull().default(true),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "The cookie consent banner the tag shows for a short tag, and which tracking categories it enables.",
    createdIn: "0027",
    indexes: [uniqueIndex("idx_consent_configurations_org_tag").on("org_tag")],
  },
);

export const scriptHashes = table(
  "script_hashes",
  {
    id: textId(),
    organization_id: organizationRef(),
    hash: text().notNull().unique().describe("Hash in the organization's script URL."),
    org_tag: text().notNull().describe("org_tag_mappings.short_tag the script serves (no foreign key)."),
    version: text().notNull().default("3.0.0"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Per-organization tracking script URLs: the hash that serves each organization's tag.",
    createdIn: "0071",
    indexes: [uniqueIndex("idx_script_hashes_organization_id").on("organization_id")],
  },
);

export const identityMappings = table(
  "identity_mappings",
  {
    id: randomId(),
    organization_id: organizationRef(),
    anonymous_id: text().notNull().describe("The tag's anonymous visitor id."),
    user_id: text().notNull().describe("The customer's own id for the visitor (from identify()), not users.id."),
    canonical_user_id: text().describe("The surviving user_id after identity merges."),
    identified_at: timestamp().notNull(),
    first_seen_at: timestamp(),
    source: text().notNull().default("identify"),
    confidence: real().notNull().default(1.0),
    metadata: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Anonymous to identified user links: which anonymous visitors became which known user.",
    createdIn: "0029",
    unique: [["organization_id", "anonymous_id", "user_id"]],
    indexes: [
      index("idx_identity_mappings_organization_id_user_id").on("organization_id", "user_id"),
      index("idx_identity_mappings_organization_id_canonical_user_id").on("organization_id", "canonical_user_id"),
      index("idx_identity_mappings_organization_id_identified_at").on("organization_id", "identified_at"),
    ],
  },
);

export const identityMerges = table(
  "identity_merges",
  {
    id: randomId(),
    organization_id: organizationRef(),
    source_user_id: text().notNull(),
    target_user_id: text().notNull(),
    merged_by: text(),
    reason: text(),
    merged_at: createdAt(),
  },
  {
    description: "History of identity merges: one identified user folded into another.",
    createdIn: "0029",
    indexes: [
      index("idx_identity_merges_organization_id_source_user_id").on("organization_id", "source_user_id"),
      index("idx_identity_merges_organization_id_target_user_id").on("organization_id", "target_user_id"),
    ],
  },
);

export const eventSyncWatermarks = table(
  "event_sync_watermarks",
  {
    org_tag: textId().describe("org_tag_mappings.short_tag (no foreign key)."),
    last_synced_timestamp: timestamp().notNull(),
    last_synced_event_id: text(),
    records_synced: integer().notNull().default(0),
    last_sync_status: text().notNull().check("last_sync_status IN ('success', 'partial', 'failed')"),
    last_sync_error: text(),
    updated_at: updatedAt(),
  },
  {
    description: "Per-tag watermark of the event sync: how far each short tag's events have been synced.",
    createdIn: "0023",
    indexes: [index("idx_event_sync_watermarks_last_synced_timestamp").on("last_synced_timestamp")],
  },
);

export const globalEventsWatermark = table(
  "global_events_watermark",
  {
    id: textId().default("global_events").check("id = 'global_events'").describe("Always 'global_events': the table holds one row."),
    last_synced_timestamp: timestamp().notNull(),
    last_synced_event_id: text(),
    records_synced_total: integer().notNull().default(0),
    records_synced_last_run: integer().notNull().default(0),
    last_sync_status: text().notNull().default("success").check("last_sync_status IN ('success', 'partial', 'failed', 'in_progress')"),
    last_sync_error: text(),
    sync_duration_ms: integer(),
    chunks_processed: integer(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Single-row watermark of the global events sync across all tags.",
    createdIn: "0034",
  },
);

export const activeEventWorkflows = table(
  "active_event_workflows",
  {
    org_tag: textId().describe("org_tag_mappings.short_tag whose events are being synced (no foreign key)."),
    workflow_id: text().notNull().describe("The running Cloudflare Workflow instance."),
    created_at: createdAt(),
  },
  {
    description: "Lock table: the event sync workflow running for each short tag, so only one runs at a time.",
    createdIn: "0040",
    indexes: [index("idx_active_event_workflows_created_at").on("created_at")],
  },
);
