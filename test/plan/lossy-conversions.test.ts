// Type changes that look like widening but change values (found by the property test's refusal mode): SQLite
// writes a REAL into TEXT with 15 significant digits, and an INTEGER beyond 2^53 into REAL rounded. These are
// destructive: refused without --allow-destructive, naming the column; with it, the migration does what SQLite does.
import { describe, expect, it } from "vitest";
import { blob, integer, numeric, real, table, text, type ColumnBuilder } from "../../generator/dsl/index.js";
import { SchemaError } from "../../generator/model/errors.js";
import { applyLikeD1, databaseFrom, migrationBetween, modelOf } from "../helpers/evolve.js";

const t = (value: ColumnBuilder, strict = false) => table("t", { id: integer().primaryKey(), v: value }, { strict });

function refusal(before: ColumnBuilder, after: ColumnBuilder, strict = false): string {
  try {
    migrationBetween(modelOf([t(before, strict)]), modelOf([t(after, strict)]), { allowDestructive: false });
  } catch (error) {
    if (error instanceof SchemaError) return error.message;
    throw error;
  }
  return "";
}

describe("type changes that lose digits", () => {
  const cases: [string, ColumnBuilder, ColumnBuilder, string, unknown][] = [
    ["REAL → TEXT", real(), text(), "0.30000000000000004", "0.3"],
    ["NUMERIC → TEXT", numeric(), text(), "0.30000000000000004", "0.3"],
    ["INTEGER → REAL", integer(), real(), "9007199254740993", 9007199254740992],
    // Outside a STRICT table an INTEGER column keeps a non-integral value as a REAL (found at seed 987654).
    ["INTEGER → TEXT, holding a REAL", integer(), text(), "0.30000000000000004", "0.3"],
  ];
  for (const [name, before, after, literal, becomes] of cases) {
    it(`${name} is refused without --allow-destructive, naming the column; with it SQLite's conversion applies`, () => {
      expect(refusal(before, after)).toMatch(/digits of t\.v's values/);
      const from = modelOf([t(before)]);
      const db = databaseFrom(from);
      db.exec(`INSERT INTO t (id, v) VALUES (1, ${literal})`);
      applyLikeD1(db, migrationBetween(from, modelOf([t(after)]), { allowDestructive: true }));
      expect((db.prepare("SELECT v FROM t").get() as { v: unknown }).v).toBe(becomes);
    });
  }

  it("REAL → BLOB keeps every digit in a plain table (BLOB affinity stores the value as it is) but not in a STRICT one (CAST)", () => {
    expect(refusal(real(), blob())).toBe("");
    expect(refusal(real(), blob(), true)).toMatch(/digits of t\.v's values/);
  });

  it("INTEGER → NUMERIC keeps every value, and so does INTEGER → TEXT in a STRICT table (integers only)", () => {
    expect(refusal(integer(), numeric())).toBe("");
    expect(refusal(integer(), text(), true)).toBe("");
  });
});
