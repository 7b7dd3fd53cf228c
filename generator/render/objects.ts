// Views, triggers and virtual tables as SQL: the CREATE statements that make SQLite store exactly the schema's text.
import { quoteIdentifier as q } from "../model/identifiers.js";
import type { Trigger, View, VirtualTable } from "../model/model.js";

export function renderCreateView(view: View, { ifNotExists }: { ifNotExists: boolean }): string {
  const columns = view.columns ? `(${view.columns.map(q).join(", ")})` : "";
  return `CREATE VIEW ${ifNotExists ? "IF NOT EXISTS " : ""}${q(view.name)}${columns} AS ${view.select}`;
}

export function renderCreateTrigger(trigger: Trigger, { ifNotExists }: { ifNotExists: boolean }): string {
  return `CREATE TRIGGER ${ifNotExists ? "IF NOT EXISTS " : ""}${q(trigger.name)} ${trigger.definition}`;
}

export function renderCreateVirtualTable(table: VirtualTable, { ifNotExists }: { ifNotExists: boolean }): string {
  return `CREATE VIRTUAL TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${q(table.name)} USING ${table.using}`;
}
