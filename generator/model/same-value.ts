// Structural equality with canonical JSON's meaning (model/canonical-json.ts): a key holding undefined is the same
// as a missing key, and key order does not matter. Comparing two models this way costs a walk, not two
// serializations, which at a thousand tables is the difference between microseconds and a tenth of a second.

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // JSON writes NaN and the infinities as null.
  if (typeof a === "number" && !Number.isFinite(a)) return b === null || (typeof b === "number" && !Number.isFinite(b));
  if (typeof b === "number" && !Number.isFinite(b)) return a === null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // JSON writes undefined in an array as null.
    return a.every((item, index) => sameValue(item ?? null, b[index] ?? null));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let definedOnLeft = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    definedOnLeft++;
    if (!Object.hasOwn(right, key) || !sameValue(left[key], right[key])) return false;
  }
  let definedOnRight = 0;
  for (const key in right) if (right[key] !== undefined) definedOnRight++;
  return definedOnLeft === definedOnRight;
}
