// Every change kind, proved on real SQLite with rows in the tables: build the old schema, insert rows, apply the
// generated migration the D1 way, and compare with a database created directly from the new schema.
import { describe, expect, it } from "vitest";
import { index, integer, real, table, text, type ColumnBuilder, type TableDefinition, type TableOptions } from "../../generator/dsl/index.js";
import type { Database } from "../../generator/model/model.js";
import { applyLikeD1, databaseAfter, databaseFrom, foreignKeyViolations, History, migrationBetween, modelOf, rowsOf, shapeOf } from "../helpers/evolve.js";
import { renderTypes } from "../../generator/types/render-types.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";

interface Evolution {
  before: TableDefinition[];
  after: TableDefinition[];
  rows: (db: SqliteDatabase) => void;
}

/** Applies the migration before → after to a database holding rows; returns it and the migration's SQL. */
function evolve({ before, after, rows }: Evolution): { db: SqliteDatabase; sql: string; target: Database } {
  const from = modelOf(before);
  const target = modelOf(after);
  const db = databaseFrom(from);
  rows(db);
  const sql = migrationBetween(from, target);
  applyLikeD1(db, sql);
  expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, target)));
  expect(foreignKeyViolations(db)).toEqual([]);
  return { db, sql, target };
}

const organizations = table("organizations", { id: text().primaryKey(), name: text().notNull() });
const insertOrganizations = (db: SqliteDatabase) => db.exec("INSERT INTO organizations (id, name) VALUES ('o1', 'Acme'), ('o2', 'Globex')");

describe("tables", () => {
  it("creates a table next to existing rows", () => {
    const projects = table("projects", { id: text().primaryKey(), organization_id: text().references("organizations") });
    const { db, sql } = evolve({ before: [organizations], after: [organizations, projects], rows: insertOrganizations });
    expect(sql).toMatch(/CREATE TABLE IF NOT EXISTS projects/);
    expect(rowsOf(db, "organizations")).toHaveLength(2);
  });

  it("drops a table", () => {
    const scratch = table("scratch", { id: integer().primaryKey(), note: text() });
    const { db, sql } = evolve({
      before: [organizations, scratch],
      after: [organizations],
      rows: (db) => {
        insertOrganizations(db);
        db.exec("INSERT INTO scratch (note) VALUES ('x')");
      },
    });
    expect(sql).toMatch(/DROP TABLE scratch;/);
    expect(rowsOf(db, "organizations")).toHaveLength(2);
  });

  it("renames a table and keeps its rows and the references to it", () => {
    const members = (parent: string) =>
      table("members", { id: text().primaryKey(), organization_id: text().references(parent, "id", { onDelete: "cascade" }) });
    const tenants = table("tenants", { id: text().primaryKey(), name: text().notNull() }, { renamedFrom: "organizations" });
    const { db, sql } = evolve({
      before: [organizations, members("organizations")],
      after: [tenants, members("tenants")],
      rows: (db) => {
        insertOrganizations(db);
        db.exec("INSERT INTO members VALUES ('m1', 'o1'), ('m2', 'o2')");
      },
    });
    expect(sql).toMatch(/ALTER TABLE organizations\s+RENAME TO tenants/);
    expect(sql).not.toMatch(/DROP TABLE/);
    expect(rowsOf(db, "tenants")).toEqual([
      { id: "o1", name: "Acme" },
      { id: "o2", name: "Globex" },
    ]);
    expect(rowsOf(db, "members")).toEqual([
      { id: "m1", organization_id: "o1" },
      { id: "m2", organization_id: "o2" },
    ]);
  });
});

describe("columns", () => {
  const withColumns = (columns: Record<string, ColumnBuilder>, options: TableOptions = {}) =>
    table<Record<string, ColumnBuilder>>("organizations", { id: text().primaryKey(), name: text().notNull(), ...columns }, options);

  it("adds a column in place when ALTER TABLE allows it", () => {
    const { db, sql } = evolve({
      before: [organizations],
      after: [withColumns({ plan: text().notNull().default("free") })],
      rows: insertOrganizations,
    });
    expect(sql).toMatch(/ALTER TABLE organizations\s+ADD COLUMN "plan" TEXT NOT NULL DEFAULT 'free'/);
    expect(rowsOf(db, "organizations")).toEqual([
      { id: "o1", name: "Acme", plan: "free" },
      { id: "o2", name: "Globex", plan: "free" },
    ]);
  });

  it("rebuilds to add a column whose default is an expression", () => {
    const { db, sql } = evolve({
      before: [organizations],
      after: [withColumns({ created_at: text().notNull().defaultSql("datetime('now')") })],
      rows: insertOrganizations,
    });
    expect(sql).toMatch(/default \(datetime\('now'\)\) is not a constant/);
    const rows = rowsOf(db, "organizations");
    expect(rows.map(({ id, name }) => ({ id, name }))).toEqual([
      { id: "o1", name: "Acme" },
      { id: "o2", name: "Globex" },
    ]);
    expect(rows.every((row) => typeof row.created_at === "string" && row.created_at.length === 19)).toBe(true);
  });

  it("drops a column in place", () => {
    const { db, sql } = evolve({
      before: [withColumns({ legacy: text() })],
      after: [organizations],
      rows: (db) => db.exec("INSERT INTO organizations VALUES ('o1', 'Acme', 'x')"),
    });
    expect(sql).toMatch(/ALTER TABLE organizations\s+DROP COLUMN legacy/);
    expect(rowsOf(db, "organizations")).toEqual([{ id: "o1", name: "Acme" }]);
  });

  it("rebuilds to drop a UNIQUE column", () => {
    const { db, sql } = evolve({
      before: [withColumns({ slug: text().unique() })],
      after: [organizations],
      rows: (db) => db.exec("INSERT INTO organizations VALUES ('o1', 'Acme', 'acme')"),
    });
    expect(sql).toMatch(/drop column slug: it is UNIQUE/);
    expect(rowsOf(db, "organizations")).toEqual([{ id: "o1", name: "Acme" }]);
  });

  it("renames a column with its values", () => {
    const renamed = table("organizations", { id: text().primaryKey(), display_name: text().notNull().renamedFrom("name") });
    const { db, sql } = evolve({ before: [organizations], after: [renamed], rows: insertOrganizations });
    expect(sql).toMatch(/RENAME COLUMN name TO display_name/);
    expect(rowsOf(db, "organizations")).toEqual([
      { id: "o1", display_name: "Acme" },
      { id: "o2", display_name: "Globex" },
    ]);
  });

  it("widens a type in a rebuild, converting values the way SQLite's affinity does", () => {
    const before = table("prices", { id: integer().primaryKey(), cents: integer().notNull() });
    const after = table("prices", { id: integer().primaryKey(), cents: real().notNull() });
    const { db } = evolve({ before: [before], after: [after], rows: (db) => db.exec("INSERT INTO prices VALUES (1, 150), (2, 99)") });
    const rows = db.prepare("SELECT id, cents, typeof(cents) AS type FROM prices ORDER BY id").all();
    expect(rows).toEqual([
      { id: 1, cents: 150, type: "real" },
      { id: 2, cents: 99, type: "real" },
    ]);
  });

  it("fills NULLs from the default when a column becomes NOT NULL", () => {
    const { db, sql } = evolve({
      before: [withColumns({ plan: text() })],
      after: [withColumns({ plan: text().notNull().default("free") })],
      rows: (db) => db.exec("INSERT INTO organizations VALUES ('o1', 'Acme', NULL), ('o2', 'Globex', 'pro')"),
    });
    expect(sql).toMatch(/IFNULL\("plan", 'free'\)/);
    expect(rowsOf(db, "organizations")).toEqual([
      { id: "o1", name: "Acme", plan: "free" },
      { id: "o2", name: "Globex", plan: "pro" },
    ]);
  });

  it("changes a default in a rebuild without touching stored values", () => {
    const { db } = evolve({
      before: [withColumns({ plan: text().default("free") })],
      after: [withColumns({ plan: text().default("trial") })],
      rows: (db) => db.exec("INSERT INTO organizations (id, name) VALUES ('o1', 'Acme')"),
    });
    db.exec("INSERT INTO organizations (id, name) VALUES ('o3', 'Initech')");
    expect(rowsOf(db, "organizations").map((row) => row.plan)).toEqual(["free", "trial"]);
  });
});

describe("table constraints", () => {
  it("adds a foreign key to a table with rows", () => {
    const before = table("projects", { id: text().primaryKey(), organization_id: text() });
    const after = table("projects", { id: text().primaryKey(), organization_id: text().references("organizations") });
    const { db, sql } = evolve({
      before: [organizations, before],
      after: [organizations, after],
      rows: (db) => {
        insertOrganizations(db);
        db.exec("INSERT INTO projects VALUES ('p1', 'o1'), ('p2', NULL)");
      },
    });
    expect(sql).toMatch(/alter table projects \(foreign keys\)/);
    expect(rowsOf(db, "projects")).toEqual([
      { id: "p1", organization_id: "o1" },
      { id: "p2", organization_id: null },
    ]);
  });

  it("adds a composite UNIQUE constraint and STRICT", () => {
    const before = table("slots", { id: integer().primaryKey(), day: text().notNull(), hour: integer().notNull() });
    const after = table("slots", { id: integer().primaryKey(), day: text().notNull(), hour: integer().notNull() }, { unique: [["day", "hour"]], strict: true });
    const { db } = evolve({ before: [before], after: [after], rows: (db) => db.exec("INSERT INTO slots VALUES (1, 'mon', 9), (2, 'mon', 10)") });
    expect(rowsOf(db, "slots")).toHaveLength(2);
    expect(() => db.exec("INSERT INTO slots (day, hour) VALUES ('mon', 9)")).toThrow(/UNIQUE/);
  });

  it("changes the primary key of a table whose rows have hidden rowids, keeping the rowids", () => {
    const before = table("events", { name: text().notNull(), at: text() });
    const after = table("events", { name: text().primaryKey(), at: text() });
    const { db } = evolve({
      before: [before],
      after: [after],
      rows: (db) => db.exec("INSERT INTO events VALUES ('a', '1'), ('b', '2'), ('c', '3'); DELETE FROM events WHERE name = 'a'"),
    });
    expect(db.prepare("SELECT rowid, name FROM events ORDER BY rowid").all()).toEqual([
      { rowid: 2, name: "b" },
      { rowid: 3, name: "c" },
    ]);
  });
});

describe("AUTOINCREMENT", () => {
  it("keeps the counter across a rebuild, so a deleted id is never reused", () => {
    const before = table("jobs", { id: integer().autoincrement(), name: text() });
    const after = table("jobs", { id: integer().autoincrement(), name: text().notNull().default("job") });
    const { db, sql } = evolve({
      before: [before],
      after: [after],
      rows: (db) => db.exec("INSERT INTO jobs (name) VALUES ('a'), ('b'), ('c'); DELETE FROM jobs WHERE id = 3"),
    });
    expect(sql).toMatch(/sqlite_sequence/);
    db.exec("INSERT INTO jobs (name) VALUES ('d')");
    expect(rowsOf(db, "jobs")).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
      { id: 4, name: "d" },
    ]);
  });
});

describe("indexes", () => {
  const users = (indexes: ReturnType<typeof index>[]) => table("users", { id: text().primaryKey(), email: text().notNull(), deleted_at: text() }, { indexes });
  const insertUsers = (db: SqliteDatabase) => db.exec("INSERT INTO users VALUES ('u1', 'a@x', NULL), ('u2', 'b@x', '2024')");

  it("creates, alters and drops indexes without touching rows", () => {
    const first = evolve({ before: [users([])], after: [users([index("idx_users_email").on("email")])], rows: insertUsers });
    expect(first.sql).toMatch(/CREATE INDEX IF NOT EXISTS idx_users_email ON users \(email\)/);
    const altered = evolve({
      before: [users([index("idx_users_email").on("email")])],
      after: [users([index("idx_users_email").on("email").unique().where("deleted_at IS NULL")])],
      rows: insertUsers,
    });
    expect(altered.sql).toMatch(/DROP INDEX idx_users_email;[\s\S]*CREATE UNIQUE INDEX IF NOT EXISTS idx_users_email/);
    const dropped = evolve({ before: [users([index("idx_users_email").on("email")])], after: [users([])], rows: insertUsers });
    expect(dropped.sql).toMatch(/DROP INDEX idx_users_email;/);
    expect(rowsOf(dropped.db, "users")).toHaveLength(2);
  });
});

describe("foreign keys on added columns", () => {
  it("adds a nullable REFERENCES column in place, without rebuilding the table", () => {
    const parent = table("handoffs", { id: text().primaryKey() });
    const before = table("conversions", { id: text().primaryKey(), value: integer() });
    const after = table("conversions", {
      id: text().primaryKey(),
      value: integer(),
      handoff_id: text().references("handoffs", "id", { onDelete: "set null" }),
    });
    const { db, sql } = evolve({
      before: [parent, before],
      after: [parent, after],
      rows: (db) => db.exec("INSERT INTO handoffs VALUES ('h1'); INSERT INTO conversions VALUES ('c1', 5)"),
    });
    expect(sql).toMatch(/ALTER TABLE conversions\s+ADD COLUMN handoff_id TEXT REFERENCES handoffs \(id\) ON DELETE SET NULL;/);
    expect(sql).not.toMatch(/Rebuild|DROP TABLE/);
    db.exec("UPDATE conversions SET handoff_id = 'h1'; DELETE FROM handoffs");
    expect(rowsOf(db, "conversions")).toEqual([{ id: "c1", value: 5, handoff_id: null }]);
  });

  it("rebuilds when the new REFERENCES column has a non-NULL default, which ADD COLUMN refuses", () => {
    const parent = table("handoffs", { id: text().primaryKey() });
    const before = table("conversions", { id: text().primaryKey() });
    const after = table("conversions", { id: text().primaryKey(), handoff_id: text().default("h0").references("handoffs") });
    const { db, sql } = evolve({
      before: [parent, before],
      after: [parent, after],
      rows: (db) => db.exec("INSERT INTO handoffs VALUES ('h0'); INSERT INTO conversions VALUES ('c1')"),
    });
    expect(sql).toMatch(/it has a foreign key and a non-NULL default/);
    expect(rowsOf(db, "conversions")).toEqual([{ id: "c1", handoff_id: "h0" }]);
  });
});

describe("column order", () => {
  it("adds a column declared before existing ones with one ALTER TABLE ADD COLUMN, at the end; types keep the declared order", async () => {
    const before = modelOf([table("notes", { id: integer().primaryKey(), body: text() })]);
    const after = modelOf([table("notes", { id: integer().primaryKey(), title: text(), body: text() })]);
    const history = new History();
    history.step(before);
    const db = databaseFrom(before);
    db.exec("INSERT INTO notes VALUES (1, 'hello')");
    const result = history.step(after);
    expect(result.migration?.sql).toMatch(/ALTER TABLE notes\nADD COLUMN title TEXT;/);
    expect(result.migration?.sql).not.toMatch(/CREATE TABLE|INSERT INTO/);
    applyLikeD1(db, result.migration!.sql);
    expect(db.prepare("SELECT * FROM notes").raw().all()).toEqual([[1, "hello", null]]);
    // The snapshot and the squash hold the built order, so a replay still equals the squash; the types show the declared one.
    expect(result.database.tables[0].columns.map((column) => column.name)).toEqual(["id", "body", "title"]);
    expect(result.database.tables[0].declaredOrder).toEqual(["id", "title", "body"]);
    expect(result.fresh).toMatch(/notes \(id INTEGER PRIMARY KEY, body TEXT, title TEXT\)/);
    expect(await renderTypes(result.database)).toMatch(/export interface NotesRow \{\n {2}id: number;\n {2}title: string \| null;\n {2}body: string \| null;/);
    // Generating again finds nothing to do.
    expect(history.step(after).migration).toBeUndefined();
  });

  it("reorders existing columns in the types only, with no migration", () => {
    const before = modelOf([table("notes", { id: integer().primaryKey(), title: text(), body: text() })]);
    const after = modelOf([table("notes", { id: integer().primaryKey(), body: text(), title: text() })]);
    const history = new History();
    history.step(before);
    const result = history.step(after);
    expect(result.migration).toBeUndefined();
    expect(result.snapshotChanged).toBe(true);
    expect(result.database.tables[0].declaredOrder).toEqual(["id", "body", "title"]);
  });

  it("rebuilds into the declared order when the table is named for a reorder (--reorder-columns), keeping every row", () => {
    const before = table("notes", { id: integer().primaryKey(), title: text(), body: text() });
    const after = table("notes", { id: integer().primaryKey(), body: text(), title: text() });
    const from = modelOf([before]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO notes VALUES (1, 't', 'b')");
    const sql = migrationBetween(from, modelOf([after]), { reorderColumns: ["notes"] });
    expect(sql).toMatch(/column order/);
    applyLikeD1(db, sql);
    expect(db.prepare("SELECT * FROM notes").raw().all()).toEqual([[1, "b", "t"]]);
    expect(shapeOf(db)).toEqual(shapeOf(databaseFrom(modelOf([after]))));
  });
});

describe("a column named rowid", () => {
  it("does not hide the real rowid from a rebuild that drops it", () => {
    const before = table("notes", { id: text().primaryKey(), rowid: text() });
    const after = table("notes", { id: text().primaryKey().default("x") });
    const { db } = evolve({ before: [before], after: [after], rows: (db) => db.exec("INSERT INTO notes (id, rowid) VALUES ('a', 'hello')") });
    expect(db.prepare("SELECT _rowid_ AS r, id FROM notes").all()).toEqual([{ r: 1, id: "a" }]);
  });

  it("does not take the real rowid's value when a rebuild adds it", () => {
    const before = table("notes", { body: text() });
    const after = table("notes", { body: text(), rowid: text() }, { checks: ["body IS NOT NULL OR rowid IS NULL"] });
    const { db } = evolve({
      before: [before],
      after: [after],
      rows: (db) => db.exec("INSERT INTO notes VALUES ('a'), ('b'); DELETE FROM notes WHERE body = 'a'"),
    });
    expect(db.prepare("SELECT _rowid_ AS r, body, rowid FROM notes").all()).toEqual([{ r: 2, body: "b", rowid: null }]);
  });
});

describe("renaming the INTEGER key of a WITHOUT ROWID table that a UNIQUE constraint names", () => {
  it("rebuilds instead, since SQLite cannot rename it in place", () => {
    const before = table("slots", { a: integer().primaryKey(), b: integer() }, { unique: [["a", "b"]], withoutRowid: true });
    const after = table("slots", { x: integer().primaryKey().renamedFrom("a"), b: integer() }, { unique: [["x", "b"]], withoutRowid: true });
    const { db, sql } = evolve({ before: [before], after: [after], rows: (db) => db.exec("INSERT INTO slots VALUES (1, 2), (3, 4)") });
    expect(sql).not.toMatch(/RENAME COLUMN/);
    expect(rowsOf(db, "slots")).toEqual([
      { x: 1, b: 2 },
      { x: 3, b: 4 },
    ]);
  });
});
