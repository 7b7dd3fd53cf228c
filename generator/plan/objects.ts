// Views, triggers and virtual tables in a migration. Views and triggers hold no rows, so the plan drops every one it
// must touch first and creates them again last, around the table steps:
// - a removed or changed one (a changed one is dropped and created again: that loses nothing);
// - a trigger on a table the migration rebuilds, carries through a rebuild, renames or alters, or whose body names
//   one: the rebuild's DELETE and INSERT would fire it while rows move (changing other tables' rows), and dropping the
//   table would drop it silently;
// - a view that reads such a table, or reads a view set aside (transitively): SQLite checks every view when a table
//   or column is renamed or dropped, and fails the statement on one it cannot read ("error in view …").
// Names are found by the tokens of their SQL (model/objects.ts mentionedNames), which may name more than they use:
// setting one more view aside costs a statement, never a row.
// A virtual table removed or changed is dropped after the views and triggers (they may read or write it) and a new or
// changed one created before them; an external-content FTS5 table's index is built again from its content table
// when it is created or its content table moves (its rows are that table's; generate counts the others' rows as lost).
import type { SchemaDiff } from "../diff/diff.js";
import type { Database, Trigger, View, VirtualTable } from "../model/model.js";
import { externalContentTable, mentionedNames, objectsOf, viewsInCreationOrder } from "../model/objects.js";
import { tablesOfStep, type MigrationPlan, type Step, type StepGroup } from "./steps.js";

const untouching = new Set<Step["kind"]>(["createTable", "createIndex", "addColumn"]);

/**
 * The steps that create every virtual table, view and trigger of `database` in an empty one after its tables: virtual
 * tables, views in the order they read each other, then triggers.
 */
export function planObjectsFromNothing(database: Database): StepGroup[] {
  const { views, triggers, virtualTables } = objectsOf(database);
  // Nothing to index in an empty database (and a baseline's IF NOT EXISTS keeps the index production has).
  return [...virtualTableGroups(virtualTables, [], database.ifNotExists, false), ...creationGroups(views, triggers, database.ifNotExists)];
}

/** `plan` with the views and triggers it must drop first and create last. */
export function withObjectSteps(diff: SchemaDiff, plan: MigrationPlan): MigrationPlan {
  const before = objectsOf(diff.from);
  const after = objectsOf(diff.to);
  const count = (objects: typeof before) => objects.views.length + objects.triggers.length + objects.virtualTables.length;
  if (count(before) + count(after) === 0) return plan;
  // Creating a table or an index, or adding a column, neither moves rows nor makes SQLite check views.
  const touched = new Set<string>();
  for (const group of plan.groups) {
    for (const step of group.steps) if (!untouching.has(step.kind)) for (const name of tablesOfStep(step)) touched.add(name.toLowerCase());
  }
  const key = (name: string) => name.toLowerCase();
  const newViews = new Map(after.views.map((view) => [key(view.name), view]));
  const newTriggers = new Map(after.triggers.map((trigger) => [key(trigger.name), trigger]));
  const replaced = new Set<string>();
  const droppedVirtual: string[] = [];
  const createdVirtual: VirtualTable[] = [];
  for (const change of diff.changes) {
    if (change.kind === "replaceView") replaced.add(`view ${key(change.to.name)}`);
    if (change.kind === "replaceTrigger") replaced.add(`trigger ${key(change.to.name)}`);
    if (change.kind === "dropVirtualTable" || change.kind === "replaceVirtualTable") {
      droppedVirtual.push(change.kind === "dropVirtualTable" ? change.table.name : change.from.name);
    }
    if (change.kind === "createVirtualTable" || change.kind === "replaceVirtualTable")
      createdVirtual.push(change.kind === "createVirtualTable" ? change.table : change.to);
  }
  // A virtual table dropped or replaced is touched like a table: what reads it is set aside.
  for (const name of droppedVirtual) touched.add(key(name));
  // Old views and triggers set aside: gone from the schema, changed, or over a touched table or a view set aside.
  const asideViews = new Set(
    before.views.filter((view) => !newViews.has(key(view.name)) || replaced.has(`view ${key(view.name)}`)).map((view) => key(view.name)),
  );
  const reads = (sql: string) => [...mentionedNames(sql)].some((name) => touched.has(name) || asideViews.has(name));
  for (let grew = true; grew;) {
    grew = false;
    for (const view of before.views) {
      if (!asideViews.has(key(view.name)) && reads(view.select)) {
        asideViews.add(key(view.name));
        grew = true;
      }
    }
  }
  const asideTriggers = new Set(
    before.triggers
      .filter(
        (trigger) =>
          !newTriggers.has(key(trigger.name)) ||
          replaced.has(`trigger ${key(trigger.name)}`) ||
          touched.has(key(trigger.table)) ||
          asideViews.has(key(trigger.table)) ||
          reads(trigger.definition),
      )
      .map((trigger) => key(trigger.name)),
  );
  const oldViews = new Set(before.views.map((view) => key(view.name)));
  const oldTriggers = new Set(before.triggers.map((trigger) => key(trigger.name)));
  const drops: Step[] = [
    ...before.triggers.filter((trigger) => asideTriggers.has(key(trigger.name))).map((trigger): Step => ({ kind: "dropTrigger", trigger: trigger.name })),
    ...viewsInCreationOrder(before.views)
      .reverse()
      .filter((view) => asideViews.has(key(view.name)))
      .map((view): Step => ({ kind: "dropView", view: view.name })),
  ];
  const creates = creationGroups(
    after.views.filter((view) => !oldViews.has(key(view.name)) || asideViews.has(key(view.name))),
    after.triggers.filter((trigger) => !oldTriggers.has(key(trigger.name)) || asideTriggers.has(key(trigger.name))),
    diff.to.ifNotExists,
  );
  const dropGroup: StepGroup[] =
    drops.length === 0
      ? []
      : [
          {
            comment:
              "Drop the views and triggers this migration removes, changes or would run over; they hold no rows, and the ones the schema keeps are created again at the end (a trigger set aside does not fire while rows move).",
            steps: drops,
          },
        ];
  const virtualDrops: StepGroup[] =
    droppedVirtual.length === 0
      ? []
      : [
          {
            comment: "Drop the virtual tables this migration removes or changes, with their shadow tables.",
            steps: droppedVirtual.map((table): Step => ({ kind: "dropVirtualTable", table })),
          },
        ];
  // An external-content index whose content table moved is built again too: its rows may have new values.
  const moved = after.virtualTables.filter((table) => {
    const content = externalContentTable(table);
    return content !== undefined && touched.has(key(content)) && !createdVirtual.includes(table);
  });
  const virtualCreates = virtualTableGroups(createdVirtual, moved, diff.to.ifNotExists, true);
  return { ...plan, groups: [...dropGroup, ...virtualDrops, ...plan.groups, ...virtualCreates, ...creates] };
}

/** Creating virtual tables, then building the index of each external-content one created or in `rebuild` from its content table. */
function virtualTableGroups(created: readonly VirtualTable[], rebuild: readonly VirtualTable[], ifNotExists: boolean, index: boolean): StepGroup[] {
  const groups: StepGroup[] = [];
  if (created.length > 0) {
    groups.push({ comment: "Create virtual tables.", steps: created.map((table): Step => ({ kind: "createVirtualTable", table, ifNotExists })) });
  }
  const indexed = index ? [...created, ...rebuild].filter((table) => externalContentTable(table) !== undefined) : [];
  if (indexed.length > 0) {
    groups.push({
      comment: `Build the full-text index of ${indexed.map((table) => `${table.name} from ${externalContentTable(table)}`).join(", ")}: its rows are that table's.`,
      steps: indexed.map((table): Step => ({ kind: "rebuildFtsIndex", table: table.name })),
    });
  }
  return groups;
}

function creationGroups(views: readonly View[], triggers: readonly Trigger[], ifNotExists: boolean): StepGroup[] {
  const groups: StepGroup[] = [];
  if (views.length > 0) {
    groups.push({
      comment: "Create views, each after the views it reads.",
      steps: viewsInCreationOrder(views).map((view): Step => ({ kind: "createView", view, ifNotExists })),
    });
  }
  if (triggers.length > 0) {
    groups.push({
      comment: "Create triggers.",
      steps: triggers.map((trigger): Step => ({ kind: "createTrigger", trigger, ifNotExists })),
    });
  }
  return groups;
}
