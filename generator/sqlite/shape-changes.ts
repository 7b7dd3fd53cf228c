// What turns one schema shape (sqlite/inspect.ts) into another, in words: what `verify` reports when a replay and
// the snapshot disagree, what `status` and the audit say a pending migration does, and what `generate` and
// `snapshot` name when a snapshot does not describe its migrations folder.
import { canonicalJson } from "../model/canonical-json.js";
import type { TableShape } from "./inspect.js";

/**
 * What turns one schema into another, in words: tables created and dropped, columns, foreign keys and named indexes
 * added and dropped, and tables that changed otherwise (a type, a default, a constraint: a rebuild).
 */
export function describeShapeChanges(before: readonly TableShape[], after: readonly TableShape[]): string[] {
  const old = new Map(before.map((table) => [table.name, table]));
  const now = new Set(after.map((table) => table.name));
  const created = after.filter((table) => !old.has(table.name)).map((table) => table.name);
  const dropped = before.filter((table) => !now.has(table.name)).map((table) => table.name);
  const changes: string[] = [];
  if (created.length > 0) changes.push(`creates ${created.length === 1 ? "table" : "tables"} ${created.join(", ")}`);
  if (dropped.length > 0) changes.push(`drops ${dropped.length === 1 ? "table" : "tables"} ${dropped.join(", ")}`);
  for (const table of after) {
    const previous = old.get(table.name);
    if (previous) changes.push(...describeTableChanges(previous, table));
  }
  return changes;
}

function describeTableChanges(before: TableShape, after: TableShape): string[] {
  const parts = (shape: TableShape) => ({
    // Positions (cid, foreign key ids) left out: they shift when a column or key is added or dropped.
    columns: new Map(shape.columns.map((column) => [(column as { name: string }).name, canonicalJson({ ...(column as object), cid: undefined })])),
    foreignKeys: new Map(foreignKeyDescriptions(shape.foreignKeys)),
    indexes: new Map(shape.indexes.map((index) => [(index as { name: string }).name, canonicalJson(withoutCids(index))])),
  });
  const [was, is] = [parts(before), parts(after)];
  const changes: string[] = [];
  let changedOtherwise = canonicalJson(before.sql) !== canonicalJson(after.sql);
  for (const [kind, noun] of [
    ["columns", "column"],
    ["foreignKeys", "foreign key"],
    ["indexes", "index"],
  ] as const) {
    const prefix = { columns: `${after.name}.`, foreignKeys: after.name, indexes: "" }[kind];
    const suffix = kind === "indexes" ? ` on ${after.name}` : "";
    for (const name of is[kind].keys()) if (!was[kind].has(name)) changes.push(`${kind === "indexes" ? "creates" : "adds"} ${noun} ${prefix}${name}${suffix}`);
    for (const name of was[kind].keys()) if (!is[kind].has(name)) changes.push(`drops ${noun} ${prefix}${name}${suffix}`);
    changedOtherwise ||= [...is[kind]].some(([name, text]) => was[kind].has(name) && was[kind].get(name) !== text);
  }
  if (changedOtherwise) changes.push(`changes table ${after.name}`);
  return changes;
}

/** Each foreign key (composite ones as one) as `(columns) → parent(columns)`, with its full definition. */
function foreignKeyDescriptions(rows: readonly unknown[]): [string, string][] {
  const byId = new Map<unknown, { table: string; from: string[]; to: unknown[]; actions: unknown[] }>();
  for (const row of rows as { id: unknown; table: string; from: string; to: unknown; on_update: unknown; on_delete: unknown; match: unknown }[]) {
    const key = byId.get(row.id) ?? { table: row.table, from: [], to: [], actions: [row.on_update, row.on_delete, row.match] };
    key.from.push(row.from);
    key.to.push(row.to);
    byId.set(row.id, key);
  }
  return [...byId.values()].map((key) => [`(${key.from.join(", ")}) → ${key.table}`, canonicalJson(key)]);
}

function withoutCids(index: unknown): unknown {
  const { columns, ...rest } = index as { columns: object[] };
  return { ...rest, columns: columns.map((column) => ({ ...column, cid: undefined })) };
}
