// A seeded synthetic schema shaped like ClearLift's: text keys, 8–40 mixed columns, 0–3 foreign keys to earlier
// tables, 2–5 indexes a table (some unique, some composite). One plain description, rendered twice: as our schema
// files (generator/dsl) and as the equivalent drizzle-kit SQLite schema, so both tools read the same tables.

export type ColumnKind = "text" | "integer" | "real" | "boolean" | "timestamp" | "json" | "blob";

export type SyntheticDefault = { literal: string | number | boolean } | { sql: string };

export interface SyntheticColumn {
  name: string;
  kind: ColumnKind;
  notNull: boolean;
  primaryKey?: true;
  default?: SyntheticDefault;
  references?: { table: string; onDelete: "cascade" | "set null" };
}

export interface SyntheticIndex {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface SyntheticTable {
  name: string;
  /** The file (without extension) that declares it; tables are grouped like ClearLift's domain files. */
  file: string;
  columns: SyntheticColumn[];
  indexes: SyntheticIndex[];
}

export interface SyntheticSchema {
  seed: number;
  tables: SyntheticTable[];
  /** The table that the "one added column" scenario changes. */
  changedTable: string;
}

/** The column the "one added column" scenario appends: nullable TEXT, so both tools emit one ALTER TABLE ADD COLUMN. */
export const addedColumn: SyntheticColumn = { name: "bench_added_note", kind: "text", notNull: false };

export const databaseName = "BENCH_DB";
export const databaseFolder = "bench_db";
const tablesPerFile = 15;

/** mulberry32: small, fast and the same on every machine, so a seed always gives the same schema. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const domains = ["ads", "crm", "billing", "analytics", "identity", "support", "social", "ecommerce", "events", "attribution", "forms", "scheduling"];
const nouns = [
  "accounts",
  "campaigns",
  "contacts",
  "deals",
  "invoices",
  "sessions",
  "conversions",
  "touchpoints",
  "orders",
  "tickets",
  "posts",
  "metrics",
  "snapshots",
  "segments",
  "journeys",
  "payouts",
];
const columnNames: Record<ColumnKind, string[]> = {
  text: [
    "name",
    "status",
    "external_id",
    "email",
    "source",
    "medium",
    "channel",
    "currency",
    "region",
    "label",
    "platform",
    "title",
    "slug",
    "provider",
    "country_code",
    "utm_campaign",
    "utm_source",
    "notes",
    "sync_status",
    "category",
  ],
  integer: [
    "position",
    "attempts",
    "impressions",
    "clicks",
    "conversions_count",
    "priority",
    "duration_seconds",
    "amount_cents",
    "quantity",
    "version",
    "retries",
    "rank_score",
  ],
  real: ["spend", "revenue", "ctr", "cpc", "roas", "weight", "confidence", "conversion_rate"],
  boolean: ["is_active", "is_deleted", "is_primary", "is_test", "is_verified", "is_archived"],
  timestamp: ["created_at", "updated_at", "synced_at", "started_at", "ended_at", "expires_at", "last_seen_at", "processed_at"],
  json: ["settings", "metadata", "raw_payload", "attributes", "targeting"],
  blob: ["signature", "thumbnail"],
};
const kindWeights: [ColumnKind, number][] = [
  ["text", 40],
  ["integer", 20],
  ["real", 10],
  ["boolean", 10],
  ["timestamp", 12],
  ["json", 6],
  ["blob", 2],
];

export function generateSyntheticSchema(tableCount: number, seed = 20260601): SyntheticSchema {
  const random = seededRandom(seed * 7919 + tableCount);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pickKind = (): ColumnKind => {
    const total = kindWeights.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = random() * total;
    for (const [kind, weight] of kindWeights) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return "text";
  };

  const tables: SyntheticTable[] = [];
  for (let number = 1; number <= tableCount; number++) {
    const name = `${pick(domains)}_${pick(nouns)}_${String(number).padStart(4, "0")}`;
    const file = `part_${String(Math.ceil(number / tablesPerFile)).padStart(3, "0")}`;
    const used = new Set<string>(["id"]);
    const unique = (base: string) => {
      let candidate = base;
      for (let suffix = 2; used.has(candidate); suffix++) candidate = `${base}_${suffix}`;
      used.add(candidate);
      return candidate;
    };
    const columns: SyntheticColumn[] = [
      { name: "id", kind: "text", notNull: true, primaryKey: true, default: random() < 0.5 ? { sql: "lower(hex(randomblob(16)))" } : undefined },
    ];

    const foreignKeys = tables.length === 0 ? 0 : between(0, Math.min(3, tables.length));
    for (let fk = 0; fk < foreignKeys; fk++) {
      const parent = tables[Math.floor(random() * tables.length)];
      const notNull = random() < 0.6;
      columns.push({
        name: unique(`${parent.name}_id`),
        kind: "text",
        notNull,
        references: { table: parent.name, onDelete: notNull ? "cascade" : "set null" },
      });
    }

    const columnCount = between(8, 40);
    while (columns.length < columnCount) {
      const kind = pickKind();
      const column: SyntheticColumn = { name: unique(pick(columnNames[kind])), kind, notNull: random() < 0.45 };
      const withDefault = column.notNull ? random() < 0.7 : random() < 0.15;
      if (withDefault) column.default = defaultFor(kind, random);
      columns.push(column);
    }

    const indexable = columns.filter((column) => !column.primaryKey && column.kind !== "blob" && column.kind !== "json");
    const fkColumns = columns.filter((column) => column.references);
    const indexes: SyntheticIndex[] = [];
    const indexCount = between(2, 5);
    const seen = new Set<string>();
    for (let attempt = 0; indexes.length < indexCount && attempt < 50; attempt++) {
      // Foreign key columns are indexed first (ClearLift indexes every organization_id); the rest are single or
      // composite indexes over data columns, about a quarter of them unique.
      const lead = indexes.length < fkColumns.length ? fkColumns[indexes.length] : pick(indexable);
      const width = random() < 0.4 ? between(2, 3) : 1;
      const names = [lead.name];
      for (let extra = 1; extra < width; extra++) {
        const other = pick(indexable).name;
        if (!names.includes(other)) names.push(other);
      }
      const key = names.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      const uniqueIndex = !lead.references && random() < 0.25;
      indexes.push({ name: `${uniqueIndex ? "uq" : "idx"}_${name}_${indexes.length + 1}`, columns: names, unique: uniqueIndex });
    }
    tables.push({ name, file, columns, indexes });
  }
  return { seed, tables, changedTable: tables[Math.floor(tables.length / 2)].name };
}

function defaultFor(kind: ColumnKind, random: () => number): SyntheticDefault {
  switch (kind) {
    case "text":
      return { literal: random() < 0.5 ? "pending" : "" };
    case "integer":
      return { literal: random() < 0.5 ? 0 : 1 };
    case "real":
      return { literal: 0 };
    case "boolean":
      return { literal: random() < 0.5 };
    case "timestamp":
      return { sql: "datetime('now')" };
    case "json":
      return { literal: "{}" };
    case "blob":
      return { sql: "x''" };
    default: {
      const never: never = kind;
      throw new Error(`unknown column kind ${String(never)}`);
    }
  }
}

/** The tables of one file, with the changed table carrying the added column when `withAddedColumn`. */
function tablesOf(schema: SyntheticSchema, file: string, withAddedColumn: boolean): SyntheticTable[] {
  return schema.tables
    .filter((table) => table.file === file)
    .map((table) => (withAddedColumn && table.name === schema.changedTable ? { ...table, columns: [...table.columns, addedColumn] } : table));
}

export function filesOf(schema: SyntheticSchema): string[] {
  return [...new Set(schema.tables.map((table) => table.file))];
}

export function fileOfChangedTable(schema: SyntheticSchema): string {
  return schema.tables.find((table) => table.name === schema.changedTable)!.file;
}

const js = (value: string | number | boolean) => (typeof value === "string" ? JSON.stringify(value) : String(value));

// ---- our schema files --------------------------------------------------------------------------------------

export function renderOurDatabaseFile(dslPath: string): string {
  return `import { database } from ${JSON.stringify(dslPath)};\n\nexport default database({ name: ${JSON.stringify(databaseName)} });\n`;
}

export function renderOurTableFile(schema: SyntheticSchema, file: string, dslPath: string, withAddedColumn = false): string {
  const lines = [`import { blob, boolean, index, integer, json, real, table, text, timestamp, uniqueIndex } from ${JSON.stringify(dslPath)};`, ""];
  for (const table of tablesOf(schema, file, withAddedColumn)) {
    lines.push(`export const ${table.name} = table(`, `  ${JSON.stringify(table.name)},`, "  {");
    for (const column of table.columns) lines.push(`    ${column.name}: ${renderOurColumn(column)},`);
    lines.push("  },", "  {", "    indexes: [");
    for (const index of table.indexes) {
      lines.push(
        `      ${index.unique ? "uniqueIndex" : "index"}(${JSON.stringify(index.name)}).on(${index.columns.map((name) => JSON.stringify(name)).join(", ")}),`,
      );
    }
    lines.push("    ],", "  },", ");", "");
  }
  return lines.join("\n");
}

function renderOurColumn(column: SyntheticColumn): string {
  const base: Record<ColumnKind, string> = {
    text: "text()",
    integer: "integer()",
    real: "real()",
    boolean: "boolean()",
    timestamp: "timestamp()",
    json: 'json("Record<string, unknown>")',
    blob: "blob()",
  };
  let code = base[column.kind];
  if (column.primaryKey) code += ".primaryKey()";
  if (column.notNull) code += ".notNull()";
  if (column.default && "sql" in column.default) code += `.defaultSql(${JSON.stringify(column.default.sql)})`;
  if (column.default && "literal" in column.default) code += `.default(${js(column.default.literal)})`;
  if (column.references) code += `.references(${JSON.stringify(column.references.table)}, "id", { onDelete: ${JSON.stringify(column.references.onDelete)} })`;
  return code;
}

// ---- the drizzle-kit schema ----------------------------------------------------------------------------------

export function renderDrizzleConfig(): string {
  return `export default {\n  dialect: "sqlite",\n  schema: "./schema/*.ts",\n  out: "./drizzle",\n};\n`;
}

export function renderDrizzleTableFile(schema: SyntheticSchema, file: string, withAddedColumn = false): string {
  const tables = tablesOf(schema, file, withAddedColumn);
  const fileOf = new Map(schema.tables.map((table) => [table.name, table.file]));
  const imports = new Map<string, Set<string>>();
  for (const table of tables) {
    for (const column of table.columns) {
      const parentFile = column.references && fileOf.get(column.references.table);
      if (parentFile && parentFile !== file) {
        imports.set(parentFile, (imports.get(parentFile) ?? new Set()).add(column.references!.table));
      }
    }
  }
  const lines = [
    'import { sql } from "drizzle-orm";',
    'import { blob, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";',
    ...[...imports].sort(([a], [b]) => a.localeCompare(b)).map(([from, names]) => `import { ${[...names].sort().join(", ")} } from "./${from}";`),
    "",
  ];
  for (const table of tables) {
    lines.push(`export const ${table.name} = sqliteTable(`, `  ${JSON.stringify(table.name)},`, "  {");
    for (const column of table.columns) lines.push(`    ${column.name}: ${renderDrizzleColumn(column)},`);
    lines.push("  },", "  (t) => [");
    for (const index of table.indexes) {
      lines.push(`    ${index.unique ? "uniqueIndex" : "index"}(${JSON.stringify(index.name)}).on(${index.columns.map((name) => `t.${name}`).join(", ")}),`);
    }
    lines.push("  ],", ");", "");
  }
  return lines.join("\n");
}

function renderDrizzleColumn(column: SyntheticColumn): string {
  const name = JSON.stringify(column.name);
  const base: Record<ColumnKind, string> = {
    text: `text(${name})`,
    integer: `integer(${name})`,
    real: `real(${name})`,
    boolean: `integer(${name}, { mode: "boolean" })`,
    timestamp: `text(${name})`,
    json: `text(${name}, { mode: "json" })`,
    blob: `blob(${name})`,
  };
  let code = base[column.kind];
  if (column.primaryKey) code += ".primaryKey()";
  if (column.notNull && !column.primaryKey) code += ".notNull()";
  if (column.default && "sql" in column.default) code += `.default(sql\`(${column.default.sql})\`)`;
  if (column.default && "literal" in column.default) {
    code += column.kind === "json" ? `.default(sql\`'{}'\`)` : `.default(${js(column.default.literal)})`;
  }
  if (column.references) code += `.references(() => ${column.references.table}.id, { onDelete: ${JSON.stringify(column.references.onDelete)} })`;
  return code;
}
