// Runs and gaps of migration numbers, on a folder shaped like ClearLift's DB in their audit.
import { describe, expect, it } from "vitest";
import { formatRange, numberingRanges } from "../../generator/audit/numbering.js";

const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => from + offset);

describe("migration numbering", () => {
  it("finds the audit's runs and gaps for DB: 0001–0016, 0019–0056, 0060, 0065–0084", () => {
    const ranges = numberingRanges([...span(65, 84), 60, ...span(1, 16), ...span(19, 56)]);
    expect(ranges.map((range) => `${range.kind} ${formatRange(range)}${range.kind === "run" ? ` (${range.count})` : ""}`)).toEqual([
      "run 0001–0016 (16)",
      "gap 0017–0018",
      "run 0019–0056 (38)",
      "gap 0057–0059",
      "run 0060 (1)",
      "gap 0061–0064",
      "run 0065–0084 (20)",
    ]);
  });

  it("has one run for a folder without gaps, none for an empty one, and ignores duplicates", () => {
    expect(numberingRanges([3, 1, 2, 2])).toEqual([{ kind: "run", from: 1, to: 3, count: 3 }]);
    expect(numberingRanges([])).toEqual([]);
    expect(numberingRanges([7, 9])).toEqual([
      { kind: "run", from: 7, to: 7, count: 1 },
      { kind: "gap", from: 8, to: 8 },
      { kind: "run", from: 9, to: 9, count: 1 },
    ]);
  });
});
