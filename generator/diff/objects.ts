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
  return [
    ...pairByName(before.virtualTables, after.virtualTables, sameVirtualTable, {
      drop: (table) => ({ kind: "dropVirtualTable", table }),
      create: (table) => ({ kind: "createVirtualTable", table }),
      replace: (from, to) => ({ kind: "replaceVirtualTable", from, to }),
    }),
    ...pairByName(before.views, after.views, sameView, {
      drop: (view) => ({ kind: "dropView", view }),
      create: (view) => ({ kind: "createView", view }),
      replace: (from, to) => ({ kind: "replaceView", from, to }),
    }),
    ...pairByName(before.triggers, after.triggers, sameTrigger, {
      drop: (trigger) => ({ kind: "dropTrigger", trigger }),
      create: (trigger) => ({ kind: "createTrigger", trigger }),
      replace: (from, to) => ({ kind: "replaceTrigger", from, to }),
    }),
  ];
}

/** One kind of object, matched by name without case: the old ones gone, then each new one created or replaced. */
function pairByName<T extends { name: string }>(
  before: readonly T[],
  after: readonly T[],
  same: (from: T, to: T) => boolean,
  change: { drop: (object: T) => Change; create: (object: T) => Change; replace: (from: T, to: T) => Change },
): Change[] {
  const old = new Map(before.map((object) => [object.name.toLowerCase(), object]));
  const kept = new Set(after.map((object) => object.name.toLowerCase()));
  const changes = before.filter((object) => !kept.has(object.name.toLowerCase())).map(change.drop);
  for (const object of after) {
    const previous = old.get(object.name.toLowerCase());
    if (!previous) changes.push(change.create(object));
    else if (!same(previous, object)) changes.push(change.replace(previous, object));
  }
  return changes;
}
