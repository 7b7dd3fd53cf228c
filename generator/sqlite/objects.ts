// The views, triggers and virtual tables a database holds, read back from sqlite_schema into the model's form, and the
// one text they are compared by (proofs hold a replayed folder's objects to the squash's and the snapshot's).
import { SchemaError } from "../model/errors.js";
import { toolPrefix } from "../model/identifiers.js";
import type { Database, Trigger, View, VirtualTable } from "../model/model.js";
import { objectKey, objectsOf, parseCreateObject, viewsInCreationOrder } from "../model/objects.js";
import { planObjectsFromNothing } from "../plan/objects.js";
import { renderStep } from "../render/statements.js";
import type { SqliteDatabase } from "./apply.js";
import { objectChanges, renderShapeChange } from "./shape-changes.js";

/** The database's views, triggers and virtual tables, by name (a text SQLite holds that is not one is left out: it cannot be). */
export function readObjects(db: SqliteDatabase): { views: View[]; triggers: Trigger[]; virtualTables: VirtualTable[] } {
  const rows = db
    .prepare(
      "SELECT sql FROM sqlite_schema WHERE (type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL%')) AND sql IS NOT NULL ORDER BY name",
    )
    .all() as { sql: string }[];
  const views: View[] = [];
  const triggers: Trigger[] = [];
  const virtualTables: VirtualTable[] = [];
  for (const { sql } of rows) {
    const object = parseCreateObject(sql);
    if (object?.type === "view") views.push(object.view);
    if (object?.type === "trigger") triggers.push(object.trigger);
    if (object?.type === "virtualTable") virtualTables.push(object.virtualTable);
  }
  return { views, triggers, virtualTables };
}

/** One line a view, trigger or virtual table, sorted: what two databases must agree on (names, the table, the SQL's tokens). */
export function objectShapes({
  views,
  triggers,
  virtualTables = [],
}: {
  views: readonly View[];
  triggers: readonly Trigger[];
  virtualTables?: readonly VirtualTable[];
}): string[] {
  return [
    ...views.map((view) => `view ${view.name}${view.columns ? `(${view.columns.join(", ")})` : ""} AS ${objectKey(view.select)}`),
    ...triggers.map((trigger) => `trigger ${trigger.name} on ${trigger.table.toLowerCase()}: ${objectKey(trigger.definition)}`),
    ...virtualTables.map((table) => `virtual table ${table.name} USING ${objectKey(table.using)}`),
  ].sort();
}

/** Where `replayed`'s objects differ from `described`'s, in words from the first to the second. */
export function describeObjectDifferences(described: readonly string[], replayed: readonly string[]): string[] {
  return objectChanges(described, replayed).map(renderShapeChange);
}

/**
 * Builds the model's views and triggers on its tables in `db` (which holds the tables) and proves SQLite can use
 * them: each view is read (a column or table it names that does not exist fails here), and a rename makes SQLite
 * check every view and trigger the way a migration's ALTER TABLE would. Throws a SchemaError naming the object.
 */
export function proveObjects(db: SqliteDatabase, database: Database): void {
  const fail = (what: string, error: unknown): never => {
    throw new SchemaError(
      { database: database.name },
      `${what} is rejected by SQLite: ${(error as Error).message}`,
      "fix its SQL: every table, view and column it names must be in the schema",
    );
  };
  for (const group of planObjectsFromNothing({ ...database, ifNotExists: false })) {
    for (const step of group.steps) {
      const what =
        step.kind === "createView"
          ? `view ${step.view.name}`
          : step.kind === "createTrigger"
            ? `trigger ${step.trigger.name}`
            : step.kind === "createVirtualTable"
              ? `virtual table ${step.table.name}`
              : "";
      try {
        // prepare() takes exactly one statement: a definition cannot carry a second one.
        db.prepare(renderStep(step)).run();
      } catch (error) {
        fail(what, error);
      }
    }
  }
  for (const view of viewsInCreationOrder(objectsOf(database).views)) {
    try {
      db.prepare(`SELECT * FROM "${view.name.replaceAll('"', '""')}"`);
    } catch (error) {
      fail(`view ${view.name}`, error);
    }
  }
  const probe = `${toolPrefix}probe`;
  try {
    db.exec(`CREATE TABLE ${probe} (x); ALTER TABLE ${probe} RENAME TO ${probe}_renamed; DROP TABLE ${probe}_renamed`);
  } catch (error) {
    const named = /^error in (view|trigger) ([^:]+):/.exec((error as Error).message);
    fail(named ? `${named[1]} ${named[2]}` : "a view or trigger", error);
  }
}
