// Change[] → an ordered migration plan. The planner, not the differ, knows SQLite's ALTER limits: each changed
// table is altered in place when every change to it is legal there, and rebuilt (D1-safe, see rebuild.ts) when not.
//
// Order within a migration: drop tables whose names renamed tables take (or rename them out of the way while kept
// tables still reference them), rename tables and columns (renames.ts),
// create tables parents first, the unique indexes a rebuild may need (early-indexes.ts), rebuild, drop removed
// indexes, add columns, drop columns, finish the renames onto their names, drop tables children first, create
// indexes last.
import { describeChange, type Change } from "../diff/changes.js";
import type { SchemaDiff, TableChanges } from "../diff/diff.js";
import { toolPrefix } from "../model/identifiers.js";
import type { Database, Table } from "../model/model.js";
import { addColumnObstacle, dropColumnObstacle, renamesOnlyInRebuild } from "./alter-rules.js";
import { uniqueIndexesBeforeRebuild } from "./early-indexes.js";
import { lossesOf } from "./losses.js";
import { indexesToDropFirst } from "./moved-index-names.js";
import { parentFirst, referencingClosure } from "./fk-graph.js";
import { planTableCreations } from "./from-nothing.js";
import { withObjectSteps } from "./objects.js";
import { planRebuilds, type TableRebuild } from "./rebuild.js";
import { planRenames, rebuildsWithReferencingTables, type ColumnMoves, type RenamePlan } from "./renames.js";
import type { MigrationPlan, RebuiltTables, Step, StepGroup } from "./steps.js";

/**
 * The diff carries the table and column pairs it was found from, and each kept table's changes: the planner works
 * per kept table and never pairs anything again.
 */
export function planMigration(diff: SchemaDiff): MigrationPlan {
  const { from, to, changes, created } = diff;
  const newTables = new Map(to.tables.map((table) => [table.name, table]));
  const renamedTo = new Map(diff.kept.map((pair) => [pair.from.name, pair.to.name]));
  const renames = planRenames(diff, (table) => renamesOnlyInRebuild(table.from, table.changes));
  const rebuilds = rebuildsWithReferencingTables(diff.kept, created, renames, (table, alsoBecause) =>
    rebuildFor(table, renames.columns.get(table.to.name)!, alsoBecause),
  );
  const rebuilt = new Set(rebuilds.map((rebuild) => rebuild.to.name));
  // Changes to a rebuilt table are made by its rebuild.
  const madeByRebuild = new Set(diff.kept.filter((table) => rebuilt.has(table.to.name)).flatMap((table) => table.changes));
  const inPlace = (change: Change) => !madeByRebuild.has(change);
  const waitingRename = (table: string, column: string) => renames.columns.get(table)?.waiting.some((rename) => rename.to === column) ?? false;
  const early = rebuilds.length > 0 ? uniqueIndexesBeforeRebuild(from, to, changes.filter(inPlace), waitingRename) : undefined;
  // A dropped table that steps aside keeps its indexes until it is dropped, late: one whose name a new index takes
  // is dropped first.
  const asideTo = new Map(renames.aside.map((rename) => [rename.from, rename.to]));
  const movedIndexes = indexesToDropFirst(from, to, changes, new Map([...renamedTo, ...asideTo]));
  const movedDrops = movedIndexes.flatMap((moved) => (moved.change ? [moved.change] : []));
  const madeEarly = new Set<Change>([
    ...movedDrops,
    ...(early ? [...early.dropIndexes.filter((change) => !movedDrops.includes(change)), ...early.addColumns, ...early.createIndexes] : []),
  ]);
  const ofKind = <K extends Change["kind"]>(kind: K) =>
    changes.filter((change): change is Extract<Change, { kind: K }> => change.kind === kind && inPlace(change) && !madeEarly.has(change));

  const groups: StepGroup[] = [];
  const add = (comment: string, steps: Step[]) => {
    if (steps.length > 0) groups.push({ comment, steps });
  };
  const droppedFirst = new Set(renames.droppedFirst.map((table) => table.name));
  const dropped = ofKind("dropTable")
    .map((change) => change.table)
    .filter((table) => !droppedFirst.has(table.name));
  const nowNamed = (table: string) => asideTo.get(table) ?? table;
  // Deferred checks let rows move in any order during a rebuild, and let DROP TABLE's implicit DELETE remove a
  // table whose rows reference each other (ON DELETE RESTRICT would otherwise refuse the first parent row).
  if (rebuilds.length > 0 || dropped.length > 0 || droppedFirst.size > 0) {
    add("Foreign key checks wait for the end of this migration, so rows can move in any order.", [{ kind: "deferForeignKeys" }]);
  }
  add(
    "Drop indexes whose names indexes of other tables take (index names are unique in a database).",
    movedIndexes.map((moved): Step => ({ kind: "dropIndex", index: moved.name })),
  );
  add(
    `Drop ${[...droppedFirst].join(", ")} first: renamed tables take ${droppedFirst.size > 1 ? "their names" : "its name"}.`,
    renames.droppedFirst.map((table) => ({ kind: "dropTable", table: table.name })),
  );
  add(
    `Rename ${renames.aside.map((rename) => rename.from).join(", ")} out of the way: renamed tables take ${renames.aside.length > 1 ? "their names" : "its name"}, and kept tables still reference ${renames.aside.length > 1 ? "them" : "it"} until they are rebuilt; dropped below.`,
    renames.aside.map((rename): Step => ({ kind: "renameTable", ...rename })),
  );
  const throughTemporary = (moves: { to: string }[]) =>
    moves.some((move) => move.to.startsWith(toolPrefix)) ? ", through a temporary name where the new one is still taken" : "";
  add(
    `Rename tables (SQLite rewrites the references to them${throughTemporary(renames.tables)}).`,
    renames.tables.map((rename) => ({ kind: "renameTable", ...rename })),
  );
  // Renamed in place even on a table that is rebuilt next: RENAME COLUMN also rewrites the REFERENCES of the
  // tables that point at the column, which a rebuild (it leaves those tables as they are) would leave dangling.
  const columnRenames = [...renames.columns].flatMap(([table, moves]) => moves.renames.map((rename): Step => ({ kind: "renameColumn", table, ...rename })));
  add(`Rename columns${throughTemporary([...renames.columns.values()].flatMap((moves) => moves.renames))}.`, columnRenames);
  // A new table that references a rebuilt one (directly or through other new tables) is created inside the
  // rebuild, once the old table is gone: the key it points at may only become unique there, and SQLite refuses
  // any write that involves a foreign key to a non-unique key ("foreign key mismatch"). The other new tables come
  // first, for rebuilt tables that may reference them.
  const createdLate = referencingClosure(created, rebuilt);
  // The same creations a squash or a baseline makes (from-nothing.ts), for the tables this migration creates.
  const createTables = (tables: Table[]) => {
    for (const { comment, steps } of planTableCreations(tables, to.ifNotExists)) add(comment, steps);
  };
  createTables(created.filter((table) => !createdLate.has(table.name)));
  if (early) {
    add("Unique indexes a rebuilt or new table's foreign keys may point at, created before the rebuild writes rows.", [
      ...early.dropIndexes.filter((change) => !movedDrops.includes(change)).map((change): Step => ({ kind: "dropIndex", index: change.index.name })),
      ...early.addColumns.map((change): Step => ({ kind: "addColumn", table: newTables.get(change.table)!, column: change.column })),
      ...early.createIndexes.map((change): Step => ({
        kind: "createIndex",
        table: newTables.get(change.table)!,
        index: change.index,
        ifNotExists: to.ifNotExists,
      })),
    ]);
  }
  const droppedByRebuild = new Set<string>();
  let rebuiltTables: RebuiltTables | undefined;
  if (rebuilds.length > 0) {
    const remaining = {
      ...from,
      tables: from.tables
        .filter((table) => !droppedFirst.has(table.name))
        .map((table) => ({
          ...table,
          name: nowNamed(table.name),
          foreignKeys: table.foreignKeys.map((foreignKey) => ({ ...foreignKey, table: nowNamed(foreignKey.table) })),
        })),
    };
    const current = tablesDuringRebuild(remaining, renames, created, renamedTo, rebuilt).filter((table) => !createdLate.has(table.name));
    const lateTables = created.filter((table) => createdLate.has(table.name));
    const rebuild = planRebuilds(to.name, current, rebuilds, new Set(dropped.map((table) => nowNamed(table.name))), {
      tables: lateTables,
      ifNotExists: to.ifNotExists,
      final: to.tables,
    });
    groups.push(...rebuild.groups);
    rebuild.dropped.forEach((name) => droppedByRebuild.add(name));
    rebuiltTables = rebuild.tables;
  }
  // Indexes are dropped after the rebuild: a foreign key the rebuild removes may point at columns only this index
  // makes unique, and until it is gone SQLite refuses every write that involves that key ("foreign key mismatch").
  // They still go before columns are dropped, which SQLite refuses while an index names the column.
  add(
    "Drop indexes that were removed or changed.",
    ofKind("dropIndex").map((change) => ({ kind: "dropIndex", index: change.index.name })),
  );
  // Columns are added after the rebuild: a new REFERENCES column may point at a key the rebuild makes unique,
  // and until then SQLite refuses every write that involves it ("foreign key mismatch").
  add(
    "Add columns.",
    ofKind("addColumn").map((change) => ({ kind: "addColumn", table: newTables.get(change.table)!, column: change.column })),
  );
  add(
    "Drop columns.",
    ofKind("dropColumn").map((change) => ({ kind: "dropColumn", table: change.table, column: change.column.name })),
  );
  add(
    "Rename columns that waited for the dropped column whose name they take.",
    [...renames.columns].flatMap(([table, moves]) =>
      rebuilt.has(table) ? [] : moves.waiting.map((rename): Step => ({ kind: "renameColumn", table, ...rename })),
    ),
  );
  const droppedOrder = parentFirst(dropped.filter((table) => !droppedByRebuild.has(nowNamed(table.name)))).reverse();
  const droppedNames = new Set(droppedOrder.map((table) => table.name));
  const linked = droppedOrder.some((table) => table.foreignKeys.some((foreignKey) => droppedNames.has(foreignKey.table) && foreignKey.table !== table.name));
  const dropComment = linked ? " (each before the tables it references)" : "";
  add(
    `Drop ${droppedOrder.map((table) => nowNamed(table.name)).join(", ")}${dropComment}.`,
    droppedOrder.map((table) => ({ kind: "dropTable", table: nowNamed(table.name) })),
  );
  add(
    "Create indexes.",
    ofKind("createIndex").map((change): Step => ({
      kind: "createIndex",
      table: newTables.get(change.table)!,
      index: change.index,
      ifNotExists: to.ifNotExists,
    })),
  );
  return withObjectSteps(diff, { groups, losses: lossesOf(changes, diff.kept), rebuild: rebuiltTables });
}

/** Whether an SQL expression may name `name` (conservative: any occurrence of the name, without case). */
const mentions = (expression: string | undefined, name: string) => expression !== undefined && expression.toLowerCase().includes(name.toLowerCase());

/** The rebuild a changed table needs, or undefined when every change to it can be made with ALTER TABLE. */
function rebuildFor({ from, to, changes }: TableChanges, moves: ColumnMoves, alsoBecause: string[]): TableRebuild | undefined {
  const reasons: string[] = [...moves.onlyInRebuild].map(
    (name) => `rename column ${name}: SQLite cannot rename the INTEGER key of a WITHOUT ROWID table that a UNIQUE constraint names`,
  );
  reasons.push(...alsoBecause);
  for (const change of changes) {
    if (change.kind === "alterColumn" || change.kind === "alterTable") reasons.push(describeChange(change));
    if (change.kind === "addColumn") {
      const obstacle = addColumnObstacle(to, change.column);
      if (obstacle) reasons.push(`add column ${change.column.name}: ${obstacle}`);
      // Added in place, it would come before the renames that wait for a dropped column's name, and its expression
      // would name the dropped column (SQLite then refuses the drop) or a name nothing holds yet.
      const waiting = moves.waiting.filter((rename) => mentions(change.column.generated?.expression, rename.to));
      if (waiting.length > 0) {
        reasons.push(
          `add column ${change.column.name}: its expression names ${waiting.map((rename) => rename.to).join(", ")}, which a renamed column takes only once the dropped column of that name is gone`,
        );
      }
    }
    if (change.kind === "dropColumn") {
      const obstacle = dropColumnObstacle(from, change.column.name);
      if (obstacle) reasons.push(`drop column ${change.column.name}: ${obstacle}`);
    }
  }
  if (reasons.length === 0) return undefined;
  // Columns are found under the name the renames before the rebuild left them: the new one, a temporary one (a
  // rename onto a column dropped here), or the old one (renamed here only).
  const rename = (name: string) => moves.names.get(name)?.during ?? name;
  const renamed: Table = {
    ...from,
    name: to.name,
    columns: from.columns.map((column) => ({ ...column, name: rename(column.name) })),
    primaryKey: from.primaryKey && { ...from.primaryKey, columns: from.primaryKey.columns.map(rename) },
  };
  return { from: renamed, to, sources: new Map([...moves.names.values()].map((names) => [names.final, names.during])), reasons };
}

/**
 * The tables as they stand when the rebuild runs: renames done, new tables created, no column added and nothing
 * dropped yet. Tables that are dropped later still hold rows then, so the rebuild must carry them too.
 */
function tablesDuringRebuild(from: Database, renames: RenamePlan, created: readonly Table[], renamedTo: Map<string, string>, rebuilt: Set<string>): Table[] {
  const renameReferences = (table: Table): Table => ({
    ...table,
    foreignKeys: table.foreignKeys.map((foreignKey) => ({ ...foreignKey, table: renamedTo.get(foreignKey.table) ?? foreignKey.table })),
  });
  const existing = from.tables.map((old) => {
    const name = renamedTo.get(old.name);
    if (name === undefined) return renameReferences(old);
    if (rebuilt.has(name)) return renameReferences({ ...old, name });
    const names = renames.columns.get(name)!.names;
    return renameReferences({ ...old, name, columns: old.columns.map((column) => ({ ...column, name: names.get(column.name)?.during ?? column.name })) });
  });
  return [...existing, ...created];
}
