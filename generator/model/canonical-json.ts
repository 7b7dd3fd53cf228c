// One JSON form for everything that is compared or written: keys sorted at every level, undefined dropped.
// Models built by the DSL and models read from snapshots then compare and serialize identically.
// Written out directly rather than as JSON.stringify of a key-sorted copy: at a thousand tables the copy cost a
// third of a second. The output is exactly JSON.stringify's (test/model/canonical-json.test.ts holds it to that),
// including its order for keys that look like array indexes, which JavaScript objects always put first.

export function canonicalJson(value: unknown, indent?: number): string {
  const step = indent === undefined || indent <= 0 ? "" : " ".repeat(Math.min(indent, 10));
  return write(value, step, "") ?? (undefined as unknown as string);
}

function write(value: unknown, step: string, current: string): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return undefined; // undefined, functions and symbols: left out of objects, null in arrays
  }
  if (value === null) return "null";
  const inner = current + step;
  const open = step ? `\n${inner}` : "";
  const close = step ? `\n${current}` : "";
  const separator = step ? `,\n${inner}` : ",";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => write(item, step, inner) ?? "null");
    return `[${open}${items.join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of sortedKeys(record)) {
    const text = write(record[key], step, inner);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${step ? " " : ""}${text}`);
  }
  return members.length === 0 ? "{}" : `{${open}${members.join(separator)}${close}}`;
}

/** Array-index keys first in numeric order (as every JavaScript object lists them), then the rest sorted. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  const indexes = keys.filter(isArrayIndex);
  if (indexes.length === 0) return keys.sort(compare);
  const others = keys.filter((key) => !isArrayIndex(key)).sort(compare);
  return [...indexes.sort((a, b) => Number(a) - Number(b)), ...others];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
