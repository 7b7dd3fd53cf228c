// Change[] → an ordered migration plan. The planner, not the differ, knows SQLite's ALTER limits: each changed
// table is altered in place when every change to it is legal there, and rebuilt (D1-safe, see rebuild.ts) when not.
//
// Order within a migration: rename tables and columns, create tables parents first, rebuild, drop removed indexes,
// add columns, drop columns, drop tables children first, create indexes last.
import { describeChange, type Change } from "../diff/changes.js";
import { pairByName } from "../diff/pairing.js";
import type { Database, Table } from "../model/model.js";
import { addColumnObstacle, dropColumnObstacle } from "./alter-rules.js";
import { parentFirst, referencingClosure } from "./fk-graph.js";
import { planRebuilds, type TableRebuild } from "./rebuild.js";
import type { MigrationPlan, Step, StepGroup } from "./steps.js";

export function planMigration(from: Database, to: Database, changes: readonly Change[]): MigrationPlan {
  const newTables = new Map(to.tables.map((table) => [table.name, table]));
  const tablePairs = pairByName(from.tables, to.tables);
  const renamedTo = new Map(tablePairs.pairs.map((pair) => [pair.from.name, pair.to.name]));
  const changesOf = (table: string) => changes.filter((change) => "table" in change && change.table === table);
  const oldTableOf = (table: string) => tablePairs.pairs.find((pair) => pair.to.name === table)!.from;

  const rebuilds = tablePairs.pairs
    .map((pair) => rebuildFor(pair.from, pair.to, changesOf(pair.to.name), renamesOnlyInRebuild(pair.from, changesOf(pair.to.name))))
    .filter((rebuild): rebuild is TableRebuild => rebuild !== undefined);
  const rebuilt = new Set(rebuilds.map((rebuild) => rebuild.to.name));
  const inPlace = (change: Change) => !("table" in change) || typeof change.table !== "string" || !rebuilt.has(change.table);
  const ofKind = <K extends Change["kind"]>(kind: K) =>
    changes.filter((change): change is Extract<Change, { kind: K }> => change.kind === kind && inPlace(change));

  const groups: StepGroup[] = [];
  const add = (comment: string, steps: Step[]) => {
    if (steps.length > 0) groups.push({ comment, steps });
  };
  const dropped = ofKind("dropTable").map((change) => change.table);
  // Deferred checks let rows move in any order during a rebuild, and let DROP TABLE's implicit DELETE remove a
  // table whose rows reference each other (ON DELETE RESTRICT would otherwise refuse the first parent row).
  if (rebuilds.length > 0 || dropped.length > 0) {
    add("Foreign key checks wait for the end of this migration, so rows can move in any order.", [{ kind: "deferForeignKeys" }]);
  }
  add("Rename tables (SQLite rewrites the references to them).", ofKind("renameTable").map((change) => ({ kind: "renameTable", from: change.from, to: change.to })));
  // Renamed in place even on a table that is rebuilt next: RENAME COLUMN also rewrites the REFERENCES of the
  // tables that point at the column, which a rebuild (it leaves those tables as they are) would leave dangling.
  const renamedColumns = changes.filter(
    (change): change is Extract<Change, { kind: "renameColumn" }> =>
      change.kind === "renameColumn" && !renamesOnlyInRebuild(oldTableOf(change.table), changesOf(change.table)).has(change.from),
  );
  add("Rename columns.", renamedColumns.map((change) => ({ kind: "renameColumn", table: change.table, from: change.from, to: change.to })));
  // A new table that references a rebuilt one (directly or through other new tables) is created inside the
  // rebuild, once the old table is gone: the key it points at may only become unique there, and SQLite refuses
  // any write that involves a foreign key to a non-unique key ("foreign key mismatch"). The other new tables come
  // first, for rebuilt tables that may reference them.
  const created = ofKind("createTable").map((change) => change.table);
  const createdLate = referencingClosure(created, rebuilt);
  const createTables = (tables: Table[]) => {
    for (const table of parentFirst(tables)) {
      add(`Create ${table.name}${table.description ? `: ${table.description.replace(/\.$/, "")}` : ""}.`, [
        { kind: "createTable", table, ifNotExists: to.ifNotExists },
        ...table.indexes.map((index): Step => ({ kind: "createIndex", table, index, ifNotExists: to.ifNotExists })),
      ]);
    }
  };
  createTables(created.filter((table) => !createdLate.has(table.name)));
  const droppedByRebuild = new Set<string>();
  if (rebuilds.length > 0) {
    const current = tablesDuringRebuild(from, to, changes, renamedTo, rebuilt).filter((table) => !createdLate.has(table.name));
    const lateTables = created.filter((table) => createdLate.has(table.name));
    const rebuild = planRebuilds(to.name, current, rebuilds, new Set(dropped.map((table) => table.name)), { tables: lateTables, ifNotExists: to.ifNotExists });
    groups.push(...rebuild.groups);
    rebuild.dropped.forEach((name) => droppedByRebuild.add(name));
  }
  // Indexes are dropped after the rebuild: a foreign key the rebuild removes may point at columns only this index
  // makes unique, and until it is gone SQLite refuses every write that involves that key ("foreign key mismatch").
  // They still go before columns are dropped, which SQLite refuses while an index names the column.
  add("Drop indexes that were removed or changed.", ofKind("dropIndex").map((change) => ({ kind: "dropIndex", index: change.index.name })));
  // Columns are added after the rebuild: a new REFERENCES column may point at a key the rebuild makes unique,
  // and until then SQLite refuses every write that involves it ("foreign key mismatch").
  add("Add columns.", ofKind("addColumn").map((change) => ({ kind: "addColumn", table: newTables.get(change.table)!, column: change.column })));
  add("Drop columns.", ofKind("dropColumn").map((change) => ({ kind: "dropColumn", table: change.table, column: change.column.name })));
  const droppedOrder = parentFirst(dropped.filter((table) => !droppedByRebuild.has(table.name))).reverse();
  const droppedNames = new Set(droppedOrder.map((table) => table.name));
  const linked = droppedOrder.some((table) => table.foreignKeys.some((foreignKey) => droppedNames.has(foreignKey.table) && foreignKey.table !== table.name));
  const dropComment = linked ? " (each before the tables it references)" : "";
  add(`Drop ${droppedOrder.map((table) => table.name).join(", ")}${dropComment}.`, droppedOrder.map((table) => ({ kind: "dropTable", table: table.name })));
  add(
    "Create indexes.",
    ofKind("createIndex").map((change): Step => ({ kind: "createIndex", table: newTables.get(change.table)!, index: change.index, ifNotExists: to.ifNotExists })),
  );
  return { groups, destructive: destructiveChanges(changes) };
}

/** The rebuild a changed table needs, or undefined when every change to it can be made with ALTER TABLE. */
/**
 * Old names of columns SQLite cannot rename in place: the INTEGER key of a WITHOUT ROWID table that a table UNIQUE
 * also names (SQLite 3.51 fails: "error in table after rename"). Such a rename happens in a rebuild instead.
 */
function renamesOnlyInRebuild(from: Table, changes: Change[]): Set<string> {
  const key = from.primaryKey?.columns;
  const stuck = changes.filter(
    (change) =>
      change.kind === "renameColumn" &&
      from.withoutRowid &&
      key?.length === 1 &&
      key[0] === change.from &&
      from.columns.find((column) => column.name === change.from)?.type === "INTEGER" &&
      from.uniques.some((unique) => unique.columns.includes(change.from)),
  );
  return new Set(stuck.map((change) => (change.kind === "renameColumn" ? change.from : "")));
}

function rebuildFor(from: Table, to: Table, changes: Change[], renamedInRebuild: Set<string>): TableRebuild | undefined {
  const reasons: string[] = [...renamedInRebuild].map((name) => `rename column ${name}: SQLite cannot rename the INTEGER key of a WITHOUT ROWID table that a UNIQUE constraint names`);
  for (const change of changes) {
    if (change.kind === "alterColumn" || change.kind === "alterTable") reasons.push(describeChange(change));
    if (change.kind === "addColumn") {
      const obstacle = addColumnObstacle(to, change.column);
      if (obstacle) reasons.push(`add column ${change.column.name}: ${obstacle}`);
    }
    if (change.kind === "dropColumn") {
      const obstacle = dropColumnObstacle(from, change.column.name);
      if (obstacle) reasons.push(`drop column ${change.column.name}: ${obstacle}`);
    }
  }
  if (reasons.length === 0) return undefined;
  // Columns renamed in place before the rebuild are found under their new name; the others under their old one.
  const newNameOf = new Map(pairByName(from.columns, to.columns).pairs.map((pair) => [pair.from.name, pair.to.name]));
  const rename = (name: string) => (renamedInRebuild.has(name) ? name : (newNameOf.get(name) ?? name));
  const renamed: Table = {
    ...from,
    name: to.name,
    columns: from.columns.map((column) => ({ ...column, name: rename(column.name) })),
    primaryKey: from.primaryKey && { ...from.primaryKey, columns: from.primaryKey.columns.map(rename) },
  };
  return { from: renamed, to, sources: new Map([...newNameOf].map(([oldName, newName]) => [newName, rename(oldName)])), reasons };
}

/**
 * The tables as they stand when the rebuild runs: renames done, new tables created, no column added and nothing
 * dropped yet. Tables that are dropped later still hold rows then, so the rebuild must carry them too.
 */
function tablesDuringRebuild(
  from: Database,
  to: Database,
  changes: readonly Change[],
  renamedTo: Map<string, string>,
  rebuilt: Set<string>,
): Table[] {
  const newTables = new Map(to.tables.map((table) => [table.name, table]));
  const renameReferences = (table: Table): Table => ({
    ...table,
    foreignKeys: table.foreignKeys.map((foreignKey) => ({ ...foreignKey, table: renamedTo.get(foreignKey.table) ?? foreignKey.table })),
  });
  const existing = from.tables.map((old) => {
    const name = renamedTo.get(old.name);
    if (name === undefined) return renameReferences(old);
    if (rebuilt.has(name)) return renameReferences({ ...old, name });
    const columnPairs = pairByName(old.columns, newTables.get(name)!.columns);
    const renamedColumns = new Map(columnPairs.pairs.map((pair) => [pair.from.name, pair.to.name]));
    return renameReferences({ ...old, name, columns: old.columns.map((column) => ({ ...column, name: renamedColumns.get(column.name) ?? column.name })) });
  });
  const created = changes.flatMap((change) => (change.kind === "createTable" ? [change.table] : []));
  return [...existing, ...created];
}

/** What a plan would destroy, in words a reviewer can act on. */
export function destructiveChanges(changes: readonly Change[]): string[] {
  return changes.flatMap((change) => {
    switch (change.kind) {
      case "dropTable":
        return [`table ${change.table.name} and all its rows`];
      case "dropColumn":
        return [`column ${change.table}.${change.column.name} and its values`];
      case "alterColumn":
        return change.conversion === "narrowing"
          ? [`values of ${change.table}.${change.to.name} that do not fit ${change.to.type} (was ${change.from.type})`]
          : [];
      default:
        return [];
    }
  });
}
