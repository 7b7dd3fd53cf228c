// What a migration destroys, as values: the planner lists them, `generate` refuses them unless allowed, lint warns
// of them. Words for a reviewer are rendered at the edge (describeLoss).
import type { Change } from "../diff/changes.js";
import type { TableChanges } from "../diff/diff.js";
import { declaredTypeOf, isRowidAlias } from "../model/declared-type.js";
import type { Column, SqlType } from "../model/model.js";
import { externalContentTable } from "../model/objects.js";

export type Loss =
  /** The table and all its rows. */
  | { kind: "table"; table: string }
  /** The column and its values. */
  | { kind: "column"; table: string; column: string }
  /** A plain column becomes generated: its stored values are replaced by what the expression computes. */
  | { kind: "generated"; table: string; column: string }
  /** A type change that keeps every value but not all its digits (integers beyond 2^53 in a REAL, reals as text). */
  | { kind: "digits"; table: string; column: string; from: SqlType; to: SqlType }
  /** A type change that some values do not survive. */
  | { kind: "values"; table: string; column: string; from: SqlType; to: SqlType }
  /**
   * The primary key's declared type changes between INTEGER and another (BIGINT, INT), or PRIMARY KEY DESC comes or
   * goes: the key stops being, or becomes, the rowid itself. Values survive, but ids are no longer assigned to new
   * rows, or the rows' own rowids are replaced (and a NULL key gets a new id): the application sees another table.
   * `from` and `to` are the key as declared: `INTEGER PRIMARY KEY`, `BIGINT PRIMARY KEY`, `INTEGER PRIMARY KEY DESC`.
   */
  | { kind: "rowidAlias"; table: string; column: string; from: string; to: string; becomes: boolean };

/** What a plan made of `changes` would destroy, in the changes' order; then the keys that change their rowid nature. */
export function lossesOf(changes: readonly Change[], kept: readonly TableChanges[] = []): Loss[] {
  return [...changes.flatMap(lossOf), ...kept.flatMap(rowidAliasLosses)];
}

/**
 * A single-column key kept on the same column of a rowid table whose declared type (or PRIMARY KEY DESC) moves it to
 * or from the rowid.
 */
function rowidAliasLosses({ from, to, columns }: TableChanges): Loss[] {
  if (from.withoutRowid || to.withoutRowid) return [];
  return columns.pairs.flatMap((pair): Loss[] => {
    const keyed = (table: typeof from, column: Column) => table.primaryKey?.columns.length === 1 && table.primaryKey.columns[0] === column.name;
    if (!keyed(from, pair.from) || !keyed(to, pair.to)) return [];
    const was = isRowidAlias(from, pair.from);
    const becomes = isRowidAlias(to, pair.to);
    if (was === becomes) return [];
    const keyText = (table: typeof from, column: Column) => `${declaredTypeOf(column)} PRIMARY KEY${table.primaryKey?.desc ? " DESC" : ""}`;
    return [{ kind: "rowidAlias", table: to.name, column: pair.to.name, from: keyText(from, pair.from), to: keyText(to, pair.to), becomes }];
  });
}

function lossOf(change: Change): Loss[] {
  switch (change.kind) {
    case "dropTable":
      return [{ kind: "table", table: change.table.name }];
    // A virtual table made anew is empty; one whose content is another table's (external-content FTS5) is rebuilt
    // from that table (plan/objects.ts), so only one that holds its own rows loses them.
    case "dropVirtualTable":
      return externalContentTable(change.table) === undefined ? [{ kind: "table", table: change.table.name }] : [];
    case "replaceVirtualTable":
      return externalContentTable(change.to) === undefined ? [{ kind: "table", table: change.to.name }] : [];
    case "dropColumn":
      return [{ kind: "column", table: change.table, column: change.column.name }];
    case "alterColumn": {
      const place = { table: change.table, column: change.to.name };
      // A generated column computes every value anew: stored values are lost only where a plain column was.
      if (change.to.generated) return change.from.generated ? [] : [{ kind: "generated", ...place }];
      // A generated column made plain keeps what its expression computed from kept columns: a value the
      // schema can compute again, not data only this column held.
      if (change.conversion !== "narrowing" || change.from.generated) return [];
      // The schema says how old values become new ones (.convertedFrom): the copy computes them, nothing is lost.
      if (change.to.convertedFrom?.type === change.from.type) return [];
      const types = { ...place, from: change.from.type, to: change.to.type };
      return [losesDigits(change.from, change.to) ? { kind: "digits", ...types } : { kind: "values", ...types }];
    }
    default:
      return [];
  }
}

/** True when a narrowing conversion loses digits rather than values that do not fit at all. */
function losesDigits(from: Column, to: Column): boolean {
  return to.type === "REAL" || to.type === "TEXT" || to.type === "BLOB" ? from.type !== "TEXT" && from.type !== "BLOB" : false;
}

/** A loss in words a reviewer can act on (generate's refusal, lint). */
export function describeLoss(loss: Loss): string {
  switch (loss.kind) {
    case "table":
      return `table ${loss.table} and all its rows`;
    case "column":
      return `column ${loss.table}.${loss.column} and its values`;
    case "generated":
      return `values of ${loss.table}.${loss.column} (replaced by its generated expression)`;
    case "digits":
      return `digits of ${loss.table}.${loss.column}'s values that ${loss.to} does not keep (was ${loss.from}: ${loss.to === "REAL" ? "integers beyond 2^53 are rounded" : "a real is written with 15 significant digits"})`;
    case "values":
      return `values of ${loss.table}.${loss.column} that do not fit ${loss.to} (was ${loss.from})`;
    case "rowidAlias":
      return loss.becomes
        ? `the rowids of ${loss.table}: ${loss.column} becomes the rowid itself (${loss.from} → ${loss.to}), so each row's rowid becomes its ${loss.column}; a row whose ${loss.column} is NULL gets a new one, and one that is not an integer makes the migration fail`
        : `${loss.table}.${loss.column} as the rowid (${loss.from} → ${loss.to}): the values are kept, but an INSERT that leaves ${loss.column} out stores NULL (or fails, if NOT NULL) instead of getting the next id`;
    default: {
      const unknown: never = loss;
      throw new Error(`unknown loss ${JSON.stringify(unknown)}`);
    }
  }
}
