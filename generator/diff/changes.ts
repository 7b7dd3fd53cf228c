// The vocabulary of schema changes. The differ says *what* changed; it knows nothing of SQLite's ALTER limits or
// SQL. The planner decides *how* (ALTER or rebuild).
import { declaredTypeOf } from "../model/declared-type.js";
import type { Column, Index, Table, Trigger, View, VirtualTable } from "../model/model.js";

/** How a column's stored values fare when its type changes. */
export type Conversion = "none" | "widening" | "narrowing";

/** What differs in a kept column's SQL definition (descriptions and TS types are not part of it). */
export type ColumnAttribute = "type" | "notNull" | "default" | "check" | "collate" | "generated";

/**
 * What differs in a kept table's constraints or options. `columnOrder`: kept columns changed their order, or a new
 * column comes before a kept one; generate puts the schema in the built order first (diff/physical-order.ts), so
 * this is found only for a table named for a reorder.
 */
export type TableAttribute = "primaryKey" | "uniques" | "checks" | "foreignKeys" | "withoutRowid" | "strict" | "columnOrder";

export type Change =
  | { kind: "createTable"; table: Table }
  | { kind: "dropTable"; table: Table }
  | { kind: "renameTable"; from: string; to: string }
  | { kind: "addColumn"; table: string; column: Column }
  | { kind: "dropColumn"; table: string; column: Column }
  | { kind: "renameColumn"; table: string; from: string; to: string }
  | { kind: "alterColumn"; table: string; from: Column; to: Column; attributes: ColumnAttribute[]; conversion: Conversion }
  /** Table constraints or options changed (primary key, UNIQUE, CHECK, foreign keys, STRICT, WITHOUT ROWID, column order). */
  | { kind: "alterTable"; table: string; attributes: TableAttribute[] }
  | { kind: "createIndex"; table: string; index: Index }
  | { kind: "dropIndex"; table: string; index: Index }
  /** Views and triggers hold no rows: a changed one is replaced (dropped and created again), which loses nothing. */
  | { kind: "createView"; view: View }
  | { kind: "dropView"; view: View }
  | { kind: "replaceView"; from: View; to: View }
  | { kind: "createTrigger"; trigger: Trigger }
  | { kind: "dropTrigger"; trigger: Trigger }
  | { kind: "replaceTrigger"; from: Trigger; to: Trigger }
  /** A virtual table's rows are in its shadow tables: dropping or replacing one loses them unless its content is another table's. */
  | { kind: "createVirtualTable"; table: VirtualTable }
  | { kind: "dropVirtualTable"; table: VirtualTable }
  | { kind: "replaceVirtualTable"; from: VirtualTable; to: VirtualTable };

export type ChangeKind = Change["kind"];

/**
 * The name of the table a change is about: the new name for a renamed table, the old one for a dropped table; a
 * view's own name, and the table a trigger is on.
 */
export function tableNameOf(change: Change): string {
  switch (change.kind) {
    case "createTable":
    case "dropTable":
      return change.table.name;
    case "renameTable":
      return change.to;
    case "createView":
    case "dropView":
      return change.view.name;
    case "replaceView":
      return change.to.name;
    case "createTrigger":
    case "dropTrigger":
      return change.trigger.table;
    case "replaceTrigger":
      return change.to.table;
    case "createVirtualTable":
    case "dropVirtualTable":
      return change.table.name;
    case "replaceVirtualTable":
      return change.to.name;
    default:
      return change.table;
  }
}

/** A one-line human description, used in refusals, summaries and migration comments. */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case "createTable":
      return `create table ${change.table.name}`;
    case "dropTable":
      return `drop table ${change.table.name}`;
    case "renameTable":
      return `rename table ${change.from} to ${change.to}`;
    case "addColumn":
      return `add column ${change.table}.${change.column.name}`;
    case "dropColumn":
      return `drop column ${change.table}.${change.column.name}`;
    case "renameColumn":
      return `rename column ${change.table}.${change.from} to ${change.to}`;
    case "alterColumn":
      return `alter column ${change.table}.${change.to.name} (${change.attributes.map((attribute) => describeColumnAttribute(attribute, change.from, change.to)).join(", ")})`;
    case "alterTable":
      return `alter table ${change.table} (${change.attributes.map(describeTableAttribute).join(", ")})`;
    case "createIndex":
      return `create index ${change.index.name} on ${change.table}`;
    case "dropIndex":
      return `drop index ${change.index.name} on ${change.table}`;
    case "createView":
      return `create view ${change.view.name}`;
    case "dropView":
      return `drop view ${change.view.name}`;
    case "replaceView":
      return `replace view ${change.to.name} (its definition changed)`;
    case "createTrigger":
      return `create trigger ${change.trigger.name} on ${change.trigger.table}`;
    case "dropTrigger":
      return `drop trigger ${change.trigger.name} on ${change.trigger.table}`;
    case "replaceTrigger":
      return `replace trigger ${change.to.name} on ${change.to.table} (its definition changed)`;
    case "createVirtualTable":
      return `create virtual table ${change.table.name}`;
    case "dropVirtualTable":
      return `drop virtual table ${change.table.name}`;
    case "replaceVirtualTable":
      return `replace virtual table ${change.to.name} (its definition changed)`;
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${JSON.stringify(unknown)}`);
    }
  }
}

/** A column attribute that differs, in words, with the old and new value where they are short. */
export function describeColumnAttribute(attribute: ColumnAttribute, from: Column, to: Column): string {
  switch (attribute) {
    case "type":
      return `type ${declaredTypeOf(from)} → ${declaredTypeOf(to)}`;
    case "notNull":
      if (from.notNull && to.notNull) return `NOT NULL ON CONFLICT ${from.notNullOnConflict ?? "none"} → ${to.notNullOnConflict ?? "none"}`;
      return to.notNull ? "NOT NULL added" : "NOT NULL dropped";
    case "default":
      return `default ${from.default?.sql ?? "none"} → ${to.default?.sql ?? "none"}`;
    case "check":
      return "CHECK";
    case "collate":
      return "COLLATE";
    case "generated":
      return "generated expression";
    default: {
      const unknown: never = attribute;
      throw new Error(`unknown column attribute ${String(unknown)}`);
    }
  }
}

const tableAttributeWords: Record<TableAttribute, string> = {
  primaryKey: "primary key",
  uniques: "UNIQUE constraints",
  checks: "CHECK constraints",
  foreignKeys: "foreign keys",
  withoutRowid: "WITHOUT ROWID",
  strict: "STRICT",
  columnOrder: "column order (into the declared order, as --reorder-columns asks)",
};

/** A table attribute that differs, in words. */
export function describeTableAttribute(attribute: TableAttribute): string {
  return tableAttributeWords[attribute];
}
