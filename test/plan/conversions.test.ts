// A column whose type changes can say how old values become new ones (.convertedFrom(oldType, SQL over the old row),
// issue 16): the rebuild's copy computes them, so a narrowing is no longer a loss that needs --allow-destructive;
// without one, or with one for another old type, it stays destructive. Proved with rows on SQLite.
import { describe, expect, it } from "vitest";
import { integer, numeric, table, text, type ColumnBuilder } from "../../generator/dsl/index.js";
import { applyLikeD1, databaseAfter, databaseFrom, History, migrationBetween, modelOf, rowsOf, shapeOf } from "../helpers/evolve.js";
import { refusal } from "../helpers/schema-errors.js";

const prices = (price: ColumnBuilder) => table("prices", { id: integer().primaryKey(), label: text().notNull(), price });

describe(".convertedFrom on a type change", () => {
  it("computes each value with the schema's expression, without --allow-destructive, and keeps every row", () => {
    const from = modelOf([prices(text())]);
    const to = modelOf([prices(integer().convertedFrom("TEXT", "CAST(replace(replace(price, '$', ''), ',', '') AS INTEGER)"))]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO prices VALUES (1, 'small', '$12'), (2, 'large', '$1,250'), (3, 'free', NULL)");
    const sql = migrationBetween(from, to, { allowDestructive: false });
    applyLikeD1(db, sql);
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
    expect(db.prepare("SELECT id, price, typeof(price) AS type FROM prices ORDER BY id").all()).toEqual([
      { id: 1, price: 12, type: "integer" },
      { id: 2, price: 1250, type: "integer" },
      { id: 3, price: null, type: "null" },
    ]);
  });

  it("leaves a narrowing destructive without one, or with one written for another old type", () => {
    const from = modelOf([prices(text())]);
    for (const price of [integer(), integer().convertedFrom("REAL", "CAST(price AS INTEGER)")]) {
      const error = refusal(() => migrationBetween(from, modelOf([prices(price)]), { allowDestructive: false }));
      expect(error.problem).toMatch(/would destroy data:\n {4}- values of prices\.price that do not fit INTEGER \(was TEXT\)/);
    }
  });

  it("is not applied again by a later type change from another type, once its migration is done", () => {
    const history = new History();
    const first = history.step(modelOf([prices(text())]));
    const db = databaseFrom(first.database);
    db.exec("INSERT INTO prices VALUES (1, 'small', '12')");
    const converted = history.step(modelOf([prices(integer().convertedFrom("TEXT", "CAST(price AS INTEGER) * 100"))]), { allowDestructive: false });
    applyLikeD1(db, converted.migration!.sql);
    expect(rowsOf(db, "prices")).toEqual([{ id: 1, label: "small", price: 1200 }]);
    // INTEGER → NUMERIC keeps the hint in the schema, but the old type is INTEGER now: the values are copied as they are.
    const widened = history.step(modelOf([prices(numeric().convertedFrom("TEXT", "CAST(price AS INTEGER) * 100"))]), { allowDestructive: false });
    expect(widened.migration!.sql).not.toContain("* 100");
    applyLikeD1(db, widened.migration!.sql);
    expect(rowsOf(db, "prices")).toEqual([{ id: 1, label: "small", price: 1200 }]);
  });

  it("must be one SQL expression", () => {
    expect(() => modelOf([prices(integer().convertedFrom("TEXT", "1; DROP TABLE prices"))])).toThrow(/TEST_DB\.prices\.price: has a conversion that/);
    expect(() => modelOf([prices(text().notNull().backfill("'a' -- comment"))])).toThrow(/TEST_DB\.prices\.price: has a backfill that/);
  });
});
