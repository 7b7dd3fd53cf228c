// Sharding of organizations' analytics data across SHARD_0..SHARD_3: where each organization's data lives, how
// it is read and written during the move, and the log of tables migrated.
import { index, integer, table, text, timestamp } from "d1-schema-kit";
import { createdAt, textId } from "../_shared/columns.js";

export const shardRouting = table(
  "shard_routing",
  {
    organization_id: textId().describe("organizations.id; production declares no foreign key here."),
    shard_id: integer().notNull().default(0).describe("The SHARD_n binding holding the organization's data."),
    read_source: text().notNull().default("supabase").check("read_source IN ('supabase', 'd1')"),
    write_mode: text().notNull().default("supabase").check("write_mode IN ('supabase', 'dual', 'd1')"),
    data_size_bytes: integer().notNull().default(0),
    campaign_count: integer().notNull().default(0),
    metrics_row_count: integer().notNull().default(0),
    migrated_at: timestamp(),
    verified_at: timestamp(),
    d1_enabled_at: timestamp(),
    last_error: text(),
    error_count: integer().notNull().default(0),
    created_at: createdAt(),
  },
  {
    description: "Which shard holds each organization's analytics data, and where it is read from and written to.",
    createdIn: "0049",
    indexes: [index("idx_shard_routing_shard_id").on("shard_id"), index("idx_shard_routing_migrated_at").on("migrated_at").where("migrated_at IS NOT NULL")],
  },
);

export const shardMigrationLog = table(
  "shard_migration_log",
  {
    id: textId(),
    organization_id: text().notNull().describe("organizations.id (no foreign key)."),
    platform: text().notNull(),
    table_name: text().notNull(),
    source: text().notNull().default("supabase"),
    rows_migrated: integer().notNull().default(0),
    started_at: createdAt(),
    completed_at: timestamp(),
    error_message: text(),
  },
  {
    description: "Progress of moving each organization's platform tables to its shard: one row per table moved.",
    createdIn: "0049",
    unique: [["organization_id", "platform", "table_name"]],
    indexes: [index("idx_shard_migration_log_started_at_incomplete").on("started_at").where("completed_at IS NULL")],
  },
);
