// model × model → changes grouped per table, with the table and column pairs they were found from. Renames are
// never guessed: a table or column is renamed only when the new schema says `renamedFrom` (pairing.ts); anything
// else unmatched is a drop plus a create.
import type { Column, Database, ForeignKey, Index, IndexPart, Table } from "../model/model.js";
import { canonicalJson } from "../model/canonical-json.js";
import { declaredTypeOf, isStrictAny } from "../model/declared-type.js";
import { sameValue } from "../model/same-value.js";
import { noteUnchangedTables } from "../model/unchanged-tables.js";
import { mentionsIdentifier } from "../model/sql-fragment.js";
import type { Change, ColumnAttribute, Conversion, TableAttribute } from "./changes.js";
import { pairColumns, pairTables, type Pair, type Pairing, type PairingOptions } from "./pairing.js";
import { diffObjects } from "./objects.js";

/** A kept table (same name, or renamed): both definitions, how its columns pair, and what changed in it. */
export interface TableChanges extends Pair<Table> {
  columns: Pairing<Column>;
  /** Its column, constraint and index changes, in the order `SchemaDiff.changes` lists them; a rename of the table itself is not among them. */
  changes: Change[];
}

export interface SchemaDiff {
  from: Database;
  to: Database;
  /** Kept tables in the new schema's order, each with its changes (none when it is unchanged). */
  kept: TableChanges[];
  created: Table[];
  dropped: Table[];
  /**
   * Every change in the order a migration lists them: table renames, new tables, dropped tables, then each kept
   * table's, then views' and triggers' (diff/objects.ts).
   */
  changes: Change[];
}

/** The changes alone, for what only lists or compares them (drift, pull, lint). */
export function diffDatabases(from: Database, to: Database, options: PairingOptions = {}): Change[] {
  return diffSchemas(from, to, options).changes;
}

export function diffSchemas(from: Database, to: Database, options: PairingOptions = {}): SchemaDiff {
  const changes: Change[] = [];
  const { pairs, created, dropped } = pairTables(from, to, options);
  const tableNames = namesAfter({ pairs, created, dropped });
  // A table equal to its old self pairs each column with itself (its hints were applied before, so they claim
  // nothing): pairing it column by column cost most of a diff with no change.
  const identical = new Set(pairs.filter((pair) => sameValue(pair.from, pair.to)).map((pair) => pair.to.name));
  // Equal values include equal names, so these are tables unchanged under their own name (what rendering reuses).
  noteUnchangedTables(from, to, identical);
  const columnPairings = new Map(
    pairs.map((pair) => [pair.to.name, identical.has(pair.to.name) ? pairedWithItself(pair) : pairColumns(to.name, pair.from, pair.to, options)]),
  );
  const columnNames = new Map([...columnPairings].map(([table, pairing]) => [table, namesAfter(pairing)]));

  for (const pair of pairs) if (pair.from.name !== pair.to.name) changes.push({ kind: "renameTable", from: pair.from.name, to: pair.to.name });
  for (const table of created) changes.push({ kind: "createTable", table });
  for (const table of dropped) changes.push({ kind: "dropTable", table });
  // Without renames, a table equal to its old self has no change; most tables of a real diff are such tables.
  const renamed = (pairing: Pairing<{ name: string }>) => pairing.pairs.some((pair) => pair.from.name !== pair.to.name);
  const anyRename = renamed({ pairs, created, dropped }) || [...columnPairings.values()].some(renamed);
  // Renaming a table or a column rewrites references to it everywhere (SQLite ≥ 3.26), so old foreign keys are
  // compared under the new names.
  const rename = (tableName: string, columnName: string) => columnNames.get(tableNames.get(tableName) ?? tableName)?.get(columnName) ?? columnName;
  const kept = pairs.map((pair): TableChanges => {
    const columns = columnPairings.get(pair.to.name)!;
    const unchanged = !anyRename && identical.has(pair.to.name);
    return { ...pair, columns, changes: unchanged ? [] : diffTable(pair, columns, columnNames.get(pair.to.name)!, tableNames, rename) };
  });
  changes.push(...kept.flatMap((table) => table.changes), ...diffObjects(from, to));
  return { from, to, kept, created, dropped, changes };
}

function pairedWithItself({ from, to }: Pair<Table>): Pairing<Column> {
  return { pairs: to.columns.map((column, index) => ({ from: from.columns[index], to: column })), created: [], dropped: [] };
}

/**
 * Old name → the name the new schema gives it. A dropped object maps to a name no identifier can have: its name may
 * now belong to another object (renamed onto it, or created anew), and what referred to the old one must not match.
 */
function namesAfter(pairing: Pairing<{ name: string }>): Map<string, string> {
  return new Map([
    ...pairing.pairs.map((pair): [string, string] => [pair.from.name, pair.to.name]),
    ...pairing.dropped.map((item): [string, string] => [item.name, `(dropped) ${item.name}`]),
  ]);
}

function diffTable(
  { from: oldTable, to: newTable }: Pair<Table>,
  columns: Pairing<Column>,
  columnRenames: Map<string, string>,
  tableRenames: Map<string, string>,
  renameReference: (table: string, column: string) => string,
): Change[] {
  const table = newTable.name;
  const changes: Change[] = [];
  // SQLite rewrites column names inside CHECKs, generated columns and index expressions too. Where an old name
  // now belongs to another column (a swap, a cycle, a re-added name), the same text means another column.
  const moved = oldTable.columns
    .map((column) => column.name)
    .filter((name) => columnRenames.get(name) !== name && newTable.columns.some((column) => column.name === name));
  const stale = (sql: string | undefined) => sql !== undefined && moved.some((name) => mentionsIdentifier(sql, name));
  for (const { from, to } of columns.pairs) {
    if (from.name !== to.name) changes.push({ kind: "renameColumn", table, from: from.name, to: to.name });
  }
  for (const column of columns.created) changes.push({ kind: "addColumn", table, column });
  for (const column of columns.dropped) changes.push({ kind: "dropColumn", table, column });
  for (const { from, to } of columns.pairs) {
    const attributes = columnDifferences(from, to, stale);
    if (attributes.length > 0) {
      changes.push({ kind: "alterColumn", table, from, to, attributes, conversion: classifyConversion(from, to, newTable.strict, oldTable.strict) });
    }
  }

  const renameColumn = (name: string) => columnRenames.get(name) ?? name;
  // A single-column foreign key on an added column travels with the column (ADD COLUMN ... REFERENCES); it is
  // part of the addColumn change, not a change to the table's constraints.
  const added = new Set(columns.created.map((column) => column.name));
  const constraintsOf = {
    ...newTable,
    foreignKeys: newTable.foreignKeys.filter((foreignKey) => !(foreignKey.columns.length === 1 && added.has(foreignKey.columns[0]))),
  };
  const attributes = tableDifferences(oldTable, constraintsOf, renameColumn, stale, (foreignKey) => ({
    ...foreignKey,
    columns: foreignKey.columns.map(renameColumn),
    table: tableRenames.get(foreignKey.table) ?? foreignKey.table,
    refColumns: foreignKey.refColumns.map((column) => renameReference(foreignKey.table, column)),
  }));
  if (!keepsColumnOrder(oldTable, newTable, columns.pairs)) attributes.push("columnOrder");
  if (attributes.length > 0) changes.push({ kind: "alterTable", table, attributes });

  const oldIndexes = new Map(oldTable.indexes.map((index) => [index.name, index]));
  const newIndexes = new Map(newTable.indexes.map((index) => [index.name, index]));
  const same = (old: Index, replacement: Index) =>
    indexKey(old, renameColumn) === indexKey(replacement, (name) => name) &&
    !stale(old.where) &&
    !old.parts.some((part) => "expression" in part && stale(part.expression));
  for (const index of oldTable.indexes) {
    const replacement = newIndexes.get(index.name);
    if (!replacement || !same(index, replacement)) {
      changes.push({ kind: "dropIndex", table, index });
    }
  }
  for (const index of newTable.indexes) {
    const previous = oldIndexes.get(index.name);
    if (!previous || !same(previous, index)) {
      changes.push({ kind: "createIndex", table, index });
    }
  }
  return changes;
}

/** The attributes of a column that its SQL definition carries; descriptions and TS types are not among them. */
function columnDifferences(from: Column, to: Column, stale: (sql: string | undefined) => boolean): ColumnAttribute[] {
  const attributes: ColumnAttribute[] = [];
  if (from.type !== to.type || declaredTypeOf(from) !== declaredTypeOf(to)) attributes.push("type");
  // An ON CONFLICT clause added, changed or removed is a change of the NOT NULL constraint (a rebuild).
  if (from.notNull !== to.notNull || from.notNullOnConflict !== to.notNullOnConflict) attributes.push("notNull");
  if (from.default?.sql !== to.default?.sql) attributes.push("default");
  if (from.check !== to.check || from.checkName !== to.checkName || stale(from.check)) attributes.push("check");
  if ((from.collate ?? "BINARY").toUpperCase() !== (to.collate ?? "BINARY").toUpperCase()) attributes.push("collate");
  if (!sameValue(from.generated, to.generated) || stale(from.generated?.expression)) attributes.push("generated");
  return attributes;
}

/**
 * Type changes whose every value survives the copy are widening; the rest may lose values. Checked on SQLite: a
 * REAL (or a NUMERIC holding one) written into TEXT keeps 15 significant digits (0.30000000000000004 → '0.3'), and
 * an INTEGER beyond 2^53 written into REAL is rounded; so those may lose values. BLOB affinity stores any value as
 * it is, but a STRICT table's copy CASTs to BLOB, which writes a REAL as text the same way.
 */
export function classifyConversion(from: Column, to: Column, strict = false, wasStrict = false): Conversion {
  if (from.type === to.type) return "none";
  // A STRICT table's ANY column takes every value as it is: the copy writes it without a CAST (plan/rebuild.ts).
  if (isStrictAny({ strict }, to)) return "widening";
  // Outside a STRICT table an INTEGER column keeps a value like 0.5 as a REAL, which TEXT (or a cast) rounds too.
  const integerKeeps = wasStrict ? ["NUMERIC", "TEXT", "BLOB"] : strict ? ["NUMERIC"] : ["NUMERIC", "BLOB"];
  const widening: Record<string, string[]> = {
    INTEGER: integerKeeps,
    REAL: strict ? ["NUMERIC"] : ["NUMERIC", "BLOB"],
    NUMERIC: strict ? [] : ["BLOB"],
    TEXT: ["BLOB"],
    BLOB: [],
  };
  return widening[from.type].includes(to.type) ? "widening" : "narrowing";
}

function tableDifferences(
  oldTable: Table,
  newTable: Table,
  renameColumn: (name: string) => string,
  stale: (sql: string | undefined) => boolean,
  renameForeignKey: (foreignKey: ForeignKey) => ForeignKey,
): TableAttribute[] {
  const attributes: TableAttribute[] = [];
  const keyOf = (table: Table, rename: (name: string) => string) =>
    table.primaryKey
      ? canonicalJson({
          columns: table.primaryKey.columns.map(rename),
          autoincrement: table.primaryKey.autoincrement,
          desc: table.primaryKey.desc ?? false,
          onConflict: table.primaryKey.onConflict ?? null,
        })
      : "";
  if (keyOf(oldTable, renameColumn) !== keyOf(newTable, (name) => name)) attributes.push("primaryKey");
  const setOf = (items: unknown[]) => canonicalJson(items.map((item) => canonicalJson(item)).sort());
  const uniquesOf = (table: Table, rename: (name: string) => string) =>
    setOf(table.uniques.map((unique) => (unique.onConflict === undefined ? unique.columns.map(rename) : [unique.columns.map(rename), unique.onConflict])));
  if (uniquesOf(oldTable, renameColumn) !== uniquesOf(newTable, (name) => name)) attributes.push("uniques");
  const checks = (table: Table) => setOf(table.checks.map((check) => [check.expression, check.name ?? null]));
  if (checks(oldTable) !== checks(newTable) || oldTable.checks.some((check) => stale(check.expression))) {
    attributes.push("checks");
  }
  if (setOf(oldTable.foreignKeys.map(renameForeignKey)) !== setOf(newTable.foreignKeys)) attributes.push("foreignKeys");
  if (oldTable.withoutRowid !== newTable.withoutRowid) attributes.push("withoutRowid");
  if (oldTable.strict !== newTable.strict) attributes.push("strict");
  return attributes;
}

/** An index's definition with column names mapped, as comparable text. */
function indexKey(index: Index, rename: (name: string) => string): string {
  const parts = index.parts.map((part: IndexPart) => ("column" in part ? { ...part, column: rename(part.column) } : part));
  return canonicalJson({ unique: index.unique, parts, where: index.where ?? null });
}

/**
 * SQLite keeps columns in the order they were created and ADD COLUMN appends, so the schema can say where a
 * column sits only through a rebuild: kept columns must stay in their order and new ones come after them.
 */
function keepsColumnOrder(oldTable: Table, newTable: Table, pairs: Pair<Column>[]): boolean {
  const newNameOf = new Map(pairs.map((pair) => [pair.from.name, pair.to.name]));
  const keptInOldOrder = oldTable.columns.flatMap((column) => newNameOf.get(column.name) ?? []);
  const kept = new Set(keptInOldOrder);
  const newOrder = newTable.columns.map((column) => column.name);
  const lastKept = Math.max(-1, ...newOrder.map((name, position) => (kept.has(name) ? position : -1)));
  const keptInNewOrder = newOrder.filter((name) => kept.has(name));
  const addedBeforeKept = newOrder.slice(0, lastKept + 1).some((name) => !kept.has(name));
  return !addedBeforeKept && keptInNewOrder.every((name, position) => name === keptInOldOrder[position]);
}
