// The API's audit trail (auth and API events; sync events are audited elsewhere) and its retention bookkeeping.
// Log rows outlive the users and organizations they mention, so user_id and organization_id are plain columns
// without foreign keys, as in production.
import { boolean, desc, index, integer, json, table, text, timestamp } from "d1-schema-kit";
import { createdAt, randomId, serialId, textId, updatedAt } from "../_shared/columns.js";

export const auditLogs = table(
  "audit_logs",
  {
    id: textId(),
    timestamp: createdAt(),
    user_id: text().describe("users.id, null for anonymous requests (no foreign key: logs outlive users)."),
    organization_id: text().describe("organizations.id, if the request was scoped to one."),
    session_token_hash: text(),
    action: text().notNull(),
    method: text(),
    path: text(),
    resource_type: text(),
    resource_id: text(),
    ip_address: text(),
    user_agent: text(),
    request_id: text(),
    success: boolean().notNull().default(true),
    status_code: integer(),
    error_code: text(),
    error_message: text(),
    response_time_ms: integer(),
    metadata: json("Record<string, unknown>"),
  },
  {
    description: "API audit trail: one row per audited API request or action.",
    createdIn: "0011",
    indexes: [
      index("idx_audit_logs_organization_id_timestamp").on("organization_id", desc("timestamp")),
      index("idx_audit_logs_user_id").on("user_id"),
      index("idx_audit_logs_timestamp").on("timestamp"),
    ],
  },
);

export const authAuditLogs = table(
  "auth_audit_logs",
  {
    id: serialId(),
    event_type: text().notNull().describe("login, logout, login_failed, password_reset, session_created..."),
    user_id: text(),
    email: text(),
    auth_method: text(),
    provider: text(),
    ip_address: text(),
    user_agent: text(),
    success: boolean().notNull().default(true),
    failure_reason: text(),
    session_id: text(),
    session_created: boolean().notNull().default(false),
    metadata: json("Record<string, unknown>").notNull().default("{}"),
    timestamp: createdAt(),
  },
  {
    description: "Authentication events (logins, failures, logouts, resets) for security review and brute-force detection.",
    createdIn: "0011",
    indexes: [
      index("idx_auth_audit_logs_user_id").on("user_id"),
      index("idx_auth_audit_logs_email_timestamp").on("email", desc("timestamp")),
      index("idx_auth_audit_logs_event_type_timestamp").on("event_type", desc("timestamp")),
      index("idx_auth_audit_logs_failures").on("success", desc("timestamp")).where("success = 0"),
      index("idx_auth_audit_logs_ip_address_timestamp").on("ip_address", desc("timestamp")),
      index("idx_auth_audit_logs_session_id").on("session_id"),
      index("idx_auth_audit_logs_timestamp").on("timestamp"),
    ],
  },
);

export const dataAccessLogs = table(
  "data_access_logs",
  {
    id: serialId(),
    user_id: text().notNull(),
    organization_id: text().notNull(),
    access_type: text().notNull().describe("read, export, ..."),
    data_source: text().notNull(),
    table_name: text(),
    query_hash: text(),
    filters_applied: json("Record<string, unknown>").notNull().default("{}"),
    records_accessed: integer(),
    fields_accessed: json("string[]").notNull().default("[]"),
    query_time_ms: integer(),
    export_format: text(),
    export_destination: text(),
    contains_pii: boolean().notNull().default(false),
    data_classification: text().notNull().default("internal"),
    request_id: text(),
    ip_address: text(),
    timestamp: createdAt(),
  },
  {
    description: "Who read or exported which customer data, when, and whether it contained PII (compliance trail).",
    createdIn: "0011",
    indexes: [
      index("idx_data_access_logs_user_id").on("user_id"),
      index("idx_data_access_logs_organization_id_timestamp").on("organization_id", desc("timestamp")),
      index("idx_data_access_logs_data_source_timestamp").on("data_source", desc("timestamp")),
      index("idx_data_access_logs_timestamp").on("timestamp"),
    ],
  },
);

export const configAuditLogs = table(
  "config_audit_logs",
  {
    id: serialId(),
    user_id: text().notNull(),
    organization_id: text(),
    config_type: text().notNull(),
    config_id: text(),
    action: text().notNull(),
    field_name: text(),
    old_value: text(),
    new_value: text(),
    requires_approval: boolean().notNull().default(false),
    approved_by: text(),
    approved_at: timestamp(),
    request_id: text(),
    ip_address: text(),
    reason: text(),
    timestamp: createdAt(),
  },
  {
    description: "Configuration changes (settings, connections, goals): old and new values, who changed them and why.",
    createdIn: "0011",
    indexes: [
      index("idx_config_audit_logs_user_id").on("user_id"),
      index("idx_config_audit_logs_organization_id").on("organization_id"),
      index("idx_config_audit_logs_config_type_timestamp").on("config_type", desc("timestamp")),
      index("idx_config_audit_logs_timestamp").on("timestamp"),
    ],
  },
);

export const securityEvents = table(
  "security_events",
  {
    id: serialId(),
    severity: text().notNull().describe("low, medium, high or critical."),
    event_type: text().notNull(),
    user_id: text(),
    organization_id: text(),
    threat_indicator: text(),
    threat_source: text(),
    automated_response: text(),
    manual_review_required: boolean().notNull().default(false),
    request_data: json("Record<string, unknown>"),
    metadata: json("Record<string, unknown>").notNull().default("{}"),
    ip_address: text(),
    user_agent: text(),
    request_id: text(),
    timestamp: createdAt(),
  },
  {
    description: "Detected security events (suspicious requests, abuse) with severity and the automated response.",
    createdIn: "0011",
    indexes: [
      index("idx_security_events_severity_timestamp").on("severity", desc("timestamp")),
      index("idx_security_events_event_type_timestamp").on("event_type", desc("timestamp")),
      index("idx_security_events_timestamp").on("timestamp"),
    ],
  },
);

export const auditRetentionPolicy = table(
  "audit_retention_policy",
  {
    id: randomId(),
    table_name: text().notNull().unique().describe("The audit table the policy applies to."),
    retention_days: integer().notNull().check("retention_days > 0"),
    last_cleanup: timestamp(),
    records_deleted: integer().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "How long each audit table keeps its rows, and when it was last cleaned up.",
    createdIn: "0011",
  },
);

export const cleanupJobs = table(
  "cleanup_jobs",
  {
    id: randomId(),
    job_type: text().notNull(),
    started_at: createdAt(),
    completed_at: timestamp(),
    records_processed: integer().notNull().default(0),
    records_deleted: integer().notNull().default(0),
    success: boolean().notNull().default(true),
    error_message: text(),
  },
  {
    description: "Runs of the audit retention cleanup: what was processed and deleted, and whether it succeeded.",
    createdIn: "0011",
    indexes: [index("idx_cleanup_jobs_job_type_started_at").on("job_type", desc("started_at"))],
  },
);
