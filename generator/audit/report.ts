// The audit as data: ClearLift's hand-written schema audit, made from the schema, the migrations folders and,
// when given, the local databases and saved production status (`status`). render-markdown.ts writes it out;
// `audit --json` prints it as is. Nothing here depends on the clock, so the committed report is reproducible.
import type { StatusReport } from "../status/status.js";
import type { Database, Table } from "../model/model.js";
import { formatMigrationNumber, migrationNumber } from "../project/migration-files.js";
import { renderMigrationEffect } from "../sqlite/migration-effects.js";
import { findingsOf, type AuditFinding } from "./findings.js";
import type { FolderHistory } from "./history.js";
import { impactOf, type PendingImpact } from "./impact.js";
import { numberingRanges, type NumberingRange } from "./numbering.js";

export interface AuditInput {
  databases: {
    model: Database;
    migrations: { fileName: string; number: number }[];
    history: FolderHistory;
    /** Schema file (without .ts) → the tables it defines, in file order. */
    files: { file: string; tables: string[] }[];
  }[];
  status?: StatusReport;
  /** Binding → table → rows, from the local databases (`--local`). */
  rowCounts?: Map<string, Map<string, number>>;
}

export interface InventoryRow {
  database: string;
  binding: string;
  tables: number;
  indexes: number;
  local?: string;
  production?: string;
  status: "Synced" | "DRIFT" | "Prod only" | "Local only" | "No local database" | "not checked";
}

export interface PendingMigrationRow {
  binding: string;
  database: string;
  where: "production" | "local";
  file: string;
  /** What it does, in words (the audit's readers and tests read them as status printed them). */
  effects: string[];
  impact: PendingImpact;
}

export interface TableRow {
  table: string;
  primaryKey: string;
  references: string[];
  createdBy: string;
  file: string;
  deprecated?: string;
}

export interface ColumnInventory {
  table: string;
  columns: number;
  core: string[];
  added: { column: string; by: string }[];
  alteredBy: string[];
}

export interface DatabaseAudit {
  name: string;
  folder: string;
  bindings: string[];
  tables: number;
  indexes: number;
  migrations: string[];
  numbering: NumberingRange[];
  /** Where the history before the folder's first file lives (a baseline adopted it). */
  baseline?: string;
  droppedTables: { table: string; by: string }[];
  tableInventory: TableRow[];
  widest: ColumnInventory[];
  heaviestIndexed: { table: string; indexes: number; unique: number }[];
  uniqueIndexes: { name: string; table: string; columns: string; where?: string }[];
  files: { file: string; tables: string[] }[];
}

export interface CrossDatabaseTable {
  table: string;
  copies: { database: string; where: "schema" | "production"; columns: string[]; deprecated?: string }[];
  /** Every copy has the same columns: a definition shared on purpose (the shards), not a finding. */
  identical: boolean;
}

export interface AuditReport {
  sources: string[];
  inventory: InventoryRow[];
  pending: PendingMigrationRow[];
  databases: DatabaseAudit[];
  crossDatabase: CrossDatabaseTable[];
  deprecatedTables: { database: string; table: string; reason: string }[];
  emptyTables: { binding: string; tables: string[] }[];
  findings: AuditFinding[];
}

export function buildAudit(input: AuditInput): AuditReport {
  const databases = input.databases.map(auditDatabase);
  const inventory = input.databases.flatMap(({ model }) => model.bindings.map((binding) => inventoryRow(model, binding, input.status)));
  const pending = pendingRows(input);
  const crossDatabase = crossDatabaseTables(input);
  const deprecatedTables = input.databases.flatMap(({ model }) =>
    model.tables.flatMap((table) => (table.deprecated ? [{ database: model.name, table: table.name, reason: table.deprecated }] : [])),
  );
  const emptyTables = [...(input.rowCounts ?? new Map<string, Map<string, number>>())]
    .map(([binding, counts]) => ({
      binding,
      tables: [...counts]
        .filter(([, rows]) => rows === 0)
        .map(([table]) => table)
        .sort(),
    }))
    .filter((entry) => entry.tables.length > 0);
  const sources = ["schema/", "migrations/", ...(input.status?.bindings.some((binding) => binding.local) ? ["the local databases (--local)"] : [])];
  if (input.status?.bindings.some((binding) => binding.remote)) sources.push("saved production status (--remote-status)");
  const report: AuditReport = { sources, inventory, pending, databases, crossDatabase, deprecatedTables, emptyTables, findings: [] };
  report.findings = findingsOf(report, input.status);
  return report;
}

function auditDatabase({ model, migrations, history, files }: AuditInput["databases"][number]): DatabaseAudit {
  const fileOf = new Map(files.flatMap(({ file, tables }) => tables.map((table) => [table, file] as const)));
  const baselineStep = history.steps.find((step) => step.baseline);
  return {
    name: model.name,
    folder: model.folder,
    bindings: model.bindings,
    tables: model.tables.length,
    indexes: model.tables.reduce((sum, table) => sum + table.indexes.length, 0),
    migrations: migrations.map((migration) => migration.fileName),
    numbering: numberingRanges(migrations.map((migration) => migration.number)),
    baseline: baselineStep?.file,
    droppedTables: [...history.droppedBy].map(([table, by]) => ({ table, by })).sort((a, b) => compare(a.by, b.by) || compare(a.table, b.table)),
    tableInventory: [...model.tables]
      .sort((a, b) => compare(a.name, b.name))
      .map((table) => ({
        table: table.name,
        primaryKey: primaryKeyText(table),
        references: referencesOf(table),
        createdBy: createdBy(table, history),
        file: fileOf.get(table.name) ?? "",
        ...(table.deprecated ? { deprecated: table.deprecated } : {}),
      })),
    widest: widestTables(model, history),
    heaviestIndexed: [...model.tables]
      .map((table) => ({ table: table.name, indexes: table.indexes.length, unique: table.indexes.filter((index) => index.unique).length }))
      .filter((entry) => entry.indexes > 0)
      .sort((a, b) => b.indexes - a.indexes || compare(a.table, b.table))
      .slice(0, 5),
    uniqueIndexes: model.tables
      .flatMap((table) =>
        table.indexes
          .filter((index) => index.unique)
          .map((index) => ({
            name: index.name,
            table: table.name,
            columns: index.parts.map((part) => ("column" in part ? part.column : part.expression)).join(", "),
            ...(index.where ? { where: index.where } : {}),
          })),
      )
      .sort((a, b) => compare(a.table, b.table) || compare(a.name, b.name)),
    files,
  };
}

function primaryKeyText(table: Table): string {
  const key = table.primaryKey;
  if (!key) return table.withoutRowid ? "none" : "rowid";
  if (key.columns.length > 1) return `(${key.columns.join(", ")}) composite`;
  const column = table.columns.find((candidate) => candidate.name === key.columns[0]);
  return `${key.columns[0]} ${column?.type ?? ""}${key.autoincrement ? " AUTOINCREMENT" : ""}`.trim();
}

/** `users(id) x2`: each parent the table references, with how many foreign keys point there. */
function referencesOf(table: Table): string[] {
  const counts = new Map<string, number>();
  for (const key of table.foreignKeys) {
    const target = `${key.table}(${key.refColumns.join(", ")})`;
    counts.set(target, (counts.get(target) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => compare(a, b)).map(([target, count]) => (count > 1 ? `${target} x${count}` : target));
}

/** The migration that created it; for what a baseline adopted, the schema's `createdIn` when it says. */
function createdBy(table: Table, history: FolderHistory): string {
  const file = history.createdBy.get(table.name);
  const step = history.steps.find((candidate) => candidate.file === file);
  if (step?.baseline) return table.createdIn ?? `before ${numberOf(step.file)} (baseline)`;
  return file ? numberOf(file) : (table.createdIn ?? "not yet migrated");
}

/** The two tables with the most columns added after they were created (then the most columns), as in the seed. */
function widestTables(model: Database, history: FolderHistory): ColumnInventory[] {
  return model.tables
    .map((table) => {
      const added = history.columnsAddedBy.get(table.name) ?? new Map<string, string>();
      return {
        table: table.name,
        columns: table.columns.length,
        core: table.columns.filter((column) => !added.has(column.name)).map((column) => column.name),
        added: table.columns.filter((column) => added.has(column.name)).map((column) => ({ column: column.name, by: numberOf(added.get(column.name)!) })),
        alteredBy: (history.alteredBy.get(table.name) ?? []).map(numberOf),
      };
    })
    .sort((a, b) => b.alteredBy.length - a.alteredBy.length || b.added.length - a.added.length || b.columns - a.columns || compare(a.table, b.table))
    .slice(0, 2);
}

function inventoryRow(model: Database, binding: string, status: StatusReport | undefined): InventoryRow {
  const entry = status?.bindings.find((candidate) => candidate.binding === binding);
  const local = entry?.local;
  const remote = entry?.remote;
  const localFound = local?.state === "found" ? local : undefined;
  const remoteFound = remote?.state === "found" ? remote : undefined;
  let state: InventoryRow["status"] = "not checked";
  if (remoteFound && localFound) state = remoteFound.pending.length > 0 || localFound.pending.length > 0 ? "DRIFT" : "Synced";
  else if (remoteFound) state = local ? "Prod only" : remoteFound.pending.length > 0 ? "DRIFT" : "Synced";
  else if (localFound) state = "Local only";
  else if (local?.state === "no local database") state = "No local database";
  return {
    database: model.name,
    binding,
    tables: model.tables.length,
    indexes: model.tables.reduce((sum, table) => sum + table.indexes.length, 0),
    ...(local ? { local: local.summary } : {}),
    ...(remote ? { production: remote.summary } : {}),
    status: state,
  };
}

function pendingRows(input: AuditInput): PendingMigrationRow[] {
  const rows: PendingMigrationRow[] = [];
  for (const binding of input.status?.bindings ?? []) {
    for (const [where, status] of [
      ["production", binding.remote],
      ["local", binding.local],
    ] as const) {
      if (status?.state !== "found") continue;
      for (const migration of status.pendingEffects) {
        rows.push({
          binding: binding.binding,
          database: binding.database ?? binding.binding,
          where,
          file: migration.file,
          effects: migration.effects.map(renderMigrationEffect),
          impact: impactOf(migration.effects),
        });
      }
    }
  }
  return rows;
}

function crossDatabaseTables(input: AuditInput): CrossDatabaseTable[] {
  const copies = new Map<string, CrossDatabaseTable["copies"]>();
  const add = (table: string, copy: CrossDatabaseTable["copies"][number]) => copies.set(table, [...(copies.get(table) ?? []), copy]);
  for (const { model, history } of input.databases) {
    const inSchema = new Set(model.tables.map((table) => table.name));
    for (const table of model.tables)
      add(table.name, {
        database: model.name,
        where: "schema",
        columns: table.columns.map((column) => column.name),
        ...(table.deprecated ? { deprecated: table.deprecated } : {}),
      });
    // Production still has what a pending migration drops: the copy the seed found before 0008.
    for (const table of productionOnlyTables(model, history, input.status)) {
      if (!inSchema.has(table)) add(table, { database: model.name, where: "production", columns: [] });
    }
  }
  return [...copies]
    .filter(([, list]) => new Set(list.map((copy) => copy.database)).size > 1)
    .map(([table, list]) => ({
      table,
      copies: list,
      identical: list.every((copy) => copy.where === "schema" && copy.columns.join() === list[0].columns.join()),
    }))
    .sort((a, b) => compare(a.table, b.table));
}

/** Tables production has (by its applied migrations) that the folder's later files drop. */
function productionOnlyTables(model: Database, history: FolderHistory, status: StatusReport | undefined): string[] {
  const tables = new Set<string>();
  for (const binding of status?.bindings ?? []) {
    if (binding.database !== model.name || binding.remote?.state !== "found") continue;
    const pending = new Set(binding.remote.pending.map((migration) => migration.file));
    const applied = history.steps.filter((step) => !pending.has(step.file));
    const last = applied.at(-1);
    for (const table of last ? (history.tablesAfter.get(last.file) ?? []) : []) tables.add(table);
  }
  return [...tables];
}

/** A migration's number as the report prints it, `0045`; the audit reads only files the number rule accepts. */
export function numberOf(file: string): string {
  return formatMigrationNumber(migrationNumber(file)!);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
