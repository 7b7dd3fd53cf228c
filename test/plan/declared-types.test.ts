// Declared types through diff, plan and render (issue 16), proved with rows on SQLite: a change of declared type is
// a rebuild that keeps every value when the affinity stays; an affinity change follows the type-change rules; a key
// moving to or from the rowid (INTEGER PRIMARY KEY ↔ BIGINT PRIMARY KEY) is never silent.
import { describe, expect, it } from "vitest";
import { integer, numeric, table, text, type ColumnBuilder } from "../../generator/dsl/index.js";
import { columnTyping } from "../../generator/types/column-typing.js";
import { applyLikeD1, databaseAfter, databaseFrom, History, migrationBetween, modelOf, shapeOf } from "../helpers/evolve.js";
import { refusal } from "../helpers/schema-errors.js";

const people = (id: ColumnBuilder, name: ColumnBuilder = text()) => table("people", { id, name });
const declaredTypes = (db: ReturnType<typeof databaseFrom>, name = "people") =>
  Object.fromEntries(
    (db.prepare("SELECT name, type FROM pragma_table_info(?)").all(name) as { name: string; type: string }[]).map((row) => [row.name, row.type]),
  );

describe("the rowid alias, on SQLite", () => {
  it("is only a key declared exactly INTEGER: BIGINT PRIMARY KEY is a key apart from the rowid", () => {
    const alias = databaseFrom(modelOf([people(integer().primaryKey())]));
    alias.exec("INSERT INTO people (name) VALUES ('a'), ('b')");
    expect(alias.prepare("SELECT rowid, id, name FROM people").all()).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect(() => alias.exec("INSERT INTO people VALUES ('x', 'c')")).toThrow(/datatype mismatch/);

    const apart = databaseFrom(modelOf([people(integer("BIGINT").primaryKey())]));
    apart.exec("INSERT INTO people (name) VALUES ('a'), ('b'); INSERT INTO people VALUES ('x', 'c')");
    // No id is assigned: the key holds NULL (twice: NULLs are distinct), the rows have rowids of their own, and a
    // text key stays text (INTEGER affinity converts only what reads as a number).
    expect(apart.prepare("SELECT rowid, id, typeof(id) AS type, name FROM people ORDER BY rowid").all()).toEqual([
      { rowid: 1, id: null, type: "null", name: "a" },
      { rowid: 2, id: null, type: "null", name: "b" },
      { rowid: 3, id: "x", type: "text", name: "c" },
    ]);
    const notNull = databaseFrom(modelOf([people(integer("BIGINT").primaryKey().notNull())]));
    expect(() => notNull.exec("INSERT INTO people (name) VALUES ('a')")).toThrow(/NOT NULL constraint failed: people\.id/);
  });

  it("makes the key optional on insert only where SQLite assigns it", () => {
    const typing = (id: ColumnBuilder) => {
      const model = modelOf([people(id)]);
      return columnTyping(model.tables[0], model.tables[0].columns[0]).insert;
    };
    expect(typing(integer().primaryKey())).toEqual({ type: "number | undefined", optional: true });
    expect(typing(integer("INTEGER").primaryKey())).toEqual({ type: "number | undefined", optional: true });
    expect(typing(integer("BIGINT").primaryKey())).toEqual({ type: "number", optional: false });
    expect(typing(integer("INT").primaryKey().notNull())).toEqual({ type: "number", optional: false });
  });
});

describe("a declared type in migrations", () => {
  it("is written exactly as declared, by CREATE TABLE and by ADD COLUMN", () => {
    const from = modelOf([people(integer().primaryKey())]);
    const to = modelOf([table("people", { id: integer().primaryKey(), name: text(), price: numeric("DECIMAL(10,2)"), code: numeric("MyCode (3)") })]);
    const sql = migrationBetween(from, to);
    expect(sql).toContain("ADD COLUMN price DECIMAL(10,2);");
    expect(sql).toContain("ADD COLUMN code MyCode (3);");
    expect(migrationBetween(undefined, to)).toMatch(/ {2}price DECIMAL\(10,2\),\n {2}code MyCode \(3\)\n/);
    const db = databaseFrom(from);
    applyLikeD1(db, sql);
    expect(declaredTypes(db)).toEqual({ id: "INTEGER", name: "TEXT", price: "DECIMAL(10,2)", code: "MyCode (3)" });
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
  });

  it("is no change when it only spells the affinity's name", () => {
    const history = new History();
    history.step(modelOf([people(integer().primaryKey())]));
    expect(history.step(modelOf([people(integer("integer").primaryKey(), text("TEXT"))])).migration).toBeUndefined();
  });

  it("changed within its affinity (TEXT → VARCHAR(255)) rebuilds the table and keeps every value as it was", () => {
    const from = modelOf([people(integer().primaryKey(), text())]);
    const to = modelOf([people(integer().primaryKey(), text("VARCHAR(255)"))]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO people VALUES (1, 'ann'), (2, NULL), (3, '12'), (5, X'00ff')");
    const before = db.prepare("SELECT rowid, id, name, typeof(name) AS type FROM people ORDER BY id").all();
    const sql = migrationBetween(from, to, { allowDestructive: false });
    expect(sql).toContain("alter column people.name (type TEXT → VARCHAR(255))");
    applyLikeD1(db, sql);
    expect(db.prepare("SELECT rowid, id, name, typeof(name) AS type FROM people ORDER BY id").all()).toEqual(before);
    expect(declaredTypes(db).name).toBe("VARCHAR(255)");
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
  });

  it("changed across affinities follows the type-change rules: a narrowing needs --allow-destructive or .convertedFrom", () => {
    const from = modelOf([people(integer().primaryKey(), text("VARCHAR(20)"))]);
    const error = refusal(() => migrationBetween(from, modelOf([people(integer().primaryKey(), integer("BIGINT"))]), { allowDestructive: false }));
    expect(error.problem).toMatch(/values of people\.name that do not fit INTEGER \(was TEXT\)/);
    const to = modelOf([people(integer().primaryKey(), integer("BIGINT").convertedFrom("TEXT", "CAST(name AS INTEGER)"))]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO people VALUES (1, '12'), (2, '7 apples')");
    applyLikeD1(db, migrationBetween(from, to, { allowDestructive: false }));
    expect(db.prepare("SELECT id, name FROM people ORDER BY id").all()).toEqual([
      { id: 1, name: 12 },
      { id: 2, name: 7 },
    ]);
    expect(declaredTypes(db).name).toBe("BIGINT");
  });
});

describe("a key moving to or from the rowid", () => {
  it("INTEGER PRIMARY KEY → BIGINT PRIMARY KEY is refused without --allow-destructive, saying what changes", () => {
    const from = modelOf([people(integer().primaryKey())]);
    const error = refusal(() => migrationBetween(from, modelOf([people(integer("BIGINT").primaryKey())]), { allowDestructive: false }));
    expect(error.problem).toContain(
      "people.id as the rowid (INTEGER PRIMARY KEY → BIGINT PRIMARY KEY): the values are kept, but an INSERT that leaves id out stores NULL (or fails, if NOT NULL) instead of getting the next id",
    );
  });

  it("INTEGER PRIMARY KEY → BIGINT PRIMARY KEY, allowed: every row keeps its id, and its rowid stays its id", () => {
    const from = modelOf([people(integer().primaryKey())]);
    const to = modelOf([people(integer("BIGINT").primaryKey().notNull())]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO people VALUES (3, 'c'), (10, 'j'), (7, 'g')");
    applyLikeD1(db, migrationBetween(from, to, { allowDestructive: true }));
    expect(db.prepare("SELECT rowid AS r, id, name FROM people ORDER BY id").all()).toEqual([
      { r: 3, id: 3, name: "c" },
      { r: 7, id: 7, name: "g" },
      { r: 10, id: 10, name: "j" },
    ]);
    expect(declaredTypes(db).id).toBe("BIGINT");
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
    expect(() => db.exec("INSERT INTO people (name) VALUES ('new')")).toThrow(/NOT NULL constraint failed: people\.id/);
  });

  it("BIGINT PRIMARY KEY → INTEGER PRIMARY KEY, allowed: ids become rowids, a NULL key gets one, a text key fails the whole migration", () => {
    const from = modelOf([people(integer("BIGINT").primaryKey())]);
    const to = modelOf([people(integer().primaryKey())]);
    const error = refusal(() => migrationBetween(from, to, { allowDestructive: false }));
    expect(error.problem).toContain("the rowids of people: id becomes the rowid itself (BIGINT PRIMARY KEY → INTEGER PRIMARY KEY)");
    const sql = migrationBetween(from, to, { allowDestructive: true });

    const db = databaseFrom(from);
    db.exec("INSERT INTO people VALUES (40, 'a'), (NULL, 'b'), (12, 'c')");
    applyLikeD1(db, sql);
    expect(db.prepare("SELECT rowid AS r, id, name FROM people ORDER BY name").all()).toEqual([
      { r: 40, id: 40, name: "a" },
      { r: 41, id: 41, name: "b" },
      { r: 12, id: 12, name: "c" },
    ]);
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));

    const withText = databaseFrom(from);
    withText.exec("INSERT INTO people VALUES (1, 'a'), ('x', 'b')");
    const shape = shapeOf(withText);
    expect(() => applyLikeD1(withText, sql)).toThrow(/datatype mismatch/);
    // D1 rolls the file back: the table is as it was, rows included.
    expect(shapeOf(withText)).toEqual(shape);
    expect(withText.prepare("SELECT id, name FROM people ORDER BY name").all()).toEqual([
      { id: 1, name: "a" },
      { id: "x", name: "b" },
    ]);
  });

  it("is no loss between two declared types that are both apart from the rowid (INT → BIGINT)", () => {
    const from = modelOf([people(integer("INT").primaryKey())]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO people VALUES (5, 'a'), (NULL, 'b')");
    const before = db.prepare("SELECT rowid AS r, id, name FROM people ORDER BY r").all();
    applyLikeD1(db, migrationBetween(from, modelOf([people(integer("BIGINT").primaryKey())]), { allowDestructive: false }));
    expect(db.prepare("SELECT rowid AS r, id, name FROM people ORDER BY r").all()).toEqual(before);
  });
});
