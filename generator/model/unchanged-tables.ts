// The tables a model has exactly as an earlier one had them: same name, same value. Rendering a file again after one
// change (the snapshot, the squash, the types) reuses the earlier file's text for these, which at thousands of
// tables is most of the file. Computed once for each pair of models.
import type { Database } from "./model.js";
import { sameValue } from "./same-value.js";

const computed = new WeakMap<Database, WeakMap<Database, ReadonlySet<string>>>();

/**
 * Records what a diff found: `names` are tables of `current` equal to their namesakes in `previous` (a diff pairs
 * tables and compares them anyway). Every name must be such a table; a table left out is only rendered again.
 */
export function noteUnchangedTables(previous: Database, current: Database, names: ReadonlySet<string>): void {
  const byCurrent = computedFrom(previous);
  if (!byCurrent.has(current)) byCurrent.set(current, names);
}

export function unchangedTables(previous: Database, current: Database): ReadonlySet<string> {
  const byCurrent = computedFrom(previous);
  let names = byCurrent.get(current);
  if (!names) {
    const before = new Map(previous.tables.map((table) => [table.name, table]));
    names = new Set(current.tables.filter((table) => before.has(table.name) && sameValue(before.get(table.name), table)).map((table) => table.name));
    byCurrent.set(current, names);
  }
  return names;
}

function computedFrom(previous: Database): WeakMap<Database, ReadonlySet<string>> {
  let byCurrent = computed.get(previous);
  if (!byCurrent) computed.set(previous, (byCurrent = new WeakMap()));
  return byCurrent;
}
