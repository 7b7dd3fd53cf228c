// Foreign keys as a graph of tables: creation order (parents first), drop order (children first), and the set
// of tables whose rows depend on a table, which a rebuild must carry along.
import { isUniqueKey } from "../model/keys.js";
import type { ForeignKey, ReferentialAction, Table } from "../model/model.js";

/** Tables ordered so that every table comes after the tables it references; cycles are broken by name order. */
export function parentFirst(tables: readonly Table[]): Table[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: Table[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: Table) => {
    if (state.has(table.name)) return;
    state.set(table.name, "visiting");
    const parents = [...new Set(table.foreignKeys.map((foreignKey) => foreignKey.table))].sort();
    for (const parent of parents) {
      const parentTable = byName.get(parent);
      if (parentTable && parent !== table.name) visit(parentTable);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  [...tables].sort((a, b) => (a.name < b.name ? -1 : 1)).forEach(visit);
  return ordered;
}

/** Every table that references one of `roots`, directly or through other referencing tables; roots excluded. */
export function referencingClosure(tables: readonly Table[], roots: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const table of tables) {
      if (roots.has(table.name) || found.has(table.name)) continue;
      if (table.foreignKeys.some((foreignKey) => foreignKey.table === parent)) {
        found.add(table.name);
        queue.push(table.name);
      }
    }
  }
  return found;
}

/**
 * A cycle among `names` that contains an ON DELETE RESTRICT edge, as a list of tables, or undefined. RESTRICT is
 * checked at once even with deferred foreign keys, so such tables cannot be emptied in any order.
 */
export function restrictCycle(tables: readonly Table[], names: ReadonlySet<string>): string[] | undefined {
  const members = tables.filter((table) => names.has(table.name));
  const edges = (table: Table) =>
    table.foreignKeys.filter((foreignKey) => names.has(foreignKey.table)).map((foreignKey) => ({ to: foreignKey.table, action: foreignKey.onDelete }));
  for (const start of members) {
    for (const edge of edges(start)) {
      if (edge.action !== "RESTRICT") continue;
      if (edge.to === start.name) continue; // A self-reference: one DELETE removes child and parent rows together.
      const path = findPath(members, edge.to, start.name, edges);
      if (path) return [start.name, ...path];
    }
  }
  return undefined;
}

function findPath(members: Table[], from: string, to: string, edges: (table: Table) => { to: string; action: ReferentialAction }[]): string[] | undefined {
  const byName = new Map(members.map((table) => [table.name, table]));
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === to) {
      const path = [current];
      while (path[0] !== from) path.unshift(previous.get(path[0])!);
      return path;
    }
    for (const edge of edges(byName.get(current)!)) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        previous.set(edge.to, current);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}

/**
 * The foreign keys of `table` that SQLite cannot use among `tables`: to a table that is not there, or to columns
 * that are not its primary key or UNIQUE (lint's foreign-key-to-missing-table and foreign-key-to-non-unique). SQLite
 * accepts such a table but refuses every INSERT, UPDATE or DELETE on it, and DELETE, key updates and INSERT … SELECT
 * on the parent ("foreign key mismatch", "no such table"); only DROP TABLE passes.
 */
export function unusableForeignKeys(table: Table, tables: readonly Table[]): ForeignKey[] {
  const byName = new Map(tables.map((candidate) => [candidate.name.toLowerCase(), candidate]));
  return table.foreignKeys.filter((key) => {
    const parent = byName.get(key.table.toLowerCase());
    return !parent || !isUniqueKey(parent, key.refColumns);
  });
}
