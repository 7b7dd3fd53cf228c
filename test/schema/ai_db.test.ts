/**
 * AI_DB as production has it at migration 0007 (the schema audit, section 3): 11 tables including the dead
 * cac_history copy and 19 named indexes, as the committed baseline 0007_production_baseline.sql builds it. The
 * schema today is after 0008_drop_dead_cac_history.sql: 10 tables and 17 named indexes.
 *
 * Everything structural is read back from SQLite (PRAGMAs and sqlite_schema), metadata from the loaded model.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { loadDatabaseModel, migrationsDatabase, namedIndexes, squashDatabase, tableNames } from "../helpers/clearlift.js";
import { shapeOf } from "../helpers/evolve.js";
import type { IndexListRow, TableXInfoRow } from "../../generator/sqlite/pragma-rows.js";

const allTables = [
  "ai_decisions",
  "ai_org_configs",
  "ai_tool_registry",
  "analysis_jobs",
  "analysis_logs",
  "analysis_prompts",
  "analysis_summaries",
  "attribution_model_results",
  "cac_baselines",
  "cac_history",
  "cac_predictions",
];

/** The audit's "Created By" column. */
const createdIn: Record<string, string> = {
  ai_decisions: "0001",
  ai_org_configs: "0001",
  ai_tool_registry: "0001",
  analysis_jobs: "0002",
  analysis_logs: "0002",
  analysis_prompts: "0002",
  analysis_summaries: "0002",
  attribution_model_results: "0004",
  cac_baselines: "0005",
  cac_history: "0005/0006",
  cac_predictions: "0005",
};

/** Tables whose key is `id TEXT` filled by `lower(hex(randomblob(16)))`. */
const randomblobTables = [
  "ai_decisions",
  "analysis_jobs",
  "analysis_logs",
  "analysis_prompts",
  "analysis_summaries",
  "cac_baselines",
  "cac_history",
  "cac_predictions",
];

/** The audit's "Notable Columns" (plus cac_history's goal columns and the columns the brief lists), with SQL types. */
const notableColumns: Record<string, Record<string, string>> = {
  ai_decisions: { organization_id: "TEXT", status: "TEXT", parameters: "TEXT", simulation_data: "TEXT" },
  ai_org_configs: { is_enabled: "INTEGER", auto_execute: "INTEGER", min_confidence: "TEXT" },
  ai_tool_registry: { entity_types: "TEXT", api_endpoint: "TEXT" },
  analysis_jobs: { organization_id: "TEXT", status: "TEXT", current_level: "TEXT", termination_reason: "TEXT" },
  analysis_logs: { organization_id: "TEXT", provider: "TEXT", model: "TEXT", input_tokens: "INTEGER", output_tokens: "INTEGER" },
  analysis_prompts: { slug: "TEXT", template: "TEXT", level: "TEXT" },
  analysis_summaries: { organization_id: "TEXT", metrics_snapshot: "TEXT", expires_at: "TEXT" },
  attribution_model_results: {
    organization_id: "TEXT",
    model: "TEXT",
    channel: "TEXT",
    computation_date: "TEXT",
    removal_effect: "REAL",
    shapley_value: "REAL",
  },
  cac_baselines: { organization_id: "TEXT", actual_cac_cents: "INTEGER", baseline_cac_cents: "INTEGER" },
  cac_history: {
    organization_id: "TEXT",
    date: "TEXT",
    spend_cents: "INTEGER",
    conversions: "INTEGER",
    cac_cents: "INTEGER",
    conversions_goal: "INTEGER",
    conversions_platform: "INTEGER",
    conversion_source: "TEXT",
    goal_ids: "TEXT",
    revenue_goal_cents: "INTEGER",
  },
  cac_predictions: { organization_id: "TEXT", predicted_cac_cents: "INTEGER", prediction_date: "TEXT" },
};

/** One representative row per table, inserted parents first (AI_DB has no foreign keys, so any order works). */
const representativeRows: Record<string, Record<string, string | number | null>> = {
  ai_decisions: {
    organization_id: "org_1",
    tool: "set_budget",
    platform: "google",
    entity_type: "campaign",
    entity_id: "cmp_1",
    entity_name: "Brand search",
    parameters: JSON.stringify({ amount_cents: 15000, budget_type: "daily" }),
    reason: "CAC is 40% below target; room to scale.",
    predicted_impact: -15.5,
    expires_at: "2026-02-10T00:00:00Z",
    simulation_data: JSON.stringify({ runs: 100 }),
  },
  ai_org_configs: { organization_id: "org_1", auto_execute: 1 },
  ai_tool_registry: {
    tool: "set_budget",
    platform: "google",
    entity_types: JSON.stringify(["campaign"]),
    api_endpoint: "/v1/analytics/google/campaigns/{entity_id}/budget",
  },
  analysis_jobs: { organization_id: "org_1", days: 30, status: "running", current_level: "campaign", analysis_run_id: "run_1" },
  analysis_logs: {
    organization_id: "org_1",
    level: "campaign",
    provider: "anthropic",
    model: "claude-opus",
    input_tokens: 1200,
    output_tokens: 300,
    analysis_run_id: "run_1",
  },
  analysis_prompts: { slug: "campaign-google", level: "campaign", platform: "google", template: "Analyse {entity_name}." },
  analysis_summaries: {
    organization_id: "org_1",
    level: "campaign",
    platform: "google",
    entity_id: "cmp_1",
    summary: "Spend is efficient.",
    metrics_snapshot: JSON.stringify({ spend_cents: 100000 }),
    days: 30,
    analysis_run_id: "run_1",
    expires_at: "2026-02-03T00:00:00Z",
  },
  attribution_model_results: {
    id: "amr_1",
    organization_id: "org_1",
    model: "markov_chain",
    channel: "paid_search",
    attributed_credit: 0.42,
    removal_effect: 0.31,
    computation_date: "2026-02-01",
    expires_at: "2026-02-08T00:00:00Z",
  },
  cac_baselines: { organization_id: "org_1", baseline_date: "2026-02-01", actual_cac_cents: 4200, baseline_cac_cents: 5000 },
  cac_history: {
    organization_id: "org_1",
    date: "2026-02-01",
    spend_cents: 100000,
    conversions: 20,
    cac_cents: 5000,
    conversions_goal: 18,
    conversions_platform: 22,
    conversion_source: "goal",
    goal_ids: JSON.stringify(["goal_1"]),
    revenue_goal_cents: 250000,
  },
  cac_predictions: { organization_id: "org_1", prediction_date: "2026-02-02", predicted_cac_cents: 4500 },
};

const columnsOf = (db: SqliteDatabase, table: string): TableXInfoRow[] => db.pragma(`table_xinfo(${table})`) as TableXInfoRow[];
const indexList = (db: SqliteDatabase, index: string): IndexListRow[] => db.pragma(`index_list(${index})`) as IndexListRow[];
const indexColumns = (db: SqliteDatabase, index: string): string[] =>
  (db.pragma(`index_info(${index})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((row) => row.name);
const primaryKeyOf = (db: SqliteDatabase, table: string): string[] =>
  columnsOf(db, table)
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);

let model: Database;
let db: SqliteDatabase;

beforeAll(async () => {
  model = await loadDatabaseModel("ai_db");
  db = migrationsDatabase("ai_db", 7);
});

describe("AI_DB at production migration 0007", () => {
  it("is the AI_DB binding", () => {
    expect(model.name).toBe("AI_DB");
    expect(model.bindings).toEqual(["AI_DB"]);
  });

  it("has the 11 tables of the audit", () => {
    expect(tableNames(db)).toEqual(allTables);
  });

  describe("primary keys", () => {
    it.each(randomblobTables)("%s: id TEXT filled by randomblob", (table) => {
      const id = columnsOf(db, table).find((column) => column.name === "id")!;
      expect(primaryKeyOf(db, table)).toEqual(["id"]);
      expect(id.type).toBe("TEXT");
      expect(id.dflt_value).toBe("lower(hex(randomblob(16)))");
    });

    it("attribution_model_results: id TEXT supplied by the application", () => {
      const id = columnsOf(db, "attribution_model_results").find((column) => column.name === "id")!;
      expect(primaryKeyOf(db, "attribution_model_results")).toEqual(["id"]);
      expect(id.type).toBe("TEXT");
      expect(id.dflt_value).toBeNull();
    });

    it("ai_org_configs: organization_id TEXT", () => {
      const key = columnsOf(db, "ai_org_configs").find((column) => column.name === "organization_id")!;
      expect(primaryKeyOf(db, "ai_org_configs")).toEqual(["organization_id"]);
      expect(key.type).toBe("TEXT");
      expect(key.notnull).toBe(1);
    });

    it("ai_tool_registry: composite (tool, platform)", () => {
      expect(primaryKeyOf(db, "ai_tool_registry")).toEqual(["tool", "platform"]);
      const pkIndex = indexList(db, "ai_tool_registry").find((row) => row.origin === "pk")!;
      expect(indexColumns(db, pkIndex.name)).toEqual(["tool", "platform"]);
    });

    it("every table has a primary key", () => {
      for (const table of allTables) expect(primaryKeyOf(db, table).length, table).toBeGreaterThan(0);
    });
  });

  describe("notable columns", () => {
    it("are listed for every table", () => {
      expect(Object.keys(notableColumns).sort()).toEqual(allTables);
    });

    it.each(Object.keys(notableColumns))("%s", (table) => {
      const actual = Object.fromEntries(columnsOf(db, table).map((column) => [column.name, column.type]));
      for (const [column, type] of Object.entries(notableColumns[table])) {
        expect(actual[column], `${table}.${column}`).toBe(type);
      }
    });

    it("carries the logical types: JSON, booleans, timestamps", () => {
      const logical = (table: string, column: string) => model.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!.logical;
      expect(logical("ai_decisions", "parameters")).toBe("json");
      expect(logical("ai_decisions", "simulation_data")).toBe("json");
      expect(logical("ai_tool_registry", "entity_types")).toBe("json");
      expect(logical("analysis_summaries", "metrics_snapshot")).toBe("json");
      expect(logical("ai_org_configs", "is_enabled")).toBe("boolean");
      expect(logical("ai_org_configs", "auto_execute")).toBe("boolean");
      expect(logical("analysis_summaries", "expires_at")).toBe("timestamp_iso");
    });

    it("organization_id is a NOT NULL column with no foreign key (organizations lives in DB)", () => {
      for (const table of allTables) {
        if (table === "ai_tool_registry" || table === "analysis_prompts") continue; // global, not per organization
        const column = columnsOf(db, table).find((c) => c.name === "organization_id");
        expect(column, table).toBeDefined();
        expect(column!.notnull, table).toBe(1);
      }
      for (const table of allTables) expect(db.pragma(`foreign_key_list(${table})`), table).toEqual([]);
    });
  });

  describe("unique keys", () => {
    it("attribution_model_results: UNIQUE (organization_id, model, channel, computation_date) in that order", () => {
      const unique = indexList(db, "attribution_model_results").filter((row) => row.unique === 1 && row.origin !== "pk");
      expect(unique).toHaveLength(1);
      expect(unique[0].name).toBe("idx_attribution_model_results_org_model_channel_computation_date");
      expect(unique[0].partial).toBe(0);
      expect(indexColumns(db, unique[0].name)).toEqual(["organization_id", "model", "channel", "computation_date"]);
    });

    it("analysis_prompts.slug is UNIQUE", () => {
      const unique = indexList(db, "analysis_prompts").filter((row) => row.unique === 1 && row.origin !== "pk");
      expect(unique.map((row) => indexColumns(db, row.name))).toEqual([["slug"]]);
      expect(unique[0].partial).toBe(0);
      const slug = columnsOf(db, "analysis_prompts").find((column) => column.name === "slug")!;
      expect(slug.notnull).toBe(1);
    });

    it("rejects a second row with the same key", () => {
      const probe = squashDatabase(model);
      const prompt = "INSERT INTO analysis_prompts (slug, level, template) VALUES ('s', 'ad', 't')";
      probe.exec(prompt);
      expect(() => probe.exec(prompt)).toThrow(/UNIQUE/);
      const result =
        "INSERT INTO attribution_model_results (id, organization_id, model, channel, attributed_credit, computation_date, expires_at) " +
        "VALUES (?, 'o', 'markov_chain', 'email', 0.5, '2026-02-01', '2026-02-08')";
      probe.prepare(result).run("a");
      expect(() => probe.prepare(result).run("b")).toThrow(/UNIQUE/);
      probe.close();
    });
  });

  describe("indexes", () => {
    it("has 19 named indexes, 2 of them on cac_history", () => {
      expect(namedIndexes(db)).toHaveLength(19);
      expect(namedIndexes(db, "cac_history").map((row) => row.name)).toEqual(["idx_cac_history_date", "idx_cac_history_org_date"]);
    });

    it("names every index idx_<table>_...", () => {
      for (const { name, tbl_name } of namedIndexes(db)) expect(name.startsWith(`idx_${tbl_name}_`), name).toBe(true);
    });
  });

  describe("metadata", () => {
    it("records the migration that created each table", () => {
      const { cac_history: _dropped, ...kept } = createdIn;
      expect(Object.fromEntries(model.tables.map((table) => [table.name, table.createdIn]))).toEqual(kept);
    });

    it("describes every table", () => {
      for (const table of model.tables) expect(table.description?.length ?? 0, table.name).toBeGreaterThan(20);
    });
  });

  it("takes one representative row in every table with foreign keys on", () => {
    const rows = migrationsDatabase("ai_db", 7);
    expect(rows.pragma("foreign_keys", { simple: true })).toBe(1);
    for (const table of allTables) {
      const row = representativeRows[table];
      const columns = Object.keys(row);
      rows.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row);
    }
    expect(rows.pragma("foreign_key_check")).toEqual([]);
    for (const table of allTables) {
      expect(rows.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 1 });
    }
    // Defaults fill what the row leaves out: random ids, booleans, timestamps.
    const decision = rows.prepare("SELECT id, status, confidence, created_at FROM ai_decisions").get() as Record<string, string>;
    expect(decision.id).toMatch(/^[0-9a-f]{32}$/);
    expect(decision.status).toBe("pending");
    expect(decision.confidence).toBe("medium");
    expect(decision.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows.prepare("SELECT is_enabled, auto_execute, min_confidence FROM ai_org_configs").get()).toEqual({
      is_enabled: 1,
      auto_execute: 1,
      min_confidence: "medium",
    });
    rows.close();
  });
});

describe("AI_DB today, after 0008_drop_dead_cac_history", () => {
  let today: SqliteDatabase;

  beforeAll(() => {
    today = squashDatabase(model);
  });

  it("has 10 tables: the dead cac_history copy is gone", () => {
    expect(tableNames(today)).toEqual(allTables.filter((table) => table !== "cac_history"));
    expect(model.tables.map((table) => table.name)).toEqual(allTables.filter((table) => table !== "cac_history"));
  });

  it("has exactly 17 named indexes, none left on cac_history, all declared in the model", () => {
    expect(namedIndexes(today)).toHaveLength(17);
    expect(namedIndexes(today).filter((row) => row.name.startsWith("idx_cac_history_"))).toEqual([]);
    const declared = model.tables.flatMap((table) => table.indexes.map((index) => index.name)).sort();
    expect(declared).toEqual(namedIndexes(today).map((row) => row.name));
  });

  it("has no deprecated table left", () => {
    expect(model.tables.filter((table) => table.deprecated !== undefined)).toEqual([]);
  });

  it("is what replaying every migration gives", () => {
    expect(shapeOf(migrationsDatabase("ai_db"))).toEqual(shapeOf(today));
  });
});
