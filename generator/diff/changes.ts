// The vocabulary of schema changes. The differ says *what* changed; it knows nothing of SQLite's ALTER limits or
// SQL. The planner decides *how* (ALTER or rebuild).
import type { Column, Index, Table } from "../model/model.js";

/** How a column's stored values fare when its type changes. */
export type Conversion = "none" | "widening" | "narrowing";

export type Change =
  | { kind: "createTable"; table: Table }
  | { kind: "dropTable"; table: Table }
  | { kind: "renameTable"; from: string; to: string }
  | { kind: "addColumn"; table: string; column: Column }
  | { kind: "dropColumn"; table: string; column: Column }
  | { kind: "renameColumn"; table: string; from: string; to: string }
  | { kind: "alterColumn"; table: string; from: Column; to: Column; what: string[]; conversion: Conversion }
  /** Table constraints or options changed (primary key, UNIQUE, CHECK, foreign keys, STRICT, WITHOUT ROWID). */
  | { kind: "alterTable"; table: string; what: string[] }
  | { kind: "createIndex"; table: string; index: Index }
  | { kind: "dropIndex"; table: string; index: Index };

export type ChangeKind = Change["kind"];

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
      return `alter column ${change.table}.${change.to.name} (${change.what.join(", ")})`;
    case "alterTable":
      return `alter table ${change.table} (${change.what.join(", ")})`;
    case "createIndex":
      return `create index ${change.index.name} on ${change.table}`;
    case "dropIndex":
      return `drop index ${change.index.name} on ${change.table}`;
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${JSON.stringify(unknown)}`);
    }
  }
}
