// Which column sets of a table are keys: what a foreign key may point at. SQLite looks for the parent key among the
// primary key, the UNIQUE constraints and the UNIQUE indexes, and refuses every write through a foreign key to
// anything else ("foreign key mismatch"); lint's foreign-key-to-non-unique (lint/schema-rules.ts) and the plan ask here.
import type { Index, Table } from "./model.js";

/**
 * True when `columns` are exactly (in any order, names without case as SQLite compares them) the primary key, a
 * UNIQUE constraint, or the columns of a UNIQUE index SQLite accepts as a parent key.
 */
export function isUniqueKey(table: Table, columns: readonly string[]): boolean {
  const wanted = [...columns]
    .map((name) => name.toLowerCase())
    .sort()
    .join(",");
  const keySets = [
    table.primaryKey?.columns,
    ...table.uniques.map((unique) => unique.columns),
    ...table.indexes.filter(isForeignKeyTarget).map((index) => index.parts.map((part) => ("column" in part ? part.column : ""))),
  ];
  return keySets.some(
    (set) =>
      set !== undefined &&
      [...set]
        .map((name) => name.toLowerCase())
        .sort()
        .join(",") === wanted,
  );
}

/**
 * True when a foreign key may point at the index's columns: SQLite ignores partial and expression indexes there, and
 * an index whose COLLATE differs from the column's. Any COLLATE is taken as differing: one equal to the column's own
 * adds nothing the index without it lacks.
 */
export function isForeignKeyTarget(index: Index): boolean {
  return index.unique && index.where === undefined && index.parts.every((part) => "column" in part && !part.collate);
}
