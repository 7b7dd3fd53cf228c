// Connections to ad platforms and revenue sources: the connector registry, each organization's connections and
// their filter rules, sync jobs, and the Shopify sync workflows in flight.
import { boolean, desc, index, integer, json, table, text, timestamp } from "../../generator/dsl/index.js";
import { createdAt, organizationRef, textId, updatedAt } from "../_shared/columns.js";

export const connectorConfigs = table(
  "connector_configs",
  {
    id: textId(),
    provider: text().notNull().unique().describe("google, facebook, tiktok, stripe, shopify, jobber, hubspot..."),
    platform_id: text(),
    name: text().notNull(),
    description: text(),
    logo_url: text(),
    documentation_url: text(),
    connector_type: text()
      .notNull()
      .default("payments")
      .describe("ad_platform, crm, communication, ecommerce, payments, support, scheduling, ..."),
    category: text().notNull().default("commerce").describe("advertising, sales, marketing, commerce, operations, ..."),
    auth_type: text().notNull().describe("oauth2 or api_key."),
    oauth_authorize_url: text(),
    oauth_token_url: text(),
    oauth_scopes: json("string[]"),
    requires_api_key: boolean().notNull().default(false),
    config_schema: json("Record<string, unknown>").describe("JSON Schema of the connection's settings form."),
    events_schema: json("Record<string, unknown>").describe("The events the connector can emit, for goal definitions."),
    is_active: boolean().notNull().default(true),
    is_beta: boolean().notNull().default(false),
    supports_sync: boolean().notNull().default(true),
    supports_realtime: boolean().notNull().default(false),
    supports_webhooks: boolean().notNull().default(false),
    default_concurrency: integer().notNull().default(2),
    rate_limit_per_hour: integer(),
    default_lookback_days: integer().notNull().default(90),
    default_sync_interval_hours: integer().notNull().default(24),
    has_actual_value: boolean().notNull().default(false).describe("Whether the connector reports real revenue."),
    value_field: text(),
    permissions_description: text(),
    icon_name: text(),
    icon_color: text().notNull().default("#6B7280"),
    theme_bg_color: text(),
    theme_border_color: text(),
    theme_text_color: text(),
    sort_order: integer().notNull().default(100),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Provider templates (Google, Meta, TikTok, Stripe, ...): the connector registry the UI and sync read (0067).",
    createdIn: "0067",
    indexes: [
      index("idx_connector_configs_is_active_connector_type").on("is_active", "connector_type"),
      index("idx_connector_configs_category").on("category"),
    ],
  },
);

export const platformConnections = table(
  "platform_connections",
  {
    id: textId(),
    organization_id: text().notNull().describe("organizations.id; production declares no foreign key here."),
    platform: text().notNull().describe("connector_configs.provider."),
    account_id: text().notNull().describe("The account id on the platform (ad account, Stripe account, shop...)."),
    account_name: text(),
    connected_by: text().notNull().describe("users.id of the user who connected the account."),
    connected_at: createdAt(),
    last_synced_at: timestamp(),
    sync_status: text().notNull().default("pending"),
    sync_error: text(),
    is_active: boolean().notNull().default(true),
    settings: json("Record<string, unknown>").notNull().default("{}"),
    settings_encrypted: text(),
    credentials_encrypted: text().describe("Access token or API key, encrypted."),
    refresh_token_encrypted: text(),
    expires_at: timestamp().describe("When the access token expires."),
    scopes: json("string[]"),
    stripe_account_id: text(),
    stripe_livemode: boolean().notNull().default(true),
    filter_rules_count: integer().notNull().default(0),
    requires_reconfiguration: boolean().notNull().default(false),
    migration_notice: text(),
    shopify_shop_domain: text(),
    shopify_shop_id: text(),
    jobber_account_id: text(),
    jobber_company_name: text(),
    needs_reauth: boolean().notNull().default(false).describe("Set when the platform rejects the credentials (0052)."),
    reauth_reason: text(),
    reauth_detected_at: timestamp(),
    consecutive_auth_failures: integer().notNull().default(0),
  },
  {
    description: "OAuth connections to ad platforms (and API-key connections to revenue sources) per organization.",
    createdIn: "0003",
    unique: [["organization_id", "platform", "account_id"]],
    indexes: [
      index("idx_platform_connections_platform_is_active").on("platform", "is_active"),
      index("idx_platform_connections_organization_id_needs_reauth").on("organization_id", "needs_reauth").where("needs_reauth = 1"),
      index("idx_platform_connections_shopify_shop_domain").on("shopify_shop_domain").where("shopify_shop_domain IS NOT NULL"),
      index("idx_platform_connections_jobber_account_id").on("jobber_account_id").where("jobber_account_id IS NOT NULL"),
    ],
  },
);

export const connectorFilterRules = table(
  "connector_filter_rules",
  {
    id: textId(),
    connection_id: text().notNull().references("platform_connections", "id", { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    rule_type: text().notNull().default("include").describe("include or exclude."),
    operator: text().notNull().default("AND").describe("How the conditions combine: AND or OR."),
    conditions: json("Array<Record<string, unknown>>").notNull(),
    is_active: boolean().notNull().default(true),
    created_by: text().describe("users.id."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Include/exclude rules that filter which records of a connection are synced and attributed.",
    createdIn: "0070",
    indexes: [index("idx_connector_filter_rules_connection_id_is_active").on("connection_id", "is_active")],
  },
);

export const syncJobs = table(
  "sync_jobs",
  {
    id: textId(),
    organization_id: organizationRef(),
    connection_id: text().notNull().describe("platform_connections.id; 0024 removed the foreign key."),
    status: text().notNull().default("pending"),
    job_type: text().notNull().default("full"),
    started_at: timestamp(),
    completed_at: timestamp(),
    error_message: text(),
    records_synced: integer().notNull().default(0),
    total_records: integer(),
    current_phase: text(),
    progress_percentage: integer().notNull().default(0),
    metadata: json("Record<string, unknown>").notNull().default("{}"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Sync job tracking: one row per sync run of a connection, with status and progress.",
    createdIn: "0003/0024",
    indexes: [
      index("idx_sync_jobs_organization_id_created_at").on("organization_id", desc("created_at")),
      index("idx_sync_jobs_connection_id_status").on("connection_id", "status"),
      index("idx_sync_jobs_status_created_at").on("status", "created_at"),
    ],
  },
);

export const activeShopifyWorkflows = table(
  "active_shopify_workflows",
  {
    connection_id: textId().describe("platform_connections.id of the Shopify connection being synced."),
    workflow_id: text().notNull().describe("The running Cloudflare Workflow instance."),
    created_at: createdAt(),
  },
  {
    description: "Lock table: the Shopify sync workflow running for each connection, so only one runs at a time.",
    createdIn: "0046",
    indexes: [index("idx_active_shopify_workflows_created_at").on("created_at")],
  },
);
