// The whole schema from nothing: the steps that build a database in an empty one, tables parents first, each
// followed by its indexes. The fresh squash, the proof in SQLite and a baseline migration all build from this one
// list, so they cannot disagree on order or on what a table's creation includes.
import type { Database, Table } from "../model/model.js";
import { parentFirst } from "./fk-graph.js";
import { planObjectsFromNothing } from "./objects.js";
import type { MigrationPlan, Step, StepGroup } from "./steps.js";

/** One table's creation: CREATE TABLE, then its indexes; `comment` is the one a migration prints above them. */
export interface TableCreation extends StepGroup {
  table: Table;
}

/** Every table of `database` with its indexes, parents first (cycles broken by name order), IF NOT EXISTS as the database says. */
export function planSchemaFromNothing(database: Database): TableCreation[] {
  return planTableCreations(database.tables, database.ifNotExists);
}

/** New tables with their indexes, parents first (cycles broken by name order), each group commented as a migration comments it. */
export function planTableCreations(tables: readonly Table[], ifNotExists: boolean): TableCreation[] {
  return parentFirst(tables).map((table) => ({
    table,
    comment: `Create ${table.name}${table.description ? `: ${table.description.replace(/\.$/, "")}` : ""}.`,
    steps: [{ kind: "createTable", table, ifNotExists }, ...table.indexes.map((index): Step => ({ kind: "createIndex", table, index, ifNotExists }))],
  }));
}

/** The migration that builds `database` from nothing (a baseline): nothing to lose, nothing rebuilt; views and triggers last. */
export function planMigrationFromNothing(database: Database): MigrationPlan {
  return { groups: [...planSchemaFromNothing(database).map(({ comment, steps }) => ({ comment, steps })), ...planObjectsFromNothing(database)], losses: [] };
}
