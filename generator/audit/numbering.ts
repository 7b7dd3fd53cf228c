// A migrations folder's numbering as ClearLift's audit shows it: runs of consecutive numbers and the gaps between
// them. Gaps are legal (wrangler applies files in name order); the audit says where they are so nobody wonders.

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
  const pad = (number: number) => String(number).padStart(4, "0");
  return range.from === range.to ? pad(range.from) : `${pad(range.from)}–${pad(range.to)}`;
}
