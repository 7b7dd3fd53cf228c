// The order a table's columns are declared in (its object in the schema file) and the order its migrations built
// them in are two things. SQLite's ALTER TABLE ADD COLUMN only appends, so a column declared anywhere is added at
// the end: the built order is the one the snapshot, the fresh squash and every comparison with a database use, and
// the declared order is kept beside it (`declaredOrder`) for what people read (types, docs). Only a table the user
// names for a physical reorder (`generate --reorder-columns`) takes its declared order, which costs a rebuild.
import type { Database, Table } from "../model/model.js";
import { pairColumns, pairTables, type PairingOptions } from "./pairing.js";

/**
 * `declared` with each kept table's columns in the order `built` has them (under their new names), new columns
 * after them in declared order, and `declaredOrder` set where that differs from the declaration. Tables in
 * `reorder` (names in `declared`) keep their declared order. A new table keeps its declared order.
 */
export function inBuiltColumnOrder(declared: Database, built: Database, reorder: ReadonlySet<string> = new Set(), options: PairingOptions = {}): Database {
  const { pairs } = pairTables(built, declared, { strictHints: false, ...options });
  const builtTableOf = new Map(pairs.map((pair) => [pair.to.name, pair.from]));
  return {
    ...declared,
    tables: declared.tables.map((table) => {
      const old = builtTableOf.get(table.name);
      const declaredNames = table.columns.map((column) => column.name);
      const { declaredOrder: _previous, ...withoutOrder } = table;
      if (!old || reorder.has(table.name)) return withoutOrder;
      const columns = builtOrder(declared.name, old, withoutOrder, options);
      const builtNames = columns.map((column) => column.name);
      return sameNames(builtNames, declaredNames) ? withoutOrder : { ...withoutOrder, columns, declaredOrder: declaredNames };
    }),
  };
}

/** The table's columns: those it kept in the built table's order, then the new ones in declared order. */
function builtOrder(database: string, old: Table, table: Table, options: PairingOptions): Table["columns"] {
  const { pairs } = pairColumns(database, old, table, { strictHints: false, ...options });
  const position = new Map(old.columns.map((column, index) => [column.name, index]));
  const builtPosition = new Map(pairs.map((pair) => [pair.to.name, position.get(pair.from.name)!]));
  const kept = table.columns.filter((column) => builtPosition.has(column.name)).sort((a, b) => builtPosition.get(a.name)! - builtPosition.get(b.name)!);
  const added = table.columns.filter((column) => !builtPosition.has(column.name));
  return [...kept, ...added];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
