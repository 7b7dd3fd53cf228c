// Index names are unique across a database, whichever table holds the index. When a name moves to another table,
// the new index may be created (with a new table, or inside a rebuild) before the place where removed indexes are
// dropped; CREATE INDEX then fails ("index ... already exists"), or with IF NOT EXISTS silently keeps the old one.
// Such old indexes are dropped first.
import type { Change } from "../diff/changes.js";
import type { Database } from "../model/model.js";

/**
 * Old indexes whose name an index of another table takes, with the dropIndex change that removes each in place
 * (absent when the index goes with its dropped or rebuilt table, which happens too late).
 */
export function indexesToDropFirst(
  from: Database,
  to: Database,
  changes: readonly Change[],
  renamedTo: ReadonlyMap<string, string>,
): { name: string; change?: Extract<Change, { kind: "dropIndex" }> }[] {
  const newOwner = new Map(to.tables.flatMap((table) => table.indexes.map((index) => [index.name.toLowerCase(), table.name])));
  const moved: { name: string; change?: Extract<Change, { kind: "dropIndex" }> }[] = [];
  for (const table of from.tables) {
    for (const index of table.indexes) {
      const owner = newOwner.get(index.name.toLowerCase());
      if (owner === undefined || owner === (renamedTo.get(table.name) ?? table.name)) continue;
      const change = changes.find(
        (candidate): candidate is Extract<Change, { kind: "dropIndex" }> => candidate.kind === "dropIndex" && candidate.index.name === index.name,
      );
      moved.push({ name: index.name, change });
    }
  }
  return moved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
