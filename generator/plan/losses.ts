// What a migration destroys, as values: the planner lists them, `generate` refuses them unless allowed, lint warns
// of them. Words for a reviewer are rendered at the edge (describeLoss).
import type { Change } from "../diff/changes.js";
import type { Column, SqlType } from "../model/model.js";

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
  | { kind: "values"; table: string; column: string; from: SqlType; to: SqlType };

/** What a plan made of `changes` would destroy, in the changes' order. */
export function lossesOf(changes: readonly Change[]): Loss[] {
  return changes.flatMap((change): Loss[] => {
    switch (change.kind) {
      case "dropTable":
        return [{ kind: "table", table: change.table.name }];
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
        return [{ kind: losesDigits(change.from, change.to) ? "digits" : "values", ...place, from: change.from.type, to: change.to.type }];
      }
      default:
        return [];
    }
  });
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
    default: {
      const unknown: never = loss;
      throw new Error(`unknown loss ${JSON.stringify(unknown)}`);
    }
  }
}
