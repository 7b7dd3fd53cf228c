// Renames in an order SQLite accepts. RENAME TO and RENAME COLUMN refuse a name that another table or column holds,
// so in a swap (a↔b) or a cycle (a→b→c→a) one object first steps aside under a temporary name, and a column renamed
// onto the name of a column this migration drops waits under a temporary name until that column is gone (dropped
// in place, or left behind by the table's rebuild, which creates the column under its final name). SQLite (≥ 3.26)
// rewrites every reference at each step (indexes, CHECKs, generated columns, other tables' REFERENCES), so the
// references follow the values to their final names. Temporary names start with the tool's prefix and are gone
// when the migration ends.
import type { SchemaDiff, TableChanges } from "../diff/diff.js";
import type { Pair } from "../diff/pairing.js";
import { SchemaError } from "../model/errors.js";
import { toolPrefix } from "../model/identifiers.js";
import type { Table } from "../model/model.js";
import { parentFirst, referencingClosure } from "./fk-graph.js";
import type { TableRebuild } from "./rebuild.js";

export interface Rename {
  from: string;
  to: string;
}

/** What happens to the renamed columns of one table (by its new name). */
export interface ColumnMoves {
  /** RENAME COLUMN statements made before anything else changes the table, in order. */
  renames: Rename[];
  /** From a temporary name to the final one, once the column that held the final name is dropped. */
  waiting: Rename[];
  /** Old names of columns SQLite cannot rename in place; the table's rebuild renames them. */
  onlyInRebuild: Set<string>;
  /**
   * Old column name → its final name, and its name after `renames` (where a rebuild reads its values): the final one,
   * a temporary one, or the old one (onlyInRebuild).
   */
  names: Map<string, { during: string; final: string }>;
}

export interface RenamePlan {
  /** Dropped tables whose names renamed tables take, children first: dropped before the renames. */
  droppedFirst: Table[];
  /**
   * Dropped tables whose names renamed tables take while kept tables reference them: renamed to a temporary name
   * before the renames, and dropped under it with the other dropped tables.
   */
  aside: Rename[];
  tables: Rename[];
  columns: Map<string, ColumnMoves>;
}

/** `onlyInRebuild(table)`: the old names of the table's columns that SQLite cannot rename in place. */
export function planRenames(diff: SchemaDiff, onlyInRebuild: (table: TableChanges) => Set<string>): RenamePlan {
  const { from, to } = diff;
  const { droppedFirst, aside } = tablesDroppedFirst(diff);
  const gone = new Set([...droppedFirst.map((table) => table.name), ...aside.map((rename) => rename.from)]);
  const tableOrder = orderRenames(
    movesOf(diff.kept),
    from.tables.map((table) => table.name).filter((name) => !gone.has(name)),
    new Set(),
    [...from.tables, ...to.tables].map((table) => table.name).concat(aside.map((rename) => rename.to)),
  );
  const columnMoves = new Map<string, ColumnMoves>();
  for (const kept of diff.kept) {
    const pairing = kept.columns;
    const stuck = onlyInRebuild(kept);
    const oldNames = [...pairing.pairs.map((pair) => pair.from.name), ...pairing.dropped.map((column) => column.name)];
    const order = orderRenames(
      movesOf(pairing.pairs).filter((move) => !stuck.has(move.from)),
      oldNames,
      new Set([...pairing.dropped.map((column) => column.name), ...stuck]),
      [...oldNames, ...pairing.pairs.map((pair) => pair.to.name), ...pairing.created.map((column) => column.name)],
    );
    const finalOf = new Map(pairing.pairs.map((pair) => [pair.from.name, pair.to.name]));
    const names = new Map(
      pairing.pairs.map((pair) => [
        pair.from.name,
        { final: pair.to.name, during: stuck.has(pair.from.name) ? pair.from.name : (order.parked.get(pair.from.name) ?? pair.to.name) },
      ]),
    );
    columnMoves.set(kept.to.name, {
      renames: order.renames,
      waiting: [...order.parked].map(([old, temporary]) => ({ from: temporary, to: finalOf.get(old)! })),
      onlyInRebuild: stuck,
      names,
    });
  }
  return { droppedFirst, aside, tables: tableOrder.renames, columns: columnMoves };
}

const movesOf = (pairs: readonly Pair<{ name: string }>[]): Rename[] =>
  pairs.filter((pair) => pair.from.name !== pair.to.name).map((pair) => ({ from: pair.from.name, to: pair.to.name }));

/**
 * `held`: the names in use before the renames. `heldUntilLater`: names that stay in use after them (columns dropped
 * later, columns renamed only in a rebuild); a move onto one waits under a temporary name (`parked`, old name →
 * temporary name). `reserved`: every name a temporary one must differ from. SQLite compares names without case.
 */
function orderRenames(
  moves: readonly Rename[],
  held: readonly string[],
  heldUntilLater: ReadonlySet<string>,
  reserved: readonly string[],
): { renames: Rename[]; parked: Map<string, string> } {
  // Nothing moves in almost every table of a migration: no names to reserve.
  if (moves.length === 0) return { renames: [], parked: new Map() };
  const key = (name: string) => name.toLowerCase();
  const later = new Set([...heldUntilLater].map(key));
  const occupied = new Set(held.map(key));
  const taken = new Set([...held, ...reserved].map(key));
  const at = new Map(moves.map((move) => [move.from, move.from]));
  const renames: Rename[] = [];
  const parked = new Map<string, string>();
  const rename = (move: Rename, name: string) => {
    const current = at.get(move.from)!;
    renames.push({ from: current, to: name });
    occupied.delete(key(current));
    occupied.add(key(name));
    at.set(move.from, name);
  };
  const temporary = (move: Rename) => {
    let name = `${toolPrefix}renaming_${move.from}`;
    for (let n = 2; taken.has(key(name)); n++) name = `${toolPrefix}renaming_${move.from}_${n}`;
    taken.add(key(name));
    return name;
  };
  for (const move of moves) {
    if (!later.has(key(move.to))) continue;
    const name = temporary(move);
    rename(move, name);
    parked.set(move.from, name);
  }
  let waiting = moves.filter((move) => !later.has(key(move.to)));
  while (waiting.length > 0) {
    const ready = waiting.find((move) => !occupied.has(key(move.to)));
    if (ready) {
      rename(ready, ready.to);
      waiting = waiting.filter((move) => move !== ready);
      continue;
    }
    // Every target is held by another waiting object: they form cycles. One object of a cycle steps aside.
    const aside = waiting.find((move) => waiting.some((other) => key(other.to) === key(at.get(move.from)!)));
    if (!aside) throw new Error(`renames ${JSON.stringify(waiting)} wait for names that nothing frees`);
    rename(aside, temporary(aside));
  }
  return { renames, parked };
}

/**
 * A table renamed onto the name of a table this migration drops needs that name first. When no kept table
 * references the dropped table (directly or through other dropped tables), it goes before the renames, with the
 * dropped tables that reference it. Otherwise dropping it first would fire the ON DELETE actions of the kept
 * tables' rows (CASCADE deletes them, SET NULL clears them, RESTRICT and NO ACTION fail the migration: SQLite
 * counts the violation when the parent row goes and never recounts it), so it steps aside under a temporary name
 * (SQLite rewrites the REFERENCES that point at it) and is dropped with the other dropped tables, after the kept
 * tables are rebuilt without their foreign keys to it. A kept table whose new definition still references the
 * name is refused: its rows would have to leave the old table and find the new one within one migration.
 */
function tablesDroppedFirst({ from, to, kept, dropped }: SchemaDiff): { droppedFirst: Table[]; aside: Rename[] } {
  const targets = new Map(kept.filter((pair) => pair.from.name !== pair.to.name).map((pair) => [pair.to.name.toLowerCase(), pair]));
  const blocking = dropped.filter((table) => targets.has(table.name.toLowerCase()));
  if (blocking.length === 0) return { droppedFirst: [], aside: [] };
  const droppedNames = new Set(dropped.map((table) => table.name));
  const newOf = new Map(kept.map((pair) => [pair.from.name, pair.to]));
  const first = new Set<string>();
  const aside: Rename[] = [];
  const taken = new Set([...from.tables, ...to.tables].map((table) => table.name.toLowerCase()));
  for (const parent of blocking) {
    const referencing = referencingClosure(from.tables, new Set([parent.name]));
    const kept = [...referencing].filter((name) => !droppedNames.has(name)).sort();
    if (kept.length === 0) {
      first.add(parent.name);
      referencing.forEach((name) => first.add(name));
      continue;
    }
    const pair = targets.get(parent.name.toLowerCase())!;
    for (const name of kept) {
      const references = (table: Table, target: string) => table.foreignKeys.some((key) => key.table.toLowerCase() === target.toLowerCase());
      const old = from.tables.find((table) => table.name === name)!;
      const next = newOf.get(name)!;
      // The table taking the parent's name reads its own references to that name as references to itself.
      const nowSelf = next.name.toLowerCase() === parent.name.toLowerCase();
      if (!references(old, parent.name) || nowSelf || !references(next, parent.name)) continue;
      throw new SchemaError(
        { database: to.name, table: pair.to.name },
        `says renamedFrom: "${pair.from.name}" and takes the name of table ${parent.name}, which this migration drops, ` +
          `but table ${name} (kept) references ${parent.name}: its rows would have to leave the old ${parent.name} and find the new one within one migration`,
        `make it two migrations: first drop ${parent.name} (pointing ${name}'s foreign key at ${pair.from.name} if that is where it ends up) and generate; then rename ${pair.from.name} to ${pair.to.name}`,
      );
    }
    let temporary = `${toolPrefix}dropping_${parent.name}`;
    for (let n = 2; taken.has(temporary.toLowerCase()); n++) temporary = `${toolPrefix}dropping_${parent.name}_${n}`;
    taken.add(temporary.toLowerCase());
    aside.push({ from: parent.name, to: temporary });
  }
  // A dropped table that goes first with one parent and also references a table that steps aside still goes first.
  return { droppedFirst: parentFirst(from.tables.filter((table) => first.has(table.name))).reverse(), aside };
}

/**
 * The rebuilds a migration needs, including kept tables that must be recreated because they reference a column
 * that a rebuilt table renames only inside its rebuild (or that waits there under a temporary name): a rebuild
 * carries the rows of the tables that reference it but keeps their definitions, and a REFERENCES naming a column
 * the new table lacks fails every write that involves it ("foreign key mismatch"). Recreated, they name the final
 * column before any row is written. `created`: the tables this migration creates.
 */
export function rebuildsWithReferencingTables(
  pairs: readonly TableChanges[],
  created: readonly Table[],
  renames: RenamePlan,
  rebuildOf: (pair: TableChanges, alsoBecause: string[]) => TableRebuild | undefined,
): TableRebuild[] {
  const rebuilds = pairs.map((pair) => rebuildOf(pair, [])).filter((rebuild): rebuild is TableRebuild => rebuild !== undefined);
  const newNameOf = new Map(pairs.map((pair) => [pair.from.name, pair.to.name]));
  for (;;) {
    const rebuilt = new Set(rebuilds.map((rebuild) => rebuild.to.name));
    const more = pairs.flatMap((pair) => {
      if (rebuilt.has(pair.to.name)) return [];
      const stale = new Map<string, string[]>();
      for (const foreignKey of pair.from.foreignKeys) {
        const parent = newNameOf.get(foreignKey.table);
        const moves = parent === undefined ? undefined : renames.columns.get(parent);
        if (parent === undefined || !moves || !rebuilt.has(parent)) continue;
        for (const column of foreignKey.refColumns) {
          const names = moves.names.get(column);
          if (names && names.during !== names.final) stale.set(parent, [...(stale.get(parent) ?? []), `${parent}.${names.final}`]);
        }
      }
      const why = [...stale].map(
        ([parent, columns]) =>
          `it references ${columns.join(", ")}, which the rebuild of ${parent} names anew: recreated, so that its REFERENCES name the new columns`,
      );
      const rebuild = why.length > 0 ? rebuildOf(pair, why) : undefined;
      return rebuild ? [rebuild] : [];
    });
    // A rebuilt table's new REFERENCES that name a column still waiting under a temporary name (in a table altered
    // in place, where the rename completes only after the rebuild) would point at a column the parent lacks: the
    // parent is rebuilt too, which creates the column under its final name. So is the parent of a new table whose
    // REFERENCES name such a column when a rebuild carries the parent's rows: created before the rebuild, the new
    // table's key points at the column that still holds the name, which is no key, and every write to the parent
    // fails ("foreign key mismatch"); with the parent rebuilt, the new table is created inside the rebuild.
    const carried = referencingClosure(
      pairs.map((pair) => ({ ...pair.to, foreignKeys: pair.from.foreignKeys.map((key) => ({ ...key, table: newNameOf.get(key.table) ?? key.table })) })),
      rebuilt,
    );
    const waitingParents = pairs.flatMap((pair) => {
      if (rebuilt.has(pair.to.name) || more.some((rebuild) => rebuild.to.name === pair.to.name)) return [];
      const waiting = new Set((renames.columns.get(pair.to.name)?.waiting ?? []).map((rename) => rename.to.toLowerCase()));
      if (waiting.size === 0) return [];
      const namesWaiting = (table: Table) =>
        table.foreignKeys.some(
          (foreignKey) =>
            foreignKey.table.toLowerCase() === pair.to.name.toLowerCase() && foreignKey.refColumns.some((column) => waiting.has(column.toLowerCase())),
        );
      const children = rebuilds.filter((rebuild) => namesWaiting(rebuild.to)).map((rebuild) => rebuild.to.name);
      const newChildren = carried.has(pair.to.name) ? created.filter(namesWaiting).map((table) => table.name) : [];
      if (children.length === 0 && newChildren.length === 0) return [];
      const why = [
        ...(children.length > 0
          ? [
              `${children.join(", ")}, rebuilt here, ${children.length > 1 ? "reference" : "references"} a column that takes a dropped column's name: rebuilt, so that the column has its name when they are created`,
            ]
          : []),
        ...(newChildren.length > 0
          ? [
              `${newChildren.join(", ")}, created here, ${newChildren.length > 1 ? "reference" : "references"} a column that takes a dropped column's name while a rebuild carries its rows: rebuilt, so that the column has its name when they are created`,
            ]
          : []),
      ];
      const rebuild = rebuildOf(pair, why);
      return rebuild ? [rebuild] : [];
    });
    more.push(...waitingParents);
    if (more.length === 0) return rebuilds;
    rebuilds.push(...more);
  }
}
