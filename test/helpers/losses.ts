// What an evolution destroys, found by identity (the ids the generators track, whatever the names say), and
// whether the planner's list of destructive changes (what generate refuses without --allow-destructive) names
// exactly that: every loss it must name, and nothing that is no loss.
import type { SqlType } from "../../generator/model/model.js";
import { storageOf, tableById, type Schema } from "./arbitraries.js";

export type Loss =
  /** A table is gone, with its rows; under its old name. */
  | { kind: "table"; table: string }
  /** A column is gone, with its values: the table's new name, the column's old name. A generated one held no data. */
  | { kind: "column"; table: string; column: string; generated: boolean }
  /** A plain column becomes generated: its values are replaced by what the expression computes (new names). */
  | { kind: "generated"; table: string; column: string }
  /** A column's type changes (new names); `lossy` when some value does not survive the conversion. */
  | { kind: "type"; table: string; column: string; from: SqlType; to: SqlType; lossy: boolean };

/** Key of a column for `lossy`: the ids of its table and of itself. */
export const columnKey = (table: number, column: number) => `${table}:${column}`;

/** What evolving `prev` into `next` loses; `lossy` holds the columns whose values a type change does not keep. */
export function lossesOf(prev: Schema, next: Schema, lossy: ReadonlySet<string>): Loss[] {
  const losses: Loss[] = [];
  for (const pt of prev.tables) {
    const nt = tableById(next, pt.id);
    if (!nt) {
      losses.push({ kind: "table", table: pt.name });
      continue;
    }
    for (const old of pt.cols) {
      const col = nt.cols.find((c) => c.id === old.id);
      if (!col) losses.push({ kind: "column", table: nt.name, column: old.name, generated: old.gen !== undefined });
      else if (col.gen && !old.gen) losses.push({ kind: "generated", table: nt.name, column: col.name });
      else if (!col.gen && !old.gen && storageOf[old.kind] !== storageOf[col.kind]) {
        losses.push({
          kind: "type",
          table: nt.name,
          column: col.name,
          from: storageOf[old.kind],
          to: storageOf[col.kind],
          lossy: lossy.has(columnKey(nt.id, col.id)),
        });
      }
    }
  }
  return losses;
}

/** Whether generate must name the loss (a type change whose values all survive, or a computed column, it may). */
export const mustBeNamed = (loss: Loss) => (loss.kind === "type" ? loss.lossy : loss.kind !== "column" || !loss.generated);

export function describeLoss(loss: Loss): string {
  switch (loss.kind) {
    case "table":
      return `table ${loss.table} dropped`;
    case "column":
      return `column ${loss.table}.${loss.column} dropped${loss.generated ? " (generated)" : ""}`;
    case "generated":
      return `${loss.table}.${loss.column} becomes generated`;
    case "type":
      return `${loss.table}.${loss.column} ${loss.from} → ${loss.to}${loss.lossy ? ", values that do not survive" : ", every value survives"}`;
  }
}

/**
 * The losses a line of the destructive list names. Lines start "table X", "column T.C" (a drop) or name T.C
 * elsewhere (a conversion); a line about T.C that starts "column T.C" names a drop if there is one, else the
 * conversion.
 */
function lossesNamedBy(line: string, losses: readonly Loss[]): Loss[] {
  const mentions = (table: string, column: string) => new RegExp(`(^|[^\\w.])${table}\\.${column}([^\\w.]|$)`).test(line);
  const tables = losses.filter((loss) => loss.kind === "table" && new RegExp(`^table ${loss.table}\\b`).test(line));
  if (tables.length > 0) return tables;
  const drops = losses.filter((loss) => loss.kind === "column" && line.startsWith(`column ${loss.table}.${loss.column} `));
  if (drops.length > 0) return drops;
  return losses.filter((loss) => (loss.kind === "type" || loss.kind === "generated") && mentions(loss.table, loss.column));
}

/** Lines of the list that name no loss of the case, and losses the case has that it must name but does not. */
export function compareDestructiveList(listed: readonly string[], losses: readonly Loss[]): { falseAlarms: string[]; unnamed: Loss[] } {
  const named = new Set<Loss>();
  const falseAlarms: string[] = [];
  for (const line of listed) {
    const found = lossesNamedBy(line, losses);
    if (found.length === 0) falseAlarms.push(line);
    found.forEach((loss) => named.add(loss));
  }
  return { falseAlarms, unnamed: losses.filter((loss) => mustBeNamed(loss) && !named.has(loss)) };
}

/** The lines of generate's refusal to destroy data, or undefined when `problem` is another refusal. */
export function refusedLosses(problem: string): string[] | undefined {
  if (!/would destroy data/.test(problem)) return undefined;
  return problem
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^\s*-\s*/, "").trim())
    .filter(Boolean);
}
