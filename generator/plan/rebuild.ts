// Rebuilding tables on D1. SQLite's textbook recipe (create new, copy, drop old, rename) loses data on D1: the
// migration runs with foreign keys on, so DROP TABLE deletes the old rows first and the children's ON DELETE
// actions fire (CASCADE deletes rows, SET NULL clears links, RESTRICT/NO ACTION fail). Renaming does not help
// either: it rewrites the children's REFERENCES to the renamed copy.
//
// What we do instead keeps every row of every table: back up the rebuilt tables and every table that references
// them (transitively); empty those leaf-first, so no ON DELETE action has a row to act on; drop the now-empty
// tables and create them under their final names; copy the rows back parent-first; drop the backups.
import { SchemaError } from "../model/errors.js";
import { isRowidAlias, isStrictAny } from "../model/declared-type.js";
import { backupPrefix, quoteIdentifier as q } from "../model/identifiers.js";
import type { Column, Table } from "../model/model.js";
import { parentFirst, referencingClosure, restrictCycle, unusableForeignKeys } from "./fk-graph.js";
import type { CopiedColumn, RebuiltTables, Step, StepGroup } from "./steps.js";

export interface TableRebuild {
  /** The table as the database holds it when the rebuild starts (renames already applied). */
  from: Table;
  /** The table as it must be afterwards. */
  to: Table;
  /** New column name → the old column its values come from (same name, or the one it was renamed from). */
  sources: Map<string, string>;
  /** Why the table cannot be changed in place, for the comment. */
  reasons: string[];
}

/**
 * `createdWith.final`: the schema's tables after the migration (a key they give may already stand when rows are copied).
 * `toDrop`: tables this migration drops. One that references a rebuilt table is not carried but emptied and dropped
 * here, before the rebuilt table is: it may reference a column the rebuild removes, and while it exists SQLite
 * refuses every write to the new table ("foreign key mismatch"). Returns the groups, the tables dropped here and the
 * tables copied.
 */
export function planRebuilds(
  database: string,
  current: readonly Table[],
  rebuilds: readonly TableRebuild[],
  toDrop: ReadonlySet<string> = new Set(),
  createdWith: { tables: readonly Table[]; ifNotExists: boolean; final?: readonly Table[] } = { tables: [], ifNotExists: false },
): { groups: StepGroup[]; dropped: Set<string>; tables: RebuiltTables } {
  const rebuilt = new Set(rebuilds.map((rebuild) => rebuild.from.name));
  const dependents = referencingClosure(current, rebuilt);
  const involved = new Set([...rebuilt, ...dependents]);
  const cycle = restrictCycle(current, involved);
  if (cycle) {
    throw new SchemaError(
      { database, table: cycle[0] },
      `cannot be rebuilt without losing rows: the foreign keys ${cycle.join(" → ")} form a cycle with ON DELETE RESTRICT`,
      "change one of those foreign keys to NO ACTION (checked at commit) in an earlier migration, then rebuild",
    );
  }
  const order = parentFirst(current.filter((table) => involved.has(table.name)));
  const rebuildOf = new Map(rebuilds.map((rebuild) => [rebuild.from.name, rebuild]));
  const droppedHere = new Set([...dependents].filter((name) => toDrop.has(name)));
  const copies = order
    .filter((table) => !droppedHere.has(table.name))
    .map((table) => {
      const rebuild = rebuildOf.get(table.name);
      return {
        table: table.name,
        columns: rebuild ? copiedColumns(database, rebuild) : unchangedColumns(table),
        ...rowidNames(rebuild ? [rebuild.from, rebuild.to] : [table, table]),
      };
    });

  const rebuiltAs = new Map(rebuilds.map((rebuild) => [rebuild.from.name, rebuild.to]));
  refuseUnwritableCopies(
    database,
    copies.map((copy) => rebuiltAs.get(copy.table) ?? current.find((table) => table.name === copy.table)!),
    current,
    createdWith.final ?? current,
  );
  // DELETE fails on a table with a foreign key SQLite cannot use, and on the parent it points at; DROP TABLE does not
  // (its implicit DELETE passes over such a key). A table this rebuild drops is left to DROP TABLE then: its children
  // are emptied or dropped before it, so no ON DELETE action finds a kept row.
  const dropped = new Set([...rebuilt, ...droppedHere]);
  const undeletable = new Set(
    current
      .flatMap((table) => unusableForeignKeys(table, current).flatMap((key) => [table.name.toLowerCase(), key.table.toLowerCase()]))
      .filter((name) => [...dropped].some((candidate) => candidate.toLowerCase() === name)),
  );
  const backup = (name: string) => `${backupPrefix}${name}`;
  const counted = rebuilds
    .filter((rebuild) => rebuild.from.primaryKey?.autoincrement && rebuild.to.primaryKey?.autoincrement)
    .map((rebuild) => rebuild.to.name);
  const sequenceBackup = `${backupPrefix}sqlite_sequence`;
  const steps: Step[] = [
    ...copies.map(({ table, readRowid }): Step => ({ kind: "backupTable", table, backup: backup(table), rowid: readRowid })),
    ...(counted.length > 0 ? [{ kind: "backupSequences", tables: counted, backup: sequenceBackup } as const] : []),
    ...[...order]
      .reverse()
      .filter((table) => !undeletable.has(table.name.toLowerCase()))
      .map((table): Step => ({ kind: "deleteRows", table: table.name })),
    ...dropAndCreate(order, rebuilds, droppedHere, createdWith),
    ...copies.map(({ table, columns, writeRowid }): Step => ({
      kind: "copyRows",
      into: table,
      from: backup(table),
      columns,
      rowid: writeRowid,
      ...(hasConflictClause(rebuiltAs.get(table) ?? current.find((candidate) => candidate.name === table)!) ? { orAbort: true as const } : {}),
    })),
    ...(counted.length > 0
      ? ([
          { kind: "forgetSequences", tables: counted },
          { kind: "restoreSequences", backup: sequenceBackup },
          { kind: "dropTable", table: sequenceBackup },
        ] as const)
      : []),
    ...copies.map(({ table }): Step => ({ kind: "dropTable", table: backup(table) })),
  ];
  const why = rebuilds.map((rebuild) => `${rebuild.from.name}: ${rebuild.reasons.join("; ")}`).join("\n");
  const carried = [...dependents].filter((name) => !droppedHere.has(name)).sort();
  const emptied = [...droppedHere].sort();
  const comment = [
    `Rebuild ${[...rebuilt].sort().join(", ")}; SQLite cannot make these changes in place:`,
    why,
    carried.length > 0
      ? `The rows of ${carried.join(", ")} reference it and are carried through the rebuild, so that dropping the old table deletes or clears none of them.`
      : "No kept table references it.",
    ...(emptied.length > 0
      ? [`${emptied.join(", ")} ${emptied.length > 1 ? "are" : "is"} dropped by this migration: emptied and dropped here, not carried.`]
      : []),
  ].join("\n");
  const copied = copies.map((copy) => copy.table);
  const tables = { rebuilt: copied.filter((name) => rebuilt.has(name)), carried: copied.filter((name) => !rebuilt.has(name)) };
  return { groups: [{ comment, steps }], dropped: droppedHere, tables };
}

/**
 * A rebuild copies rows back into every table it carries; SQLite refuses every INSERT into a table whose foreign key
 * it cannot use, even of no rows. Refused here, with the fix, when the key has no parent key either before the
 * migration or after it (the copy runs in between, so a key either side provides may still be there): it must be
 * fixed first (a UNIQUE index on the parent's columns needs no rebuild) or by this migration (another key).
 */
function refuseUnwritableCopies(database: string, targets: readonly Table[], before: readonly Table[], after: readonly Table[]): void {
  for (const table of targets) {
    const stillUnusable = new Set(unusableForeignKeys(table, after));
    const key = unusableForeignKeys(table, before).find((candidate) => stillUnusable.has(candidate));
    if (!key) continue;
    const target = `${key.table}(${key.refColumns.join(", ")})`;
    const missing = !after.some((candidate) => candidate.name.toLowerCase() === key.table.toLowerCase());
    throw new SchemaError(
      { database, table: table.name },
      `must be carried through a rebuild, but its foreign key to ${target} has no parent key (lint: foreign-key-to-${missing ? "missing-table" : "non-unique"}), so SQLite refuses every row copied back`,
      `fix the key in a migration of its own first: ${missing ? `create ${key.table}` : `make ${target} UNIQUE (a unique index, no rebuild)`}, or change or drop the foreign key`,
    );
  }
}

/** Whether the table has an ON CONFLICT clause on its primary key, a UNIQUE or a NOT NULL. */
function hasConflictClause(table: Table): boolean {
  return (
    table.primaryKey?.onConflict !== undefined ||
    table.uniques.some((unique) => unique.onConflict !== undefined) ||
    table.columns.some((column) => column.notNullOnConflict !== undefined)
  );
}

function unchangedColumns(table: Table): CopiedColumn[] {
  return table.columns.filter((column) => !column.generated).map((column) => ({ column: column.name, expression: q(column.name) }));
}

/** The columns the copy fills and where each value comes from; new columns are left to their defaults. */
function copiedColumns(database: string, rebuild: TableRebuild): CopiedColumn[] {
  const oldColumns = new Map(rebuild.from.columns.map((column) => [column.name, column]));
  const copied: CopiedColumn[] = [];
  for (const column of rebuild.to.columns) {
    if (column.generated) continue;
    const sourceName = rebuild.sources.get(column.name);
    // A column that was generated is copied like any other: the backup (CREATE TABLE ... AS SELECT *) holds the
    // values its expression gave, VIRTUAL ones included, as plain values.
    const source = sourceName === undefined ? undefined : oldColumns.get(sourceName);
    if (!source) {
      // A new column takes its default; a backfill is what the existing rows get instead. A NOT NULL column with
      // neither makes the copy fail when the table holds rows, and D1 rolls the whole migration back.
      if (column.backfill !== undefined) copied.push({ column: column.name, expression: `(${column.backfill})` });
      continue;
    }
    copied.push({ column: column.name, expression: copyExpression(rebuild, source, column) });
  }
  if (copied.length === 0) {
    throw new SchemaError(
      { database, table: rebuild.to.name },
      "must be rebuilt but keeps none of its old columns, so its rows cannot be carried over",
      'mark renamed columns with .renamedFrom("old_name"), or drop the table and create it anew in two steps',
    );
  }
  return copied;
}

function copyExpression(rebuild: TableRebuild, from: Column, to: Column): string {
  let expression = q(from.name);
  if (from.type !== to.type && to.convertedFrom?.type === from.type) {
    // The schema's own conversion, over the old row. In a STRICT table a value of another type fails the copy.
    expression = `(${to.convertedFrom.sql})`;
  } else if (rebuild.to.strict && from.type !== to.type && !isStrictAny(rebuild.to, to)) {
    // STRICT tables reject values of the wrong type (an ANY column takes them all); elsewhere the column's affinity
    // converts losslessly by itself.
    expression = `CAST(${expression} AS ${to.type})`;
  }
  // Tightened to NOT NULL: NULLs become the backfill, else the default. With neither, the values are copied as they
  // are, and a NULL left fails the copy ("NOT NULL constraint failed: table.column"): D1 rolls the file back, so
  // nothing is lost, and `lint --local` counts such rows beforehand.
  if (to.notNull && !from.notNull) {
    if (to.backfill !== undefined) expression = `IFNULL(${expression}, (${to.backfill}))`;
    else if (to.default !== undefined) expression = `IFNULL(${expression}, ${to.default.sql})`;
  }
  return expression;
}

/**
 * How to read the hidden rowid of the old table and write it into the new one, when both have one that no column
 * holds. A column may itself be called rowid, _rowid_ or oid; SQLite then reads the column under that name, so the
 * first of the three that names no column is used. When all three are columns the rowids cannot be carried.
 */
function rowidNames([from, to]: [Table, Table]): { readRowid?: string; writeRowid?: string } {
  // A key that stops being the rowid (INTEGER → BIGINT PRIMARY KEY) gives the new rows their old rowids too.
  if (from.withoutRowid || !hasHiddenRowid(to)) return {};
  const free = (table: Table) => ["rowid", "_rowid_", "oid"].find((name) => !table.columns.some((column) => column.name.toLowerCase() === name));
  const readRowid = free(from);
  const writeRowid = free(to);
  return readRowid && writeRowid ? { readRowid, writeRowid } : {};
}

/** True when rows have a rowid that no column holds, which the copy must carry explicitly to keep it. */
export function hasHiddenRowid(table: Table): boolean {
  return !table.withoutRowid && !table.columns.some((column) => isRowidAlias(table, column));
}

/**
 * Drops the emptied old tables children first and creates the new ones, indexes right after their table (a
 * foreign key may point at columns only a UNIQUE index makes unique; SQLite refuses child rows until it exists).
 * DROP TABLE compiles the ON DELETE actions of the dropped table's children, and those need every other parent of
 * the child to exist: a parent rebuilt and already dropped is therefore created again first. New tables that
 * reference a rebuilt one are created here too, after the old table is gone (a key they point at may only become
 * unique now) and before any row is copied (a rebuilt table may reference them).
 */
/**
 * Rebuilt tables already dropped and not re-created that a child of `start`, or a child of those in turn, names.
 * `start`'s own parents do not count unless it is such a child itself (a self-reference, a cycle): SQLite compiles
 * the DROP's implicit DELETE with its own foreign keys passed over, and only the children's actions look their
 * parents up.
 */
function missingParentsReached(
  start: string,
  present: readonly Table[],
  gone: ReadonlySet<string>,
  created: ReadonlySet<string>,
  newTables: ReadonlyMap<string, Table>,
): Table[] {
  const reached = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const parent = queue.pop()!;
    for (const child of present) {
      if (reached.has(child.name) || !child.foreignKeys.some((key) => key.table === parent)) continue;
      reached.add(child.name);
      queue.push(child.name);
    }
  }
  const missing = new Map<string, Table>();
  for (const table of present) {
    if (!reached.has(table.name)) continue;
    for (const key of table.foreignKeys) {
      const parent = newTables.get(key.table);
      if (parent && gone.has(key.table) && !created.has(key.table)) missing.set(parent.name, parent);
    }
  }
  return [...missing.values()];
}

/**
 * An order to drop `toDrop` in that never needs a parent created early, found by a short search that tries the
 * planned order first; undefined when none is found. Creating a rebuilt parent early is a last resort: its new
 * definition may lack a column that an old child still names (renamed in this migration), and SQLite then refuses
 * the next DROP ("foreign key mismatch"). In a cycle with a self-reference (a ⇄ b, b → b), dropping b first
 * needs nothing created, while dropping a first leaves b's own actions looking for a.
 */
function dropOrderWithoutEarlyCreates(toDrop: readonly Table[], order: readonly Table[], newTables: ReadonlyMap<string, Table>): Table[] | undefined {
  let budget = 20 * toDrop.length + 200;
  const none = new Set<string>();
  const search = (remaining: readonly Table[], gone: ReadonlySet<string>): Table[] | undefined => {
    if (remaining.length === 0) return [];
    const present = order.filter((table) => !gone.has(table.name));
    for (const table of remaining) {
      if (--budget < 0) return undefined;
      if (missingParentsReached(table.name, present, gone, none, newTables).length > 0) continue;
      const rest = search(
        remaining.filter((other) => other !== table),
        new Set([...gone, table.name]),
      );
      if (rest) return [table, ...rest];
    }
    return undefined;
  };
  return search(toDrop, none);
}

function dropAndCreate(
  order: readonly Table[],
  rebuilds: readonly TableRebuild[],
  droppedHere: ReadonlySet<string>,
  createdWith: { tables: readonly Table[]; ifNotExists: boolean },
): Step[] {
  const newTables = new Map(rebuilds.map((rebuild) => [rebuild.to.name, rebuild.to]));
  const toDrop = [...order].reverse().filter((table) => newTables.has(table.name) || droppedHere.has(table.name));
  const steps: Step[] = [];
  const gone = new Set<string>();
  const created = new Set<string>();
  const create = (table: Table, ifNotExists: boolean) => {
    created.add(table.name);
    steps.push({ kind: "createTable", table, ifNotExists }, ...table.indexes.map((index): Step => ({ kind: "createIndex", table, index, ifNotExists })));
  };
  // The tables in the database at this point of the migration: old definitions until dropped, then the new ones.
  const present = () => [...order.filter((table) => !gone.has(table.name)), ...[...created].map((name) => newTables.get(name)!)];
  for (const table of dropOrderWithoutEarlyCreates(toDrop, order, newTables) ?? toDrop) {
    // DROP TABLE runs an implicit DELETE whose program compiles the ON DELETE actions of the table's children,
    // their children's in turn, however deep; each compiled DELETE or UPDATE looks up its table's parents. A
    // rebuilt parent dropped earlier is re-created first (empty: the copy fills it later), until nothing that
    // the DROP reaches names a missing table.
    for (let missing = missingParentsReached(table.name, present(), gone, created, newTables); missing.length > 0;) {
      for (const parent of missing) create(parent, false);
      missing = missingParentsReached(table.name, present(), gone, created, newTables);
    }
    steps.push({ kind: "dropTable", table: table.name });
    gone.add(table.name);
  }
  const rest = parentFirst([...newTables.values(), ...createdWith.tables]).filter((table) => !created.has(table.name));
  for (const table of rest) create(table, createdWith.tables.includes(table) && createdWith.ifNotExists);
  return steps;
}
