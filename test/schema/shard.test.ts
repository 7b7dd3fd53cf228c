/**
 * The shard schema (audit section 5): SHARD_0 to SHARD_3 share one schema with the 9 active tables of shard
 * migrations 0002 (pre-aggregation) and 0003 (unified ad tables), plus the 16 legacy google_/facebook_/tiktok_ tables
 * of 0001, deprecated. Every table is ANALYTICS_DB's definition re-exported with the shard's metadata.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TableDefinition } from "../../generator/dsl/index.js";
import type { Database } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import * as analyticsAdPlatforms from "../../schema/analytics_db/ad-platforms.js";
import * as analyticsLegacyPlatforms from "../../schema/_shared/legacy-platform-tables.js";
import * as analyticsPreAggregation from "../../schema/analytics_db/pre-aggregation.js";
import * as shardAdPlatforms from "../../schema/shard/ad-platforms.js";
import * as shardLegacyPlatforms from "../../schema/shard/legacy-platforms.js";
import * as shardPreAggregation from "../../schema/shard/pre-aggregation.js";
import { loadDatabaseModel, namedIndexes, squashDatabase, tableNames } from "../helpers/clearlift.js";
import type { ForeignKeyListRow, TableXInfoRow } from "../../generator/sqlite/pragma-rows.js";

const preAggregationTables = ["aggregation_jobs", "campaign_period_summary", "org_daily_summary", "org_timeseries", "platform_comparison"];
const unifiedAdTables = ["ad_campaigns", "ad_groups", "ad_metrics", "ads"];
/** The audit's legacy list without facebook_pages: exactly what ANALYTICS_DB's 0047 drops. */
const legacyTables = [
  "google_campaigns",
  "google_ad_groups",
  "google_ads",
  "google_campaign_daily_metrics",
  "google_ad_group_daily_metrics",
  "google_ad_daily_metrics",
  "facebook_campaigns",
  "facebook_ad_sets",
  "facebook_ads",
  "facebook_campaign_daily_metrics",
  "facebook_ad_set_daily_metrics",
  "facebook_ad_daily_metrics",
  "tiktok_campaigns",
  "tiktok_ad_groups",
  "tiktok_ads",
  "tiktok_campaign_daily_metrics",
];
const allTables = [...preAggregationTables, ...unifiedAdTables, ...legacyTables].sort();

/** Values the generic row builder cannot guess (CHECK constraints, meaningful enums). */
const overrides: Record<string, Record<string, string | number>> = {
  ad_campaigns: { platform: "google" },
  ad_groups: { platform: "google" },
  ads: { platform: "google" },
  ad_metrics: { platform: "google", entity_type: "campaign", entity_id: "ad_campaigns_1", metric_date: "2026-02-01" },
};

const tablesOf = (...modules: Record<string, unknown>[]): TableDefinition[] =>
  modules.flatMap((module) => Object.values(module)).filter((value): value is TableDefinition => (value as TableDefinition)?.kind === "table");

let model: Database;
let db: SqliteDatabase;

beforeAll(async () => {
  model = await loadDatabaseModel("shard");
  db = squashDatabase(model);
});

describe("the shard schema", () => {
  it("serves the 4 shard bindings with one schema", () => {
    expect(model.name).toBe("SHARD");
    expect(model.bindings).toEqual(["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"]);
  });

  it("has the 25 tables: 5 of 0002, 4 of 0003, 16 legacy of 0001", () => {
    expect(allTables).toHaveLength(25);
    expect(tableNames(db)).toEqual(allTables);
    expect(tableNames(db)).not.toContain("facebook_pages");
  });

  it("records the shard migration that created each table", () => {
    const createdIn = Object.fromEntries(model.tables.map((table) => [table.name, table.createdIn]));
    for (const table of preAggregationTables) expect(createdIn[table], table).toBe("0002");
    for (const table of unifiedAdTables) expect(createdIn[table], table).toBe("0003");
    for (const table of legacyTables) expect(createdIn[table], table).toBe("0001");
  });

  it("deprecates exactly the 16 legacy tables, naming their replacement", () => {
    const deprecated = model.tables.filter((table) => table.deprecated !== undefined);
    expect(deprecated.map((table) => table.name).sort()).toEqual([...legacyTables].sort());
    for (const table of deprecated) expect(table.deprecated, table.name).toMatch(/replaced by (ad_campaigns|ad_groups|ads|ad_metrics)\b/);
    const replacement = (name: string) => model.tables.find((table) => table.name === name)!.deprecated!.match(/replaced by (\w+)/)![1];
    expect(replacement("facebook_ad_sets")).toBe("ad_groups");
    expect(replacement("tiktok_campaign_daily_metrics")).toBe("ad_metrics");
  });

  it("reuses ANALYTICS_DB's definitions instead of repeating them", () => {
    const analytics = new Map(tablesOf(analyticsPreAggregation, analyticsAdPlatforms, analyticsLegacyPlatforms).map((table) => [table.spec.name, table]));
    const shard = tablesOf(shardPreAggregation, shardAdPlatforms, shardLegacyPlatforms);
    expect(shard.map((table) => table.spec.name).sort()).toEqual(allTables);
    for (const table of shard) {
      const source = analytics.get(table.spec.name);
      expect(source, table.spec.name).toBeDefined();
      expect(table.spec.columns, table.spec.name).toBe(source!.spec.columns);
      expect(table.spec.options.indexes, table.spec.name).toBe(source!.spec.options.indexes);
      expect(table.spec.options.primaryKey, table.spec.name).toBe(source!.spec.options.primaryKey);
      expect(table.spec.options.unique, table.spec.name).toBe(source!.spec.options.unique);
      expect(table.spec.options.foreignKeys, table.spec.name).toBe(source!.spec.options.foreignKeys);
    }
  });

  it("creates every declared index, with names unique in the shard database", () => {
    const declared = model.tables.flatMap((table) => table.indexes.map((index) => index.name)).sort();
    expect(new Set(declared).size).toBe(declared.length);
    expect(namedIndexes(db).map((row) => row.name)).toEqual(declared);
  });

  it("keeps foreign keys inside the shard, each column leading an index or the primary key", () => {
    for (const table of allTables) {
      const foreignKeys = db.pragma(`foreign_key_list(${table})`) as ForeignKeyListRow[];
      const leading = new Set<string>();
      for (const index of db.pragma(`index_list(${table})`) as { name: string }[]) {
        const first = (db.pragma(`index_info(${index.name})`) as { seqno: number; name: string }[]).find((row) => row.seqno === 0);
        if (first) leading.add(first.name);
      }
      for (const key of foreignKeys) {
        expect(allTables, `${table}.${key.from}`).toContain(key.table);
        expect(leading.has(key.from), `${table}.${key.from} leads no index`).toBe(true);
      }
    }
  });

  it("takes a row in every table with foreign keys on", () => {
    const rows = squashDatabase(model);
    expect(rows.pragma("foreign_keys", { simple: true })).toBe(1);
    // Parents first, so every foreign key has a row to point at.
    const parents = new Map(allTables.map((table) => [table, rows.pragma(`foreign_key_list(${table})`) as ForeignKeyListRow[]]));
    const order: string[] = [];
    const visit = (table: string) => {
      if (order.includes(table)) return;
      for (const key of parents.get(table)!) if (key.table !== table) visit(key.table);
      order.push(table);
    };
    allTables.forEach(visit);

    for (const table of order) {
      const keys = new Map(parents.get(table)!.map((key) => [key.from, key]));
      const row: Record<string, string | number> = {};
      for (const column of rows.pragma(`table_xinfo(${table})`) as TableXInfoRow[]) {
        if (column.hidden !== 0) continue;
        const key = keys.get(column.name);
        if (key)
          row[column.name] = `${key.table}_1`; // every parent's key column is its TEXT id
        else if (column.pk === 1 && column.type === "TEXT") row[column.name] = `${table}_1`;
        else if (column.notnull === 1 && column.dflt_value === null) row[column.name] = column.type === "TEXT" ? `${column.name}_1` : 1;
      }
      Object.assign(row, overrides[table]);
      const columns = Object.keys(row);
      rows.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row);
    }
    expect(rows.pragma("foreign_key_check")).toEqual([]);
    for (const table of allTables) expect(rows.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 1 });

    // The foreign keys are enforced: an ad group under a missing campaign is refused.
    const adGroupKey = parents.get("ad_groups")!.find((key) => key.table === "ad_campaigns")!;
    expect(() => rows.prepare(`UPDATE ad_groups SET ${adGroupKey.from} = 'missing'`).run()).toThrow(/FOREIGN KEY/);
    rows.close();
  });
});
