/**
 * ANALYTICS_DB's ad platform, unified-domain and legacy tables against the February 2026 schema audit (sections 4,
 * 5, 6 and 7). The model is built from the unified files and facebook-pages.ts alone (the core analytics, conversion,
 * identity and revenue source tables are tested with their own files) and checked through the fresh squash in
 * SQLite: tables, createdIn, index counts, foreign keys covered by indexes, and a representative row in every table.
 *
 * The 16 legacy google_/facebook_/tiktok_ tables are gone from ANALYTICS_DB (0047_drop_legacy_platform_tables); their
 * definitions live on in schema/_shared/legacy-platform-tables.ts for the shards. Checked here: those definitions
 * are deprecated with the audit's replacement, nothing in schema/analytics_db/ declares or references them, and the
 * committed 0047 drops exactly them from production's 0045 baseline, facebook_pages kept.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TableDefinition } from "../../generator/dsl/index.js";
import type { Table } from "../../generator/model/model.js";
import { parentFirst } from "../../generator/plan/fk-graph.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import * as legacyPlatforms from "../../schema/_shared/legacy-platform-tables.js";
import * as accounting from "../../schema/analytics_db/accounting.js";
import * as adPlatforms from "../../schema/analytics_db/ad-platforms.js";
import * as affiliate from "../../schema/analytics_db/affiliate.js";
import * as attributionPlatforms from "../../schema/analytics_db/attribution-platforms.js";
import * as communication from "../../schema/analytics_db/communication.js";
import * as crm from "../../schema/analytics_db/crm.js";
import * as ecommerce from "../../schema/analytics_db/ecommerce.js";
import * as events from "../../schema/analytics_db/events.js";
import * as facebookPages from "../../schema/analytics_db/facebook-pages.js";
import * as forms from "../../schema/analytics_db/forms.js";
import * as payments from "../../schema/analytics_db/payments.js";
import * as reviews from "../../schema/analytics_db/reviews.js";
import * as scheduling from "../../schema/analytics_db/scheduling.js";
import * as social from "../../schema/analytics_db/social.js";
import * as support from "../../schema/analytics_db/support.js";
import * as webAnalytics from "../../schema/analytics_db/web-analytics.js";
import { loadDatabaseModel, migrationsDatabase, migrationsDir, namedIndexes, schemaDir, squashDatabase, tableNames } from "../helpers/clearlift.js";
import { applyLikeD1, foreignKeyViolations, modelOf, shapeOf } from "../helpers/evolve.js";
import type { ForeignKeyListRow } from "../../generator/sqlite/pragma-rows.js";

// ---------------------------------------------------------------------------------------------
// The audit, as data
// ---------------------------------------------------------------------------------------------

/** "Unified Tables (64 tables — migrations 0019-0033)": each migration, its file here, its tables, its writer. */
const unified = [
  { createdIn: "0019", module: adPlatforms, shipped: true, tables: ["ad_campaigns", "ad_groups", "ads", "ad_metrics"] },
  { createdIn: "0020", module: crm, shipped: true, tables: ["crm_contacts", "crm_companies", "crm_deals", "crm_activities"] },
  {
    createdIn: "0021",
    module: communication,
    shipped: false,
    tables: ["comm_campaigns", "comm_subscribers", "comm_engagements", "comm_lists", "comm_campaign_metrics"],
  },
  {
    createdIn: "0022",
    module: ecommerce,
    shipped: true,
    tables: ["ecommerce_customers", "ecommerce_orders", "ecommerce_order_items", "ecommerce_products", "ecommerce_refunds"],
  },
  {
    createdIn: "0023",
    module: payments,
    shipped: true,
    tables: ["payments_customers", "payments_subscriptions", "payments_transactions", "payments_invoices", "payments_plans"],
  },
  { createdIn: "0024", module: support, shipped: false, tables: ["support_customers", "support_tickets", "support_conversations", "support_messages"] },
  {
    createdIn: "0025",
    module: scheduling,
    shipped: true,
    tables: ["scheduling_customers", "scheduling_services", "scheduling_appointments", "scheduling_availability"],
  },
  { createdIn: "0026", module: forms, shipped: false, tables: ["forms_definitions", "forms_submissions", "forms_responses"] },
  { createdIn: "0027", module: events, shipped: false, tables: ["events_definitions", "events_registrations", "events_attendees", "events_recordings"] },
  { createdIn: "0028", module: webAnalytics, shipped: false, tables: ["analytics_users", "analytics_sessions", "analytics_events", "analytics_page_views"] },
  {
    createdIn: "0029",
    module: accounting,
    shipped: false,
    tables: ["accounting_customers", "accounting_invoices", "accounting_expenses", "accounting_payments", "accounting_accounts"],
  },
  {
    createdIn: "0030",
    module: attributionPlatforms,
    shipped: false,
    tables: ["attribution_installs", "attribution_events", "attribution_revenue", "attribution_cohorts"],
  },
  { createdIn: "0031", module: reviews, shipped: false, tables: ["reviews_profiles", "reviews_items", "reviews_responses", "reviews_aggregates"] },
  { createdIn: "0032", module: affiliate, shipped: false, tables: ["affiliate_partners", "affiliate_referrals", "affiliate_conversions", "affiliate_payouts"] },
  {
    createdIn: "0033",
    module: social,
    shipped: false,
    tables: ["social_profiles", "social_posts", "social_followers", "social_engagements", "social_metrics"],
  },
];

/** "Legacy Platform-Specific Tables (16 DROPPED by 0047, 1 retained)": table → its "Replaced By". */
const legacyReplacedBy: Record<string, string> = {
  google_campaigns: "ad_campaigns",
  google_ad_groups: "ad_groups",
  google_ads: "ads",
  google_campaign_daily_metrics: "ad_metrics",
  google_ad_group_daily_metrics: "ad_metrics",
  google_ad_daily_metrics: "ad_metrics",
  facebook_campaigns: "ad_campaigns",
  facebook_ad_sets: "ad_groups",
  facebook_ads: "ads",
  facebook_campaign_daily_metrics: "ad_metrics",
  facebook_ad_set_daily_metrics: "ad_metrics",
  facebook_ad_daily_metrics: "ad_metrics",
  tiktok_campaigns: "ad_campaigns",
  tiktok_ad_groups: "ad_groups",
  tiktok_ads: "ads",
  tiktok_campaign_daily_metrics: "ad_metrics",
};
const legacyTables = Object.keys(legacyReplacedBy);
const unifiedTables = unified.flatMap((migration) => migration.tables);
/** What stays after 0047: the unified tables and facebook_pages. */
const finalTables = [...unifiedTables, "facebook_pages"];

// ---------------------------------------------------------------------------------------------
// The model and its squash
// ---------------------------------------------------------------------------------------------

const tablesOf = (module: Record<string, unknown>): TableDefinition[] =>
  Object.values(module).filter((value): value is TableDefinition => (value as { kind?: unknown } | null)?.kind === "table");

const ownModules = [...unified.map((migration) => migration.module), facebookPages];
const model = modelOf(ownModules.flatMap(tablesOf), { name: "ANALYTICS_DB" });
const tableByName = new Map(model.tables.map((table) => [table.name, table]));
const freshDb = () => squashDatabase(model);

function foreignKeysOf(db: SqliteDatabase, table: string): { columns: string[]; parent: string; onDelete: string }[] {
  const rows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(table) as ForeignKeyListRow[];
  const byId = new Map<number, { columns: string[]; parent: string; onDelete: string }>();
  for (const row of rows) {
    const key = byId.get(row.id) ?? { columns: [], parent: row.table, onDelete: row.on_delete };
    key.columns.push(row.from);
    byId.set(row.id, key);
  }
  return [...byId.values()];
}

/** Column lists SQLite can search by a leading prefix: the primary key and every full (not partial) index. */
function searchableKeys(db: SqliteDatabase, table: string): string[][] {
  const primaryKey = (db.prepare(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as { name: string }[]).map((row) => row.name);
  const indexes = db.prepare(`SELECT name, partial FROM pragma_index_list(?)`).all(table) as { name: string; partial: number }[];
  const indexColumns = indexes
    .filter((index) => index.partial === 0)
    .map((index) =>
      (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(index.name) as { name: string | null }[]).map((row) => row.name ?? ""),
    );
  return [primaryKey, ...indexColumns].filter((columns) => columns.length > 0);
}

const leads = (key: string[], columns: string[]) => columns.every((column, position) => key[position] === column);

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe("ANALYTICS_DB ad platform, unified and legacy tables (audit sections 4, 5, 6, 7)", () => {
  it("has the 64 unified tables and facebook_pages, each unified table createdIn its audit migration and file", () => {
    expect(unifiedTables).toHaveLength(64);
    const db = freshDb();
    expect(tableNames(db)).toEqual([...finalTables].sort());
    for (const migration of unified) {
      expect(
        tablesOf(migration.module)
          .map((definition) => definition.spec.name)
          .sort(),
        migration.createdIn,
      ).toEqual([...migration.tables].sort());
      for (const name of migration.tables) {
        const table = tableByName.get(name)!;
        expect(table.createdIn, name).toBe(migration.createdIn);
        expect(table.deprecated, name).toBeUndefined();
        expect(table.description, name).toMatch(migration.shipped ? /Shipped — / : /Scaffolded: no writer yet/);
      }
    }
    const pages = tableByName.get("facebook_pages")!;
    expect(pages.createdIn).toBeUndefined();
    expect(pages.deprecated).toBeUndefined();
    expect(pages.description).toMatch(/facebook-ads-sync/);
  });

  it("keeps the 16 legacy definitions in schema/_shared/legacy-platform-tables.ts, all deprecated with the audit's replacement", () => {
    expect(
      tablesOf(legacyPlatforms)
        .map((definition) => definition.spec.name)
        .sort(),
    ).toEqual([...legacyTables].sort());
    const legacyModel = modelOf(tablesOf(legacyPlatforms), { name: "ANALYTICS_DB" });
    expect(legacyModel.tables.map((table) => table.name).sort()).toEqual([...legacyTables].sort());
    for (const table of legacyModel.tables) {
      expect(table.deprecated, table.name).toBe(`Never written to; replaced by ${legacyReplacedBy[table.name]}`);
      expect(finalTables, table.name).toContain(legacyReplacedBy[table.name]);
      expect(table.createdIn, table.name).toBeUndefined(); // the audit names no creating migration; the shards add 0001
      // No foreign keys among themselves either (their *_ref columns are plain TEXT links).
      expect(table.foreignKeys, table.name).toEqual([]);
    }
    expect(tablesOf(legacyPlatforms).map((definition) => definition.spec.name)).not.toContain("facebook_pages");
  });

  it("has no legacy table left in schema/analytics_db/: none declared, none named like one, none referenced", async () => {
    const whole = await loadDatabaseModel("analytics_db");
    const names = whole.tables.map((table) => table.name);
    for (const name of legacyTables) expect(names).not.toContain(name);
    // The only google_/facebook_/tiktok_ table left is facebook_pages.
    expect(names.filter((name) => /^(google|facebook|tiktok)_/.test(name))).toEqual(["facebook_pages"]);
    for (const table of whole.tables) {
      for (const foreignKey of table.foreignKeys) expect(legacyTables, `${table.name} → ${foreignKey.table}`).not.toContain(foreignKey.table);
    }
    // No file of the folder imports the legacy definitions or declares a foreign key to a legacy table
    // (.references("t") or a composite key's table: "t"); legacy-platforms.ts itself is gone.
    const folder = path.join(schemaDir, "analytics_db");
    const files = readdirSync(folder).filter((name) => name.endsWith(".ts"));
    expect(files).not.toContain("legacy-platforms.ts");
    const foreignKeyTo = new RegExp(`(?:references\\(|table:)\\s*["'\`](${legacyTables.join("|")})["'\`]`);
    for (const file of files) {
      const source = readFileSync(path.join(folder, file), "utf8");
      expect(source, file).not.toMatch(/from\s+["'][^"']*legacy-platform/);
      expect(source, file).not.toMatch(foreignKeyTo);
    }
  });

  it("drops exactly the 16 legacy tables with the committed 0047, and nothing else: 0045 then 0047 keeps facebook_pages", () => {
    const sql = readFileSync(path.join(migrationsDir, "analytics_db", "0047_drop_legacy_platform_tables.sql"), "utf8");
    const statements = sql
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("--"))
      .join("\n")
      .split(";")
      .map((statement) => statement.trim())
      .filter((statement) => statement !== "");
    expect(statements).toHaveLength(16);
    const dropped = statements.map((statement) => statement.match(/^DROP TABLE (?:IF EXISTS )?"?(\w+)"?$/)?.[1]);
    expect(dropped.sort()).toEqual([...legacyTables].sort());

    const db = migrationsDatabase("analytics_db", 45);
    const before = new Map((shapeOf(db) as { name: string }[]).map((table) => [table.name, table]));
    const indexesBefore = namedIndexes(db);
    expect(tableNames(db)).toHaveLength(128);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    applyLikeD1(db, sql);
    const after = new Map((shapeOf(db) as { name: string }[]).map((table) => [table.name, table]));
    expect([...before.keys()].filter((name) => !after.has(name)).sort()).toEqual([...legacyTables].sort());
    expect([...after.keys()].filter((name) => !before.has(name))).toEqual([]);
    for (const [name, shape] of after) expect(shape, name).toEqual(before.get(name));
    expect(namedIndexes(db)).toEqual(indexesBefore.filter((index) => !legacyTables.includes(index.tbl_name)));
    expect(tableNames(db)).toHaveLength(112); // 128 - 16; 0046 adds the 2 handoff tables for today's 114
    expect(tableNames(db)).toContain("facebook_pages");
    for (const name of finalTables) expect(tableNames(db), name).toContain(name);
    expect(foreignKeyViolations(db)).toEqual([]);
    db.close();
  });

  it("has the audit's index counts: ad_metrics 5, comm_engagements 8, 195-205 on the final tables (200 today)", () => {
    const db = freshDb();
    expect(namedIndexes(db, "ad_metrics")).toHaveLength(5);
    expect(namedIndexes(db, "comm_engagements")).toHaveLength(8);
    const finalCount = finalTables.reduce((count, name) => count + namedIndexes(db, name).length, 0);
    expect(finalCount).toBeGreaterThanOrEqual(195);
    expect(finalCount).toBeLessThanOrEqual(205);
    // Every index is named after its table, so none can collide with the other ANALYTICS_DB files' short prefixes.
    for (const index of namedIndexes(db)) expect(index.name.startsWith(`idx_${index.tbl_name}_`), index.name).toBe(true);
  });

  it("had 2-3 named indexes per legacy table in production (0045), 39 in all, each named after its table", () => {
    const db = migrationsDatabase("analytics_db", 45);
    for (const name of legacyTables) {
      const count = namedIndexes(db, name).length;
      expect(count, name).toBeGreaterThanOrEqual(2);
      expect(count, name).toBeLessThanOrEqual(3);
      for (const index of namedIndexes(db, name)) expect(index.name.startsWith(`idx_${name}_`), index.name).toBe(true);
    }
    expect(legacyTables.reduce((count, name) => count + namedIndexes(db, name).length, 0)).toBe(39);
    db.close();
  });

  it("leads an index or the primary key with every foreign key and with organization_id", () => {
    const db = freshDb();
    for (const name of tableNames(db)) {
      const keys = searchableKeys(db, name);
      for (const foreignKey of foreignKeysOf(db, name)) {
        expect(
          keys.some((key) => leads(key, foreignKey.columns)),
          `${name}(${foreignKey.columns.join(", ")})`,
        ).toBe(true);
      }
      expect(
        keys.some((key) => key[0] === "organization_id"),
        `${name}.organization_id`,
      ).toBe(true);
    }
  });

  it("nests rows with foreign keys where the data nests", () => {
    const db = freshDb();
    const action = (child: string, column: string) => foreignKeysOf(db, child).find((key) => key.columns.join() === column);
    expect(action("ad_groups", "campaign_id")).toEqual({ columns: ["campaign_id"], parent: "ad_campaigns", onDelete: "CASCADE" });
    expect(action("ads", "ad_group_id")).toEqual({ columns: ["ad_group_id"], parent: "ad_groups", onDelete: "CASCADE" });
    expect(action("ecommerce_order_items", "order_id")).toEqual({ columns: ["order_id"], parent: "ecommerce_orders", onDelete: "CASCADE" });
    expect(action("crm_deals", "company_id")).toEqual({ columns: ["company_id"], parent: "crm_companies", onDelete: "SET NULL" });
    expect(action("forms_responses", "submission_id")).toEqual({ columns: ["submission_id"], parent: "forms_submissions", onDelete: "CASCADE" });
    // ad_metrics points at a campaign, ad group or ad through entity_type + entity_id: no single parent.
    expect(foreignKeysOf(db, "ad_metrics")).toEqual([]);
  });

  it("takes a representative row in every table, parents first, with foreign keys on and foreign_key_check clean", () => {
    const db = freshDb();
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    const inserted = new Map<string, Record<string, unknown>>();
    const overrides: Record<string, unknown> = { "ad_metrics.entity_type": "campaign" };
    for (const table of parentFirst(model.tables)) {
      const row = representativeRow(table, inserted, overrides);
      const columns = Object.keys(row);
      db.prepare(`INSERT INTO "${table.name}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).run(
        ...Object.values(row),
      );
      inserted.set(table.name, row);
    }
    expect(foreignKeyViolations(db)).toEqual([]);
    for (const name of tableNames(db)) expect(db.prepare(`SELECT count(*) AS n FROM "${name}"`).get(), name).toEqual({ n: 1 });
    // The links are real: each child row points at its parent's row.
    const group = db.prepare(`SELECT c.name FROM ad_groups g JOIN ad_campaigns c ON c.id = g.campaign_id`).get();
    expect(group).toEqual({ name: "ad_campaigns.name" });
  });
});

/** A full row for `table`: foreign keys point at the parent's row, every other column gets a value of its type. */
function representativeRow(table: Table, inserted: Map<string, Record<string, unknown>>, overrides: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of table.columns) {
    const key = `${table.name}.${column.name}`;
    row[column.name] = key in overrides ? overrides[key] : sampleValue(table.name, column);
  }
  row.id = `${table.name}-1`;
  for (const foreignKey of table.foreignKeys) {
    const parent = inserted.get(foreignKey.table);
    if (!parent) throw new Error(`${table.name}: parent ${foreignKey.table} has no row yet`);
    foreignKey.columns.forEach((column, position) => (row[column] = parent[foreignKey.refColumns[position]]));
  }
  return row;
}

function sampleValue(table: string, column: Table["columns"][number]): unknown {
  switch (column.logical) {
    case "text":
      return `${table}.${column.name}`;
    case "integer":
    case "boolean":
      return 1;
    case "real":
    case "numeric":
      return 0.5;
    case "timestamp_iso":
      return "2026-02-01 12:00:00";
    case "timestamp_unix":
      return 1769947200;
    case "json":
      return column.tsType?.endsWith("[]") ? JSON.stringify([]) : JSON.stringify({ sample: true });
    case "blob":
      return Buffer.from("sample");
  }
}
