// Any name SQLite accepts (issue 16): tables, columns, indexes and constraints named with spaces, dashes, a double
// quote, non-ASCII letters, a leading digit or a keyword go through every kind of migration. Proved with rows on
// SQLite, applied the D1 way: each migration keeps every row, leaves no foreign key broken, and builds what a fresh
// database of the new schema has.
import { describe, expect, it } from "vitest";
import { index, integer, json, table, text, type TableDefinition } from "../../generator/dsl/index.js";
import { History, applyLikeD1, databaseAfter, foreignKeyViolations, modelOf, openMemoryDatabase, rowsOf, shapeOf } from "../helpers/evolve.js";

const parent = (options: { name?: string; renamedFrom?: string; extra?: boolean; hi?: "say" | "sag"; straße?: "text" | "integer" } = {}) =>
  table(
    options.name ?? "my table",
    {
      "order id": integer().primaryKey(),
      Straße: (options.straße === "integer" ? integer() : text()).notNull().check('length("Straße") > 0', { name: "straße not empty" }),
      "a-b": text().unique(),
      ...(options.hi === "sag" ? { 'sag "hallo"': text().renamedFrom('say "hi"') } : { 'say "hi"': text() }),
      select: integer(),
      ...(options.extra ? { "new col": text().defaultSql("datetime('now')") } : {}),
    },
    {
      indexes: [index('idx "q"').on(options.hi === "sag" ? 'sag "hallo"' : 'say "hi"', "Straße")],
      ...(options.renamedFrom ? { renamedFrom: options.renamedFrom } : {}),
    },
  );
const child = (parentName = "my table") =>
  table("Kind-Tabelle", {
    id: integer().primaryKey(),
    "parent id": integer().references(parentName, "order id", { onDelete: "cascade", name: "fk parent" }),
    "Ünïcödé ✓": json(),
  });

const seed = `INSERT INTO "my table" VALUES (1, '12', 'a', 'h"i', 2), (2, 'y', NULL, NULL, NULL);
INSERT INTO "Kind-Tabelle" VALUES (1, 1, '{}'), (2, 2, NULL), (3, NULL, '[1]');`;

/** Applies `before`, fills it, applies the migration to `after` and returns the database and its SQL. */
function migrate(before: TableDefinition[], after: TableDefinition[]) {
  const [from, to] = [modelOf(before), modelOf(after)];
  const history = new History();
  const db = openMemoryDatabase();
  applyLikeD1(db, history.step(from).migration!.sql);
  db.exec(seed);
  const rows = { parent: rowsOf(db, "my table"), child: rowsOf(db, "Kind-Tabelle") };
  const sql = history.step(to).migration!.sql;
  applyLikeD1(db, sql);
  expect(foreignKeyViolations(db)).toEqual([]);
  expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
  return { db, sql, rows };
}

describe("names SQLite accepts, through every kind of migration", () => {
  it("rebuild a parent under its child's rows (a column whose default is an expression)", () => {
    const { db, sql, rows } = migrate([parent(), child()], [parent({ extra: true }), child()]);
    expect(sql).toContain('CREATE TABLE "__d1s_backup_my table" AS');
    expect(sql).toContain('CREATE INDEX "idx ""q""" ON "my table" ("say ""hi""", "Straße");');
    expect(rowsOf(db, "Kind-Tabelle")).toEqual(rows.child);
    expect(rowsOf(db, "my table").map(({ "new col": added, ...row }) => (expect(added).toEqual(expect.any(String)), row))).toEqual(rows.parent);
    expect(() => db.exec(`INSERT INTO "my table" ("Straße") VALUES ('')`)).toThrow("CHECK constraint failed: straße not empty");
  });

  it("change a column's type by a rebuild, keeping the values", () => {
    const { db, sql, rows } = migrate([parent(), child()], [parent({ straße: "integer" }), child()]);
    expect(sql).toContain('"Straße" INTEGER NOT NULL CONSTRAINT "straße not empty"');
    expect(rowsOf(db, "Kind-Tabelle")).toEqual(rows.child);
    const byId = (list: Record<string, unknown>[]) => [...list].sort((a, b) => Number(a["order id"]) - Number(b["order id"]));
    expect(byId(rowsOf(db, "my table"))).toEqual(byId(rows.parent).map((row) => ({ ...row, Straße: row.Straße === "12" ? 12 : row.Straße })));
  });

  it("rename a table and a column with ALTER TABLE, the child's foreign key following", () => {
    const { db, sql, rows } = migrate([parent(), child()], [parent({ name: "Meine Tabelle", renamedFrom: "my table", hi: "sag" }), child("Meine Tabelle")]);
    expect(sql).toContain('ALTER TABLE "my table"\nRENAME TO "Meine Tabelle";');
    expect(sql).toContain('RENAME COLUMN "say ""hi""" TO "sag ""hallo""";');
    expect(rowsOf(db, "Kind-Tabelle")).toEqual(rows.child);
    expect(rowsOf(db, "Meine Tabelle")).toEqual(rows.parent.map(({ 'say "hi"': hi, ...row }) => ({ ...row, 'sag "hallo"': hi })));
  });

  it("drop columns, a constraint and an index", () => {
    const { db, rows } = migrate([parent(), child()], [table("my table", { "order id": integer().primaryKey(), Straße: text().notNull() }), child()]);
    expect(rowsOf(db, "Kind-Tabelle")).toEqual(rows.child);
    expect(rowsOf(db, "my table")).toEqual(rows.parent.map((row) => ({ "order id": row["order id"], Straße: row.Straße })));
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all()).toEqual([]);
  });

  // A pre-existing bug found here: `Users` → `users` was a drop and a create, and `CREATE TABLE IF NOT EXISTS users`
  // found `Users` (one name to SQLite), so the DROP that followed deleted the table and its rows.
  it("take a name that differs in case only as the same table or column, renamed through a temporary name", () => {
    const { db, sql, rows } = migrate(
      [parent(), child()],
      [
        parent({ name: "MY TABLE" }),
        table("kind-tabelle", {
          id: integer().primaryKey(),
          "PARENT ID": integer().references("MY TABLE", "order id", { onDelete: "cascade", name: "fk parent" }),
          "Ünïcödé ✓": json(),
        }),
      ],
    );
    expect(sql).not.toMatch(/DROP TABLE/);
    expect(sql).toContain('ALTER TABLE "__d1s_renaming_my table"\nRENAME TO "MY TABLE";');
    expect(rowsOf(db, "kind-tabelle")).toEqual(
      rows.child.map(({ "parent id": parentId, ...row }) => ({ id: row.id, "PARENT ID": parentId, "Ünïcödé ✓": row["Ünïcödé ✓"] })),
    );
    expect(rowsOf(db, "MY TABLE")).toEqual(rows.parent);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all()).toEqual([{ name: "MY TABLE" }, { name: "kind-tabelle" }]);
  });
});
