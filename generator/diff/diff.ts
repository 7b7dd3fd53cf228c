// model × model → Change[]. Renames are never guessed: a table or column is renamed only when the new schema
// says `renamedFrom` and the old name is gone; anything else unmatched is a drop plus a create.
import type { Column, Database, ForeignKey, Index, IndexPart, Table } from "../model/model.js";
import { canonicalJson } from "../model/canonical-json.js";
import { sameValue } from "../model/same-value.js";
import type { Change, Conversion } from "./changes.js";
import { pairByName, type Pair } from "./pairing.js";

export function diffDatabases(from: Database, to: Database): Change[] {
  const changes: Change[] = [];
  const { pairs, created, dropped } = pairByName(from.tables, to.tables);
  const tableRenames = new Map(pairs.filter((pair) => pair.from.name !== pair.to.name).map((pair) => [pair.from.name, pair.to.name]));
  const columnRenames = new Map<string, Map<string, string>>();
  for (const { from: oldTable, to: newTable } of pairs) {
    const columns = pairByName(oldTable.columns, newTable.columns);
    columnRenames.set(newTable.name, new Map(columns.pairs.filter((pair) => pair.from.name !== pair.to.name).map((pair) => [pair.from.name, pair.to.name])));
  }

  for (const [fromName, toName] of tableRenames) changes.push({ kind: "renameTable", from: fromName, to: toName });
  for (const table of created) changes.push({ kind: "createTable", table });
  for (const table of dropped) changes.push({ kind: "dropTable", table });
  // Without renames, a table equal to its old self has no change; most tables of a real diff are such tables.
  const anyRename = tableRenames.size > 0 || [...columnRenames.values()].some((renames) => renames.size > 0);
  for (const pair of pairs) {
    if (!anyRename && sameValue(pair.from, pair.to)) continue;
    const renames = columnRenames.get(pair.to.name)!;
    // Renaming a table or a column rewrites references to it everywhere (SQLite ≥ 3.26), so old foreign keys are
    // compared under the new names.
    const rename = (tableName: string, columnName: string) =>
      columnRenames.get(tableRenames.get(tableName) ?? tableName)?.get(columnName) ?? columnName;
    changes.push(...diffTable(pair, renames, tableRenames, rename));
  }
  return changes;
}

function diffTable(
  { from: oldTable, to: newTable }: Pair<Table>,
  columnRenames: Map<string, string>,
  tableRenames: Map<string, string>,
  renameReference: (table: string, column: string) => string,
): Change[] {
  const table = newTable.name;
  const changes: Change[] = [];
  const columns = pairByName(oldTable.columns, newTable.columns);
  for (const { from, to } of columns.pairs) {
    if (from.name !== to.name) changes.push({ kind: "renameColumn", table, from: from.name, to: to.name });
  }
  for (const column of columns.created) changes.push({ kind: "addColumn", table, column });
  for (const column of columns.dropped) changes.push({ kind: "dropColumn", table, column });
  for (const { from, to } of columns.pairs) {
    const what = columnDifferences(from, to);
    if (what.length > 0) {
      changes.push({ kind: "alterColumn", table, from, to, what, conversion: classifyConversion(from, to) });
    }
  }

  const renameColumn = (name: string) => columnRenames.get(name) ?? name;
  // A single-column foreign key on an added column travels with the column (ADD COLUMN ... REFERENCES); it is
  // part of the addColumn change, not a change to the table's constraints.
  const added = new Set(columns.created.map((column) => column.name));
  const constraintsOf = { ...newTable, foreignKeys: newTable.foreignKeys.filter((foreignKey) => !(foreignKey.columns.length === 1 && added.has(foreignKey.columns[0]))) };
  const what = tableDifferences(oldTable, constraintsOf, renameColumn, (foreignKey) => ({
    ...foreignKey,
    columns: foreignKey.columns.map(renameColumn),
    table: tableRenames.get(foreignKey.table) ?? foreignKey.table,
    refColumns: foreignKey.refColumns.map((column) => renameReference(foreignKey.table, column)),
  }));
  if (!keepsColumnOrder(oldTable, newTable, columns.pairs)) what.push("column order (ALTER TABLE ADD COLUMN only appends)");
  if (what.length > 0) changes.push({ kind: "alterTable", table, what });

  const oldIndexes = new Map(oldTable.indexes.map((index) => [index.name, index]));
  const newIndexes = new Map(newTable.indexes.map((index) => [index.name, index]));
  for (const index of oldTable.indexes) {
    const replacement = newIndexes.get(index.name);
    if (!replacement || indexKey(index, renameColumn) !== indexKey(replacement, (name) => name)) {
      changes.push({ kind: "dropIndex", table, index });
    }
  }
  for (const index of newTable.indexes) {
    const previous = oldIndexes.get(index.name);
    if (!previous || indexKey(previous, renameColumn) !== indexKey(index, (name) => name)) {
      changes.push({ kind: "createIndex", table, index });
    }
  }
  return changes;
}

/** The attributes of a column that its SQL definition carries; descriptions and TS types are not among them. */
function columnDifferences(from: Column, to: Column): string[] {
  const what: string[] = [];
  if (from.type !== to.type) what.push(`type ${from.type} → ${to.type}`);
  if (from.notNull !== to.notNull) what.push(to.notNull ? "NOT NULL added" : "NOT NULL dropped");
  if (from.default?.sql !== to.default?.sql) what.push(`default ${from.default?.sql ?? "none"} → ${to.default?.sql ?? "none"}`);
  if (from.check !== to.check) what.push("CHECK");
  if ((from.collate ?? "BINARY").toUpperCase() !== (to.collate ?? "BINARY").toUpperCase()) what.push("COLLATE");
  if (!sameValue(from.generated, to.generated)) what.push("generated expression");
  return what;
}

/** Type changes that SQLite's affinity rules carry without loss are widening; the rest may lose values. */
export function classifyConversion(from: Column, to: Column): Conversion {
  if (from.type === to.type) return "none";
  const widening: Record<string, string[]> = {
    INTEGER: ["REAL", "NUMERIC", "TEXT", "BLOB"],
    REAL: ["NUMERIC", "TEXT", "BLOB"],
    NUMERIC: ["TEXT", "BLOB"],
    TEXT: ["BLOB"],
    BLOB: [],
  };
  return widening[from.type].includes(to.type) ? "widening" : "narrowing";
}

function tableDifferences(
  oldTable: Table,
  newTable: Table,
  renameColumn: (name: string) => string,
  renameForeignKey: (foreignKey: ForeignKey) => ForeignKey,
): string[] {
  const what: string[] = [];
  const keyOf = (table: Table, rename: (name: string) => string) =>
    table.primaryKey ? canonicalJson({ columns: table.primaryKey.columns.map(rename), autoincrement: table.primaryKey.autoincrement }) : "";
  if (keyOf(oldTable, renameColumn) !== keyOf(newTable, (name) => name)) what.push("primary key");
  const setOf = (items: unknown[]) => canonicalJson(items.map((item) => canonicalJson(item)).sort());
  const uniquesOf = (table: Table, rename: (name: string) => string) => setOf(table.uniques.map((unique) => unique.columns.map(rename)));
  if (uniquesOf(oldTable, renameColumn) !== uniquesOf(newTable, (name) => name)) what.push("UNIQUE constraints");
  if (setOf(oldTable.checks.map((check) => check.expression)) !== setOf(newTable.checks.map((check) => check.expression))) {
    what.push("CHECK constraints");
  }
  if (setOf(oldTable.foreignKeys.map(renameForeignKey)) !== setOf(newTable.foreignKeys)) what.push("foreign keys");
  if (oldTable.withoutRowid !== newTable.withoutRowid) what.push("WITHOUT ROWID");
  if (oldTable.strict !== newTable.strict) what.push("STRICT");
  return what;
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
