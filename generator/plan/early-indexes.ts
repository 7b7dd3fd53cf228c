// Unique indexes that a rebuild may need. A rebuilt table's new foreign key can point at columns of a kept table
// that only a unique index added in the same migration makes unique. SQLite refuses every write that involves a
// foreign key whose parent key no unique index covers ("foreign key mismatch"), and the rebuild writes: it copies
// rows into the rebuilt table, and empties and refills carried tables that a new table may already reference. So
// such an index is created before the rebuild, and with it what it depends on: a plain column it names that this
// migration adds, and an old index of the same name that no foreign key can point at (it is dropped first).
import type { Change } from "../diff/changes.js";
import type { Database, Index } from "../model/model.js";
import { isForeignKeyTarget } from "../model/keys.js";

type ChangeOf<K extends Change["kind"]> = Extract<Change, { kind: K }>;

/** The changes to make before the rebuild, each taken from `inPlace` (the changes on tables that are not rebuilt). */
export interface ChangesBeforeRebuild {
  dropIndexes: ChangeOf<"dropIndex">[];
  addColumns: ChangeOf<"addColumn">[];
  createIndexes: ChangeOf<"createIndex">[];
}

/**
 * `waitingRename(table, column)`: true when a renamed column reaches its final name only after the rebuild (it
 * takes the name of a column dropped later); an index on it waits too.
 */
export function uniqueIndexesBeforeRebuild(
  from: Database,
  to: Database,
  inPlace: readonly Change[],
  waitingRename: (table: string, column: string) => boolean,
): ChangesBeforeRebuild {
  const early: ChangesBeforeRebuild = { dropIndexes: [], addColumns: [], createIndexes: [] };
  const of = <K extends Change["kind"]>(kind: K) => inPlace.filter((change): change is ChangeOf<K> => change.kind === kind);
  // Index names are case-insensitive and unique in a database, whichever table holds the index.
  const oldIndexes = new Map(from.tables.flatMap((table) => table.indexes.map((index) => [index.name.toLowerCase(), index])));
  for (const change of of("createIndex")) {
    if (!isForeignKeyTarget(change.index)) continue;
    const name = change.index.name.toLowerCase();
    const old = oldIndexes.get(name);
    // The old index goes first only when no foreign key relies on it; otherwise it must outlive the rebuild,
    // which may remove the foreign key that points at it. An old index dropped with its table (rebuilt or
    // dropped) is still there before the rebuild, so its name is taken.
    const drop = old && of("dropIndex").find((candidate) => candidate.index.name.toLowerCase() === name);
    if (old && (!drop || reliedOn(from, old))) continue;
    const columns = change.index.parts.flatMap((part) => ("column" in part ? [part.column] : []));
    if (columns.some((column) => waitingRename(change.table, column))) continue;
    // ADD COLUMN appends, so the columns added to the table before the last one the index names come too.
    const addedHere = of("addColumn").filter((candidate) => candidate.table === change.table);
    const added = addedHere.slice(0, 1 + Math.max(-1, ...addedHere.map((add, at) => (columns.includes(add.column.name) ? at : -1))));
    // A REFERENCES column waits for the rebuild, which may be what makes its parent key unique.
    const table = to.tables.find((candidate) => candidate.name === change.table)!;
    if (added.some((add) => table.foreignKeys.some((key) => key.columns.includes(add.column.name)))) continue;
    if (drop) early.dropIndexes.push(drop);
    early.addColumns.push(...added.filter((add) => !early.addColumns.includes(add)));
    early.createIndexes.push(change);
  }
  return early;
}

const lowerSet = (names: readonly string[]) => new Set(names.map((name) => name.toLowerCase()));

/** True when a foreign key of `from` points at exactly the columns `index` makes unique, so it needs the index. */
function reliedOn(from: Database, index: Index): boolean {
  if (!isForeignKeyTarget(index)) return false;
  const owner = from.tables.find((table) => table.indexes.includes(index))!;
  const covered = lowerSet(index.parts.flatMap((part) => ("column" in part ? [part.column] : [])));
  return from.tables.some((table) =>
    table.foreignKeys.some((key) => {
      const target = lowerSet(key.refColumns);
      return key.table.toLowerCase() === owner.name.toLowerCase() && target.size === covered.size && [...target].every((column) => covered.has(column));
    }),
  );
}
