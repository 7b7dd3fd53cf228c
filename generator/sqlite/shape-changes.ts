// What turns one schema shape (sqlite/shape.ts) into another, as typed values: what `verify` reports when a replay
// and the snapshot disagree, what `status` and the audit say a pending migration does, and what `generate` and
// `snapshot` name when a snapshot does not describe its migrations folder. `renderShapeChange` is the one place they
// become words.
import { canonicalJson } from "../model/canonical-json.js";
import type { TableShape } from "./shape.js";

/** A foreign key as SQLite lists it: the child's columns and the parent table (composite keys as one). */
export interface ShapeForeignKey {
  columns: string[];
  parent: string;
}

export type ShapeChange =
  | { kind: "createsTables"; tables: string[] }
  | { kind: "dropsTables"; tables: string[] }
  | { kind: "addsColumn"; table: string; column: string }
  | { kind: "dropsColumn"; table: string; column: string }
  | { kind: "addsForeignKey"; table: string; key: ShapeForeignKey }
  | { kind: "dropsForeignKey"; table: string; key: ShapeForeignKey }
  | { kind: "createsIndex"; table: string; index: string }
  | { kind: "dropsIndex"; table: string; index: string }
  /** A type, a default, a constraint or a position changed: the table was rebuilt. */
  | { kind: "changesTable"; table: string }
  /** A view, trigger or virtual table (`object`: `view active_users`), compared by its SQL (objects.ts objectShapes). */
  | { kind: "createsObject"; object: string }
  | { kind: "dropsObject"; object: string }
  | { kind: "changesObject"; object: string };

/**
 * What turns one schema into another: tables created and dropped, columns, foreign keys and named indexes added and
 * dropped, and tables that changed otherwise (a type, a default, a constraint: a rebuild).
 */
export function shapeChanges(before: readonly TableShape[], after: readonly TableShape[]): ShapeChange[] {
  const old = new Map(before.map((table) => [table.name, table]));
  const now = new Set(after.map((table) => table.name));
  const created = after.filter((table) => !old.has(table.name)).map((table) => table.name);
  const dropped = before.filter((table) => !now.has(table.name)).map((table) => table.name);
  const changes: ShapeChange[] = [];
  if (created.length > 0) changes.push({ kind: "createsTables", tables: created });
  if (dropped.length > 0) changes.push({ kind: "dropsTables", tables: dropped });
  for (const table of after) {
    const previous = old.get(table.name);
    if (previous) changes.push(...tableChanges(previous, table));
  }
  return changes;
}

/**
 * What turns one database's views, triggers and virtual tables into another's, each given as objects.ts objectShapes
 * gives it (`view name AS …`, `trigger name on table: …`, `virtual table name USING …`).
 */
export function objectChanges(before: readonly string[], after: readonly string[]): ShapeChange[] {
  const named = (shapes: readonly string[]) => new Map(shapes.map((shape) => [/^(?:view|trigger|virtual table) [^ (:]+/.exec(shape)![0], shape]));
  const old = named(before);
  const now = named(after);
  const changes: ShapeChange[] = [];
  for (const [object, shape] of old) {
    if (!now.has(object)) changes.push({ kind: "dropsObject", object });
    else if (now.get(object) !== shape) changes.push({ kind: "changesObject", object });
  }
  for (const object of now.keys()) if (!old.has(object)) changes.push({ kind: "createsObject", object });
  return changes;
}

/** shapeChanges in words, one a change. */
export function describeShapeChanges(before: readonly TableShape[], after: readonly TableShape[]): string[] {
  return shapeChanges(before, after).map(renderShapeChange);
}

export function renderShapeChange(change: ShapeChange): string {
  const tables = (tables: readonly string[]) => `${tables.length === 1 ? "table" : "tables"} ${tables.join(", ")}`;
  const key = (table: string, key: ShapeForeignKey) => `${table}(${key.columns.join(", ")}) → ${key.parent}`;
  switch (change.kind) {
    case "createsTables":
      return `creates ${tables(change.tables)}`;
    case "dropsTables":
      return `drops ${tables(change.tables)}`;
    case "addsColumn":
      return `adds column ${change.table}.${change.column}`;
    case "dropsColumn":
      return `drops column ${change.table}.${change.column}`;
    case "addsForeignKey":
      return `adds foreign key ${key(change.table, change.key)}`;
    case "dropsForeignKey":
      return `drops foreign key ${key(change.table, change.key)}`;
    case "createsIndex":
      return `creates index ${change.index} on ${change.table}`;
    case "dropsIndex":
      return `drops index ${change.index} on ${change.table}`;
    case "changesTable":
      return `changes table ${change.table}`;
    case "createsObject":
      return `creates ${change.object}`;
    case "dropsObject":
      return `drops ${change.object}`;
    case "changesObject":
      return `changes ${change.object}`;
    default: {
      const unknown: never = change;
      throw new Error(`unknown shape change ${JSON.stringify(unknown)}`);
    }
  }
}

function tableChanges(before: TableShape, after: TableShape): ShapeChange[] {
  const table = after.name;
  const parts = (shape: TableShape) => ({
    // Positions (cid, foreign key ids) left out: they shift when a column or key is added or dropped.
    columns: new Map(shape.columns.map((column) => [(column as { name: string }).name, canonicalJson({ ...(column as object), cid: undefined })])),
    foreignKeys: foreignKeysByIdentity(shape.foreignKeys),
    indexes: new Map(shape.indexes.map((index) => [(index as { name: string }).name, canonicalJson(withoutCids(index))])),
  });
  const [was, is] = [parts(before), parts(after)];
  const changes: ShapeChange[] = [];
  const added = <T>(now: Map<string, T>, then: Map<string, T>) => [...now].filter(([name]) => !then.has(name));
  for (const [column] of added(is.columns, was.columns)) changes.push({ kind: "addsColumn", table, column });
  for (const [column] of added(was.columns, is.columns)) changes.push({ kind: "dropsColumn", table, column });
  for (const [, { key }] of added(is.foreignKeys, was.foreignKeys)) changes.push({ kind: "addsForeignKey", table, key });
  for (const [, { key }] of added(was.foreignKeys, is.foreignKeys)) changes.push({ kind: "dropsForeignKey", table, key });
  for (const [index] of added(is.indexes, was.indexes)) changes.push({ kind: "createsIndex", table, index });
  for (const [index] of added(was.indexes, is.indexes)) changes.push({ kind: "dropsIndex", table, index });
  const changedOtherwise =
    canonicalJson(before.sql) !== canonicalJson(after.sql) ||
    [...is.columns].some(([name, text]) => was.columns.has(name) && was.columns.get(name) !== text) ||
    [...is.foreignKeys].some(([name, { definition }]) => was.foreignKeys.has(name) && was.foreignKeys.get(name)?.definition !== definition) ||
    [...is.indexes].some(([name, text]) => was.indexes.has(name) && was.indexes.get(name) !== text);
  if (changedOtherwise) changes.push({ kind: "changesTable", table });
  return changes;
}

/** Each foreign key (composite ones as one) by `(columns) → parent`, with its full definition to compare. */
function foreignKeysByIdentity(rows: readonly unknown[]): Map<string, { key: ShapeForeignKey; definition: string }> {
  const byId = new Map<unknown, { table: string; from: string[]; to: unknown[]; actions: unknown[] }>();
  for (const row of rows as { id: unknown; table: string; from: string; to: unknown; on_update: unknown; on_delete: unknown; match: unknown }[]) {
    const key = byId.get(row.id) ?? { table: row.table, from: [], to: [], actions: [row.on_update, row.on_delete, row.match] };
    key.from.push(row.from);
    key.to.push(row.to);
    byId.set(row.id, key);
  }
  return new Map(
    [...byId.values()].map((key) => [
      `(${key.from.join(", ")}) → ${key.table}`,
      { key: { columns: key.from, parent: key.table }, definition: canonicalJson(key) },
    ]),
  );
}

function withoutCids(index: unknown): unknown {
  const { columns, ...rest } = index as { columns: object[] };
  return { ...rest, columns: columns.map((column) => ({ ...column, cid: undefined })) };
}
