// canonicalJson and sameValue are fast hand-written forms of two slow obvious ones: JSON.stringify of a copy with
// keys sorted, and comparing two such strings. Random values hold them to exactly that.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../generator/model/canonical-json.js";
import { sameValue } from "../../generator/model/same-value.js";

function sortKeysReference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysReference);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, entry]) => [key, sortKeysReference(entry)]));
}

const reference = (value: unknown, indent?: number) => JSON.stringify(sortKeysReference(value), null, indent);

/** JSON-like values with undefined here and there, keys that look like indexes, and odd numbers. */
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(undefined, null, true, false, 0, -0, 1.5, Number.NaN, Infinity, 1e21),
    fc.string(),
    fc.integer(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom("0", "1", "10", "2", "01", "-1", "4294967295")), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("canonicalJson", () => {
  it("writes exactly what JSON.stringify writes for the key-sorted copy, with and without indentation", () => {
    fc.assert(
      fc.property(values, fc.constantFrom(undefined, 0, 2), (value, indent) => {
        expect(canonicalJson(value, indent)).toBe(reference(value, indent));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches on a nested example by hand", () => {
    expect(canonicalJson({ b: [1, undefined, { d: undefined, c: "x" }], a: null, "10": 1, "2": 2 }, 2)).toBe(
      '{\n  "2": 2,\n  "10": 1,\n  "a": null,\n  "b": [\n    1,\n    null,\n    {\n      "c": "x"\n    }\n  ]\n}',
    );
  });
});

describe("sameValue", () => {
  it("is true exactly when the canonical JSON texts are equal", () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        expect(sameValue(a, b)).toBe(reference(a) === reference(b));
        expect(sameValue(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("treats a key holding undefined as missing and ignores key order", () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue({ a: null }, {})).toBe(false);
  });
});
