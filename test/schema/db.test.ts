// DB (main) against ClearLift's schema audit (February 2026), section 2 "DB (Main) — 56 Tables" and section 7
// "Index Coverage Summary". Everything structural is asserted on the SQLite database built from the fresh squash
// (PRAGMAs and sqlite_schema), not on the model; only the audit metadata (createdIn) comes from the model.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { loadDatabaseModel, namedIndexes, squashDatabase, tableNames } from "../helpers/clearlift.js";
import type { ForeignKeyListRow, IndexListRow, TableXInfoRow } from "../../generator/sqlite/pragma-rows.js";

/** How the audit's "PK Type" column is checked. */
type PkSpec =
  | { kind: "text"; column: string } // `x TEXT`: application-supplied, no default
  | { kind: "randomblob" } // `id TEXT (randomblob)`
  | { kind: "autoincrement" } // `id INTEGER AUTOINCREMENT`
  | { kind: "textDefault"; column: string; defaultSql: string } // `id TEXT (default '...')`
  | { kind: "composite"; columns: string[] };

interface InventoryRow {
  pk: PkSpec;
  /** The "FK References" column, one entry per foreign key ("users(id) x2" is two entries). */
  fks: string[];
  createdBy: string;
}

const id: PkSpec = { kind: "text", column: "id" };
const rnd: PkSpec = { kind: "randomblob" };
const serial: PkSpec = { kind: "autoincrement" };
const textPk = (column: string): PkSpec => ({ kind: "text", column });
const times = (ref: string, n: number) => Array.from({ length: n }, () => ref);

/** Section 2's "Table Inventory", row by row. */
const inventory: Record<string, InventoryRow> = {
  active_event_workflows: { pk: textPk("org_tag"), fks: [], createdBy: "0040" },
  active_shopify_workflows: { pk: textPk("connection_id"), fks: [], createdBy: "0046" },
  admin_impersonation_logs: { pk: id, fks: times("users(id)", 2), createdBy: "0025" },
  admin_invites: { pk: id, fks: ["users(id)"], createdBy: "0044" },
  admin_task_comments: { pk: id, fks: ["admin_tasks(id)", "users(id)"], createdBy: "0051" },
  admin_tasks: { pk: id, fks: ["organizations(id)", ...times("users(id)", 4)], createdBy: "0051" },
  ai_optimization_settings: { pk: textPk("org_id"), fks: ["organizations(id)"], createdBy: "0016" },
  audit_logs: { pk: id, fks: [], createdBy: "0011" },
  audit_retention_policy: { pk: rnd, fks: [], createdBy: "0011" },
  auth_audit_logs: { pk: serial, fks: [], createdBy: "0011" },
  cleanup_jobs: { pk: rnd, fks: [], createdBy: "0011" },
  config_audit_logs: { pk: serial, fks: [], createdBy: "0011" },
  connector_configs: { pk: id, fks: [], createdBy: "0067" },
  connector_filter_rules: { pk: id, fks: ["platform_connections(id)"], createdBy: "0070" },
  consent_configurations: { pk: rnd, fks: ["org_tag_mappings(short_tag)"], createdBy: "0027" },
  conversion_goals: { pk: rnd, fks: ["organizations(id)"], createdBy: "0033/0054" },
  dashboard_layouts: { pk: textPk("organization_id"), fks: ["organizations(id)", "users(id)"], createdBy: "0078" },
  data_access_logs: { pk: serial, fks: [], createdBy: "0011" },
  email_verification_tokens: { pk: rnd, fks: ["users(id)"], createdBy: "0012" },
  event_sync_watermarks: { pk: textPk("org_tag"), fks: [], createdBy: "0023" },
  global_events_watermark: { pk: { kind: "textDefault", column: "id", defaultSql: "'global_events'" }, fks: [], createdBy: "0034" },
  goal_branches: { pk: id, fks: ["organizations(id)", "conversion_goals(id)"], createdBy: "0072" },
  goal_conversion_stats: { pk: id, fks: ["organizations(id)", ...times("conversion_goals(id)", 2)], createdBy: "0060" },
  goal_group_members: { pk: id, fks: ["goal_groups(id)", "conversion_goals(id)"], createdBy: "0073" },
  goal_groups: { pk: id, fks: ["organizations(id)"], createdBy: "0073" },
  goal_relationships: { pk: id, fks: ["organizations(id)", ...times("conversion_goals(id)", 2)], createdBy: "0060" },
  goal_templates: { pk: id, fks: [], createdBy: "0065" },
  goal_value_history: { pk: id, fks: ["organizations(id)", "conversion_goals(id)"], createdBy: "0055" },
  identity_mappings: { pk: rnd, fks: ["organizations(id)"], createdBy: "0029" },
  identity_merges: { pk: rnd, fks: ["organizations(id)"], createdBy: "0029" },
  invitations: { pk: id, fks: [], createdBy: "0006/0031" },
  oauth_states: { pk: textPk("state"), fks: ["users(id)", "organizations(id)"], createdBy: "0003" },
  onboarding_progress: { pk: textPk("user_id"), fks: ["users(id)", "organizations(id)"], createdBy: "0009" },
  onboarding_steps: { pk: id, fks: [], createdBy: "0009" },
  org_tag_mappings: { pk: id, fks: ["organizations(id)"], createdBy: "0007" },
  org_tracking_configs: { pk: id, fks: ["organizations(id)"], createdBy: "0022" },
  organization_members: { pk: { kind: "composite", columns: ["organization_id", "user_id"] }, fks: [], createdBy: "0005" },
  organizations: { pk: id, fks: [], createdBy: "0004" },
  password_reset_tokens: { pk: textPk("token"), fks: ["users(id)"], createdBy: "0026" },
  platform_connections: { pk: id, fks: [], createdBy: "0003" },
  rate_limits: { pk: textPk("key"), fks: [], createdBy: "0028" },
  script_hashes: { pk: id, fks: ["organizations(id)"], createdBy: "0071" },
  security_events: { pk: serial, fks: [], createdBy: "0011" },
  sessions: { pk: textPk("token"), fks: ["users(id)"], createdBy: "0002" },
  shard_migration_log: { pk: id, fks: [], createdBy: "0049" },
  shard_routing: { pk: textPk("organization_id"), fks: [], createdBy: "0049" },
  stripe_metadata_keys: { pk: serial, fks: [], createdBy: "0039" },
  sync_jobs: { pk: id, fks: ["organizations(id)"], createdBy: "0003/0024" },
  terms_acceptance: { pk: rnd, fks: ["users(id)", "organizations(id)"], createdBy: "0042" },
  tracking_domains: { pk: id, fks: ["organizations(id)"], createdBy: "0032" },
  tracking_links: { pk: id, fks: ["org_tag_mappings(short_tag)"], createdBy: "0041" },
  users: { pk: id, fks: [], createdBy: "0001" },
  waitlist: { pk: id, fks: [], createdBy: "0013" },
  webhook_delivery_log: { pk: id, fks: ["webhook_events(id)"], createdBy: "0077" },
  webhook_endpoints: { pk: id, fks: [], createdBy: "0077" },
  webhook_events: { pk: id, fks: ["webhook_endpoints(id)"], createdBy: "0077" },
};

/** "Dropped Tables (migration 0081)". */
const droppedBy0081 = ["conversion_configs", "interaction_nodes", "interaction_edges", "funnel_metadata", "acquisition_instances"];

/** "`conversion_goals` Column Inventory": core + added by later migrations. */
const conversionGoalsColumns = [
  ...[
    "id",
    "organization_id",
    "name",
    "type",
    "trigger_config",
    "default_value_cents",
    "is_primary",
    "include_in_path",
    "priority",
    "created_at",
    "updated_at",
  ],
  ...["slug", "description", "goal_type", "revenue_sources", "filter_config", "value_type", "fixed_value_cents", "display_order", "color", "icon"],
  ...["is_active", "avg_deal_value_cents", "close_rate_percent", "category", "value_method", "auto_compute_value", "computed_value_cents"],
  ...["computed_value_lower_cents", "computed_value_upper_cents", "value_computed_at", "connector", "is_conversion", "position_col", "position_row"],
  ...["connector_event_type", "flow_tag", "is_exclusive", "parent_goal_ids", "source_table", "source_conditions", "source_dedup_expression"],
  "step_requirement",
];

/** "`platform_connections` Column Inventory": core + added. */
const platformConnectionsColumns = [
  ...["id", "organization_id", "platform", "account_id", "account_name", "connected_by", "connected_at", "last_synced_at", "sync_status", "sync_error"],
  ...["is_active", "settings", "settings_encrypted", "credentials_encrypted", "refresh_token_encrypted", "expires_at", "scopes", "stripe_account_id"],
  ...["stripe_livemode", "filter_rules_count", "requires_reconfiguration", "migration_notice", "shopify_shop_domain", "shopify_shop_id"],
  ...["jobber_account_id", "jobber_company_name", "needs_reauth", "reauth_reason", "reauth_detected_at", "consecutive_auth_failures"],
];

/** Section 7: 117 indexes in DB; the well-indexed tables it names. */
const totalNamedIndexes = 117;
const auditedIndexCounts: Record<string, number> = {
  conversion_goals: 5,
  platform_connections: 4,
  webhook_events: 6,
  admin_tasks: 7,
  auth_audit_logs: 7,
};

/** Foreign key columns that lead neither a named index nor the primary key, with the reason. None so far. */
const fkIndexExceptions: Record<string, string> = {};

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const columnsOf = (db: SqliteDatabase, table: string) => db.prepare(`PRAGMA table_info(${q(table)})`).all() as TableXInfoRow[];
const foreignKeysOf = (db: SqliteDatabase, table: string) => db.prepare(`PRAGMA foreign_key_list(${q(table)})`).all() as ForeignKeyListRow[];
const indexesOf = (db: SqliteDatabase, table: string) => db.prepare(`PRAGMA index_list(${q(table)})`).all() as IndexListRow[];
const indexColumns = (db: SqliteDatabase, index: string) =>
  (db.prepare(`PRAGMA index_info(${q(index)})`).all() as { seqno: number; name: string | null }[]).sort((a, b) => a.seqno - b.seqno).map((row) => row.name);
const createSql = (db: SqliteDatabase, table: string) =>
  (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;

let model: Database;
let db: SqliteDatabase;

beforeAll(async () => {
  model = await loadDatabaseModel("db");
  db = squashDatabase(model);
});

describe("DB tables", () => {
  it("are exactly the 56 tables of the audit's inventory", () => {
    const expected = Object.keys(inventory).sort();
    expect(expected).toHaveLength(56);
    expect(tableNames(db)).toEqual(expected);
  });

  it("do not include the 5 tables dropped by migration 0081", () => {
    for (const table of droppedBy0081) expect(tableNames(db)).not.toContain(table);
  });
});

describe("DB primary keys match the inventory's PK Type", () => {
  it.each(Object.entries(inventory))("%s", (table, { pk }) => {
    const columns = columnsOf(db, table);
    const keyColumns = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
    const sql = createSql(db, table);
    if (pk.kind === "autoincrement") {
      expect(keyColumns.map((column) => [column.name, column.type])).toEqual([["id", "INTEGER"]]);
      expect(sql).toMatch(/"?id"? INTEGER PRIMARY KEY AUTOINCREMENT/);
      return;
    }
    expect(sql).not.toMatch(/AUTOINCREMENT/);
    if (pk.kind === "composite") {
      expect(keyColumns.map((column) => column.name)).toEqual(pk.columns);
      expect(keyColumns.every((column) => column.type === "TEXT" && column.notnull === 1)).toBe(true);
      return;
    }
    const column = pk.kind === "randomblob" ? "id" : pk.column;
    expect(keyColumns.map((key) => [key.name, key.type])).toEqual([[column, "TEXT"]]);
    const dflt = keyColumns[0].dflt_value;
    if (pk.kind === "randomblob") expect(dflt?.replace(/^\((.*)\)$/, "$1")).toBe("lower(hex(randomblob(16)))");
    else if (pk.kind === "textDefault") expect(dflt).toBe(pk.defaultSql);
    else expect(dflt).toBeNull();
  });
});

describe("DB foreign keys match the inventory's FK References", () => {
  it.each(Object.entries(inventory))("%s", (table, { fks }) => {
    const actual = foreignKeysOf(db, table);
    // Every foreign key is single-column: one row per key.
    expect(new Set(actual.map((fk) => fk.id)).size).toBe(actual.length);
    expect(actual.map((fk) => `${fk.table}(${fk.to})`).sort()).toEqual([...fks].sort());
    // "x2" means two different columns, not one column referencing twice.
    expect(new Set(actual.map((fk) => fk.from)).size).toBe(actual.length);
  });

  it("use SET NULL only on nullable columns", () => {
    for (const table of tableNames(db)) {
      const columns = new Map(columnsOf(db, table).map((column) => [column.name, column]));
      for (const fk of foreignKeysOf(db, table).filter((key) => key.on_delete === "SET NULL")) {
        expect(columns.get(fk.from)?.notnull, `${table}.${fk.from}`).toBe(0);
      }
    }
  });

  it("count 48 in all", () => {
    const total = tableNames(db).reduce((sum, table) => sum + foreignKeysOf(db, table).length, 0);
    expect(total).toBe(Object.values(inventory).reduce((sum, row) => sum + row.fks.length, 0));
    expect(total).toBe(48);
  });

  it("point at short_tag, which is UNIQUE, for consent_configurations and tracking_links", () => {
    const unique = indexesOf(db, "org_tag_mappings").filter((index) => index.unique === 1 && index.partial === 0);
    expect(unique.some((index) => indexColumns(db, index.name).join(",") === "short_tag")).toBe(true);
    for (const table of ["consent_configurations", "tracking_links"]) {
      expect(foreignKeysOf(db, table).map((fk) => [fk.from, fk.table, fk.to])).toEqual([["org_tag", "org_tag_mappings", "short_tag"]]);
    }
  });
});

describe("DB column inventories", () => {
  it("conversion_goals has exactly the 43 audited columns", () => {
    expect(conversionGoalsColumns).toHaveLength(43);
    expect(new Set(conversionGoalsColumns).size).toBe(43);
    expect(
      columnsOf(db, "conversion_goals")
        .map((column) => column.name)
        .sort(),
    ).toEqual([...conversionGoalsColumns].sort());
  });

  it("platform_connections has exactly the 30 audited columns", () => {
    expect(platformConnectionsColumns).toHaveLength(30);
    expect(new Set(platformConnectionsColumns).size).toBe(30);
    expect(
      columnsOf(db, "platform_connections")
        .map((column) => column.name)
        .sort(),
    ).toEqual([...platformConnectionsColumns].sort());
  });

  it("stores cents, flags, positions and counters as INTEGER and ids, JSON and timestamps as TEXT", () => {
    for (const table of ["conversion_goals", "platform_connections"]) {
      for (const column of columnsOf(db, table)) {
        const name = column.name;
        if (/_cents$|^is_|^needs_|^requires_|^auto_|_percent$|^position_|_count$|_failures$|^priority$|^display_order$|_livemode$/.test(name)) {
          expect(column.type, `${table}.${name}`).toBe("INTEGER");
        }
        if (/_at$|_id$|^id$|_config$|^settings$|^scopes$|_ids$|_sources$|_conditions$/.test(name)) {
          expect(column.type, `${table}.${name}`).toBe("TEXT");
        }
      }
    }
  });
});

describe("DB indexes", () => {
  it(`are ${totalNamedIndexes} named indexes in all`, () => {
    expect(namedIndexes(db)).toHaveLength(totalNamedIndexes);
  });

  it.each(Object.entries(auditedIndexCounts))("%s has the audited %i", (table, count) => {
    expect(namedIndexes(db, table)).toHaveLength(count);
  });

  it("are named idx_<table>_...", () => {
    for (const index of namedIndexes(db)) expect(index.name.startsWith(`idx_${index.tbl_name}_`), index.name).toBe(true);
  });

  it("cover every foreign key column: it leads a full named index or the primary key", () => {
    const uncovered: string[] = [];
    for (const table of tableNames(db)) {
      const primaryKey = columnsOf(db, table).find((column) => column.pk === 1)?.name;
      const leading = new Set(
        indexesOf(db, table)
          .filter((index) => index.origin === "c" && index.partial === 0)
          .map((index) => indexColumns(db, index.name)[0]),
      );
      for (const fk of foreignKeysOf(db, table)) {
        const where = `${table}.${fk.from}`;
        if (fk.from !== primaryKey && !leading.has(fk.from) && !(where in fkIndexExceptions)) uncovered.push(where);
      }
    }
    expect(uncovered).toEqual([]);
  });
});

describe("DB rows", () => {
  it("take one representative row in every table, parents first, with foreign keys on", () => {
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    const tables = tableNames(db);
    const fksByTable = new Map(tables.map((table) => [table, foreignKeysOf(db, table)]));
    const order = parentsFirst(tables, fksByTable);
    const logical = new Map(model.tables.map((table) => [table.name, new Map(table.columns.map((column) => [column.name, column.logical]))]));
    const rows = new Map<string, Record<string, unknown>>();

    for (const table of order) {
      const fks = fksByTable.get(table)!;
      const values: Record<string, unknown> = {};
      for (const column of columnsOf(db, table)) {
        const fk = fks.find((key) => key.from === column.name);
        if (fk) {
          values[column.name] = rows.get(fk.table)![fk.to!];
        } else if (column.name in (requiredValues[table] ?? {})) {
          values[column.name] = requiredValues[table][column.name];
        } else if (column.dflt_value !== null || (column.pk === 1 && column.type === "INTEGER")) {
          continue; // the default (or the rowid) fills it
        } else if (column.notnull === 1 || column.pk > 0) {
          values[column.name] = sampleValue(table, column, logical.get(table)?.get(column.name));
        }
      }
      const names = Object.keys(values);
      const sql = `INSERT INTO ${q(table)} (${names.map(q).join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING *`;
      const row = db.prepare(sql).get(...names.map((name) => values[name])) as Record<string, unknown>;
      rows.set(table, row);
    }

    expect([...rows.keys()].sort()).toEqual(tables);
    for (const table of tables) {
      expect((db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n, table).toBe(1);
    }
    expect(db.pragma("foreign_key_check")).toEqual([]);
    // Every FK column of the representative rows is filled, so the check above really checked something.
    for (const [table, fks] of fksByTable) {
      for (const fk of fks) expect(rows.get(table)![fk.from], `${table}.${fk.from}`).not.toBeNull();
    }
    // And the keys are enforced: a dangling reference is refused.
    expect(() => db.prepare("INSERT INTO sessions (token, user_id, expires_at) VALUES ('t2', 'no-such-user', '2030-01-01')").run()).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });
});

describe("DB metadata", () => {
  it("records the audit's Created By for every table", () => {
    const createdIn = Object.fromEntries(model.tables.map((table) => [table.name, table.createdIn]));
    expect(createdIn).toEqual(Object.fromEntries(Object.entries(inventory).map(([table, row]) => [table, row.createdBy])));
  });

  it("describes every table", () => {
    for (const table of model.tables) expect(table.description?.length ?? 0, table.name).toBeGreaterThan(10);
  });
});

/** NOT NULL columns without a default whose CHECK constrains the value. */
const requiredValues: Record<string, Record<string, unknown>> = {
  admin_tasks: { task_type: "support" },
  event_sync_watermarks: { last_sync_status: "success" },
  goal_branches: { branch_type: "split" },
  goal_conversion_stats: { period_type: "daily" },
  goal_relationships: { relationship_type: "funnel" },
  audit_retention_policy: { retention_days: 90 },
};

function sampleValue(table: string, column: TableXInfoRow, logical: string | undefined): unknown {
  switch (logical) {
    case "json":
      return "{}";
    case "boolean":
      return 1;
    case "timestamp_iso":
      return "2026-02-01 00:00:00";
    case "timestamp_unix":
      return 1_769_904_000;
  }
  if (column.type === "INTEGER") return 1;
  if (column.type === "REAL") return 1.5;
  return `${table}.${column.name}`;
}

/** Tables ordered so that every parent comes before its children (self-references ignored). */
function parentsFirst(tables: string[], fksByTable: Map<string, ForeignKeyListRow[]>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (done.has(table)) return;
    if (path.includes(table)) throw new Error(`foreign key cycle: ${[...path, table].join(" -> ")}`);
    for (const fk of fksByTable.get(table) ?? []) if (fk.table !== table) visit(fk.table, [...path, table]);
    done.add(table);
    order.push(table);
  };
  for (const table of tables) visit(table, []);
  return order;
}
