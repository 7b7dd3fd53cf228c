// A migrations folder's numbering as ClearLift's audit shows it: runs of consecutive numbers and the gaps between
// them. Gaps are legal (wrangler applies files in name order); the audit says where they are so nobody wonders.
import { formatMigrationNumber } from "../project/migration-files.js";

export type NumberingRange = { kind: "run"; from: number; to: number; count: number } | { kind: "gap"; from: number; to: number };

export function numberingRanges(numbers: readonly number[]): NumberingRange[] {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const ranges: NumberingRange[] = [];
  for (const number of sorted) {
    const last = ranges.at(-1);
    if (last?.kind === "run" && last.to === number - 1) {
      last.to = number;
      last.count++;
      continue;
    }
    if (last?.kind === "run") ranges.push({ kind: "gap", from: last.to + 1, to: number - 1 });
    ranges.push({ kind: "run", from: number, to: number, count: 1 });
  }
  return ranges;
}

/** `0001–0016` or `0060`: four digits, as the files are numbered. */
export function formatRange(range: { from: number; to: number }): string {
  return range.from === range.to ? formatMigrationNumber(range.from) : `${formatMigrationNumber(range.from)}–${formatMigrationNumber(range.to)}`;
}
