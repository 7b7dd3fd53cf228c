// Views, triggers and virtual tables, old × new: created, dropped, or replaced when their SQL differs (white space and comments
// aside). Matched by name; a renamed view is a drop and a create, which loses nothing (a view holds no rows).
import type { Database } from "../model/model.js";
import { objectsOf, sameTrigger, sameView, sameVirtualTable } from "../model/objects.js";
import type { Change } from "./changes.js";

export function diffObjects(from: Database, to: Database): Change[] {
  const before = objectsOf(from);
  const after = objectsOf(to);
  const count = (objects: typeof before) => objects.views.length + objects.triggers.length + objects.virtualTables.length;
  if (count(before) + count(after) === 0) return [];
  const changes: Change[] = [];
  const oldVirtual = new Map(before.virtualTables.map((table) => [table.name.toLowerCase(), table]));
  const newVirtual = new Set(after.virtualTables.map((table) => table.name.toLowerCase()));
  for (const table of before.virtualTables) if (!newVirtual.has(table.name.toLowerCase())) changes.push({ kind: "dropVirtualTable", table });
  for (const table of after.virtualTables) {
    const old = oldVirtual.get(table.name.toLowerCase());
    if (!old) changes.push({ kind: "createVirtualTable", table });
    else if (!sameVirtualTable(old, table)) changes.push({ kind: "replaceVirtualTable", from: old, to: table });
  }
  const oldViews = new Map(before.views.map((view) => [view.name.toLowerCase(), view]));
  const newViews = new Set(after.views.map((view) => view.name.toLowerCase()));
  for (const view of before.views) if (!newViews.has(view.name.toLowerCase())) changes.push({ kind: "dropView", view });
  for (const view of after.views) {
    const old = oldViews.get(view.name.toLowerCase());
    if (!old) changes.push({ kind: "createView", view });
    else if (!sameView(old, view)) changes.push({ kind: "replaceView", from: old, to: view });
  }
  const oldTriggers = new Map(before.triggers.map((trigger) => [trigger.name.toLowerCase(), trigger]));
  const newTriggers = new Set(after.triggers.map((trigger) => trigger.name.toLowerCase()));
  for (const trigger of before.triggers) if (!newTriggers.has(trigger.name.toLowerCase())) changes.push({ kind: "dropTrigger", trigger });
  for (const trigger of after.triggers) {
    const old = oldTriggers.get(trigger.name.toLowerCase());
    if (!old) changes.push({ kind: "createTrigger", trigger });
    else if (!sameTrigger(old, trigger)) changes.push({ kind: "replaceTrigger", from: old, to: trigger });
  }
  return changes;
}
