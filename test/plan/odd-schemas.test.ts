// Valid but odd schemas (issue 16): what SQLite and D1 accept is adoptable and describable, and what is likely a
// mistake is a lint finding, not a load error. Each is shown on real SQLite with rows: what SQLite does with it, that
// the schema language says it, that the squash builds it, that introspection (drift, pull) reads it back, and that a
// change of it is a migration keeping every row.
import { describe, expect, it } from "vitest";
import { integer, numeric, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import { describeChange } from "../../generator/diff/changes.js";
import { diffDatabases } from "../../generator/diff/diff.js";
import { runLintRules } from "../../generator/lint/lint.js";
import type { Database } from "../../generator/model/model.js";
import { introspectDatabase } from "../../generator/sqlite/introspect.js";
import { renderSchemaFiles } from "../../generator/types/schema-files.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { applyLikeD1, databaseFrom, migrationBetween, modelOf, rowsOf } from "../helpers/evolve.js";

function introspected(db: SqliteDatabase) {
  return introspectDatabase(db, { name: "TEST_DB", folder: "test_db", bindings: ["TEST_DB"], continueFrom: 0, ifNotExists: true });
}

const lintOf = (model: Database) => runLintRules([model]).findings.map((finding) => `${finding.severity} ${finding.kind}: ${finding.table}.${finding.column}`);

/** Rows a database holds from before its key went wrong (written with foreign keys off, as an import may). */
function legacyRows(db: SqliteDatabase, sql: string): void {
  db.pragma("foreign_keys = off");
  db.exec(sql);
  db.pragma("foreign_keys = on");
}

describe("a foreign key to columns that are not a key", () => {
  const parent = (indexes: ReturnType<typeof uniqueIndex>[] = []) => table("p", { id: integer().primaryKey(), code: text() }, { indexes });
  const child = (column = "code") =>
    table("c", { id: integer().primaryKey(), p_code: text().references("p", column) }, { lint: { "foreign-key-without-index": "small" } });

  it("loads, is built as written, and is lint error foreign-key-to-non-unique: SQLite refuses every write to the child and most to the parent", () => {
    const model = modelOf([parent(), child()]);
    expect(lintOf(model)).toEqual(["error foreign-key-to-non-unique: c.p_code"]);
    const db = databaseFrom(model);
    db.exec("INSERT INTO p VALUES (1, 'a')");
    expect(() => db.exec("INSERT INTO c VALUES (1, NULL)")).toThrow('foreign key mismatch - "c" referencing "p"');
    expect(() => db.exec("DELETE FROM p")).toThrow("foreign key mismatch");
    expect(() => db.exec("INSERT INTO p VALUES (2, 'b'), (3, 'c')")).toThrow("foreign key mismatch");
    const { database: live, notes } = introspected(db);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
  });

  it("is fixed by a unique index on the parent's column (no rebuild), after which the key works on the rows", () => {
    const from = modelOf([parent(), child()]);
    const to = modelOf([parent([uniqueIndex("p_code_key").on("code")]), child()]);
    expect(lintOf(to)).toEqual([]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO p VALUES (1, 'a'); INSERT INTO p VALUES (2, 'b')");
    legacyRows(db, "INSERT INTO c VALUES (1, 'a'), (2, NULL)");
    const sql = migrationBetween(from, to);
    expect(sql).not.toContain("Rebuild");
    applyLikeD1(db, sql);
    expect(rowsOf(db, "c")).toEqual([
      { id: 1, p_code: "a" },
      { id: 2, p_code: null },
    ]);
    db.exec("INSERT INTO c VALUES (3, 'b')");
    expect(() => db.exec("INSERT INTO c VALUES (4, 'z')")).toThrow("FOREIGN KEY constraint failed");
    expect(() => db.exec("DELETE FROM p WHERE id = 1")).toThrow("FOREIGN KEY constraint failed");
  });

  it("is fixed by pointing the key at the primary key: the child is rebuilt (dropped without the DELETE SQLite refuses), every row kept", () => {
    const from = modelOf([parent(), child()]);
    const to = modelOf([parent(), child("id")]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO p VALUES (1, 'a')");
    legacyRows(db, "INSERT INTO c VALUES (1, '1'), (2, NULL)");
    const sql = migrationBetween(from, to);
    expect(sql).toContain("-- Rebuild c");
    expect(sql).not.toContain("DELETE FROM c");
    applyLikeD1(db, sql);
    expect(rowsOf(db, "c")).toEqual([
      { id: 1, p_code: "1" },
      { id: 2, p_code: null },
    ]);
    expect(() => db.exec("INSERT INTO c VALUES (3, 9)")).toThrow("FOREIGN KEY constraint failed");
  });

  it("refuses a rebuild that would carry the child's rows while its key still has nothing to point at, naming the fix", () => {
    const from = modelOf([parent(), child()]);
    const to = modelOf([table("p", { id: integer().primaryKey(), code: text().check("code <> ''") }), child()]);
    expect(() => migrationBetween(from, to)).toThrow(
      /TEST_DB\.c: must be carried through a rebuild, but its foreign key to p\(code\) has no parent key \(lint: foreign-key-to-non-unique\)[\s\S]*make p\(code\) UNIQUE/,
    );
  });
});

describe("a foreign key to a table the database lacks", () => {
  const child = table("c", { id: integer().primaryKey(), ghost_id: integer().references("ghost") });

  it("loads, is built as written, and is lint error foreign-key-to-missing-table: SQLite refuses every write to the table", () => {
    const model = modelOf([child]);
    expect(lintOf(model)).toEqual(["error foreign-key-to-missing-table: c.ghost_id"]);
    const db = databaseFrom(model);
    expect(() => db.exec("INSERT INTO c VALUES (1, NULL)")).toThrow("no such table: main.ghost");
    const { database: live, notes } = introspected(db);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
  });

  it("is fixed by creating the table, keeping the rows written before", () => {
    const from = modelOf([child]);
    const to = modelOf([child, table("ghost", { id: integer().primaryKey() })]);
    const db = databaseFrom(from);
    legacyRows(db, "INSERT INTO c VALUES (1, NULL), (2, 7)");
    applyLikeD1(db, migrationBetween(from, to));
    db.exec("INSERT INTO ghost VALUES (8); INSERT INTO c VALUES (3, 8)");
    expect(db.prepare("SELECT * FROM c ORDER BY id").all()).toEqual([
      { id: 1, ghost_id: null },
      { id: 2, ghost_id: 7 },
      { id: 3, ghost_id: 8 },
    ]);
  });

  it("is fixed by dropping the foreign key: the table is rebuilt without the DELETE SQLite refuses, every row kept", () => {
    const from = modelOf([child]);
    const to = modelOf([table("c", { id: integer().primaryKey(), ghost_id: integer() })]);
    const db = databaseFrom(from);
    legacyRows(db, "INSERT INTO c VALUES (1, NULL), (2, 7)");
    applyLikeD1(db, migrationBetween(from, to));
    db.exec("INSERT INTO c VALUES (3, 8)");
    expect(rowsOf(db, "c")).toHaveLength(3);
  });
});

describe("ANY in a STRICT table", () => {
  const values = (x: ReturnType<typeof numeric>, strict = true) => table("t", { id: integer().primaryKey(), x }, { strict });
  const typed = (db: SqliteDatabase) => db.prepare("SELECT id, x, typeof(x) AS type FROM t ORDER BY id").all();

  it('is numeric("ANY"): written as ANY, it keeps every value as given, and introspection reads it back', () => {
    const model = modelOf([values(numeric("ANY"))]);
    expect(migrationBetween(undefined, model)).toContain("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, x ANY) STRICT;");
    const db = databaseFrom(model);
    db.exec("INSERT INTO t VALUES (1, '1'), (2, 1), (3, 1.5), (4, X'00'), (5, NULL)");
    expect(typed(db)).toEqual([
      { id: 1, x: "1", type: "text" },
      { id: 2, x: 1, type: "integer" },
      { id: 3, x: 1.5, type: "real" },
      { id: 4, x: Buffer.from([0]), type: "blob" },
      { id: 5, x: null, type: "null" },
    ]);
    const { database: live, notes } = introspected(db);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
    // Outside a STRICT table ANY is NUMERIC affinity, as SQLite's rules say: '1' is stored as 1.
    const loose = databaseFrom(modelOf([values(numeric("ANY"), false)]));
    loose.exec("INSERT INTO t VALUES (1, '1')");
    expect(typed(loose)).toEqual([{ id: 1, x: 1, type: "integer" }]);
  });

  it("a column becoming ANY keeps every value as it was, without --allow-destructive; leaving ANY for TEXT is a narrowing", () => {
    const from = modelOf([values(text())]);
    const to = modelOf([values(numeric("ANY"))]);
    const db = databaseFrom(from);
    db.exec("INSERT INTO t VALUES (1, '1'), (2, 'abc'), (3, NULL)");
    applyLikeD1(db, migrationBetween(from, to, { allowDestructive: false }));
    expect(typed(db)).toEqual([
      { id: 1, x: "1", type: "text" },
      { id: 2, x: "abc", type: "text" },
      { id: 3, x: null, type: "null" },
    ]);
    expect(() => migrationBetween(to, from, { allowDestructive: false })).toThrow(/destroy data[\s\S]*t\.x/);
  });
});

describe("DEFERRABLE INITIALLY DEFERRED", () => {
  const parent = table("p", { id: integer().primaryKey() });
  const child = (deferred: boolean) =>
    table(
      "c",
      { id: integer().primaryKey(), p_id: integer().references("p", "id", { deferred }), q_id: integer() },
      { foreignKeys: [{ columns: ["q_id", "id"], references: { table: "pairs", columns: ["a", "b"] }, onDelete: "cascade", deferred }] },
    );
  const pairs = table("pairs", { a: integer().notNull(), b: integer().notNull() }, { primaryKey: ["a", "b"] });
  const schema = (deferred: boolean) => modelOf([parent, child(deferred), pairs]);
  /** A child written before its parent in one transaction, as D1 runs a batch or a migration. */
  const childFirst = "INSERT INTO c (id, p_id) VALUES (1, 7); INSERT INTO p VALUES (7)";

  it("is written in the squash, and SQLite checks the key at commit: a child may come before its parent, not stay without one", () => {
    const sql = migrationBetween(undefined, schema(true));
    expect(sql).toContain("p_id INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED");
    expect(sql).toContain("FOREIGN KEY (q_id, id) REFERENCES pairs (a, b) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED");
    const deferred = databaseFrom(schema(true));
    applyLikeD1(deferred, childFirst);
    expect(rowsOf(deferred, "c")).toEqual([{ id: 1, p_id: 7, q_id: null }]);
    expect(() => applyLikeD1(deferred, "INSERT INTO c (id, p_id) VALUES (2, 8)")).toThrow("FOREIGN KEY constraint failed");
    expect(rowsOf(deferred, "c")).toHaveLength(1);
    const immediate = databaseFrom(schema(false));
    expect(() => applyLikeD1(immediate, childFirst)).toThrow("FOREIGN KEY constraint failed");
  });

  it("is read back by introspection (drift and pull see it; pull writes deferred: true), and a difference is a change", async () => {
    const { database: live, notes } = introspected(databaseFrom(schema(true)));
    expect(notes).toEqual([]);
    expect(diffDatabases(live, schema(true))).toEqual([]);
    expect(live.tables.find((table) => table.name === "c")!.foreignKeys.map((key) => key.deferred ?? false)).toEqual([true, true]);
    expect(diffDatabases(introspected(databaseFrom(schema(false))).database, schema(true)).map(describeChange)).toEqual(["alter table c (foreign keys)"]);
    const source = (await renderSchemaFiles(live, { databaseComment: [], tablesComment: [], dslImport: "d1-schema-kit" }))
      .map((file) => file.content)
      .join("\n");
    expect(source).toContain('p_id: integer().references("p", "id", { deferred: true })');
    expect(source).toMatch(/references: \{ table: "pairs", columns: \["a", "b"\] \},\s+onDelete: "cascade",\s+deferred: true,/);
  });

  it("made deferred (or immediate again) rebuilds the table, keeping every row", () => {
    const db = databaseFrom(schema(false));
    db.exec("INSERT INTO p VALUES (1), (2); INSERT INTO pairs VALUES (5, 1); INSERT INTO c VALUES (1, 1, 5), (2, NULL, NULL), (3, 2, NULL)");
    const before = rowsOf(db, "c");
    const sql = migrationBetween(schema(false), schema(true), { allowDestructive: false });
    expect(sql).toContain("alter table c (foreign keys)");
    applyLikeD1(db, sql);
    expect(rowsOf(db, "c")).toEqual(before);
    applyLikeD1(db, childFirst.replace("(1, 7)", "(4, 7)"));
    applyLikeD1(db, migrationBetween(schema(true), schema(false), { allowDestructive: false }));
    expect(rowsOf(db, "c")).toEqual([...before, { id: 4, p_id: 7, q_id: null }]);
    expect(() => applyLikeD1(db, childFirst.replace("(1, 7)", "(5, 9)").replace("(7)", "(9)"))).toThrow("FOREIGN KEY constraint failed");
  });
});

describe("INTEGER PRIMARY KEY DESC", () => {
  const things = (desc: boolean) => table("t", { id: desc ? integer().primaryKey({ desc: true }) : integer().primaryKey(), x: text() });
  const rows = (db: SqliteDatabase) => db.prepare("SELECT rowid AS r, id, x FROM t ORDER BY r").all();

  it("is kept as written: SQLite makes it a key apart from the rowid (ids are not assigned), and introspection reads it back", () => {
    const model = modelOf([things(true)]);
    expect(migrationBetween(undefined, model)).toContain("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY DESC, x TEXT);");
    const db = databaseFrom(model);
    db.exec("INSERT INTO t (x) VALUES ('a'); INSERT INTO t (id, x) VALUES (10, 'b')");
    expect(rows(db)).toEqual([
      { r: 1, id: null, x: "a" },
      { r: 2, id: 10, x: "b" },
    ]);
    const plain = databaseFrom(modelOf([things(false)]));
    plain.exec("INSERT INTO t (x) VALUES ('a')");
    expect(rows(plain)).toEqual([{ r: 1, id: 1, x: "a" }]);
    const { database: live, notes } = introspected(db);
    expect(notes).toEqual([]);
    expect(live.tables[0].primaryKey).toEqual({ columns: ["id"], autoincrement: false, desc: true });
    expect(diffDatabases(live, model)).toEqual([]);
    expect(diffDatabases(introspected(plain).database, model).map(describeChange)).toEqual(["alter table t (primary key)"]);
  });

  it("to or from INTEGER PRIMARY KEY moves the key off or onto the rowid: refused without --allow-destructive, every row kept when allowed", () => {
    expect(() => migrationBetween(modelOf([things(false)]), modelOf([things(true)]), { allowDestructive: false })).toThrow(
      "t.id as the rowid (INTEGER PRIMARY KEY → INTEGER PRIMARY KEY DESC)",
    );
    const db = databaseFrom(modelOf([things(false)]));
    db.exec("INSERT INTO t (x) VALUES ('a'), ('b')");
    applyLikeD1(db, migrationBetween(modelOf([things(false)]), modelOf([things(true)])));
    db.exec("INSERT INTO t (x) VALUES ('c')");
    expect(rows(db)).toEqual([
      { r: 1, id: 1, x: "a" },
      { r: 2, id: 2, x: "b" },
      { r: 3, id: null, x: "c" },
    ]);
  });

  it("cannot be AUTOINCREMENT, which SQLite allows only on the rowid", () => {
    expect(() => modelOf([table("t", { id: integer().autoincrement().primaryKey({ desc: true }) })])).toThrow(
      /TEST_DB\.t\.id: is AUTOINCREMENT and PRIMARY KEY DESC/,
    );
  });
});

describe("ON CONFLICT clauses", () => {
  const accounts = (conflicts: boolean) =>
    table(
      "accounts",
      {
        id: conflicts ? integer().primaryKey({ onConflict: "replace" }) : integer().primaryKey(),
        email: conflicts ? text().unique({ onConflict: "ignore" }) : text().unique(),
        plan: conflicts ? text().notNull({ onConflict: "replace" }).default("free") : text().notNull().default("free"),
        region: text(),
      },
      { unique: [conflicts ? { columns: ["region", "plan"], onConflict: "fail" } : ["region", "plan"]] },
    );
  const rows = (db: SqliteDatabase) => db.prepare("SELECT * FROM accounts ORDER BY id").all();

  it("on a PRIMARY KEY, UNIQUE or NOT NULL are written, change what SQLite does with a conflicting row, and are read back", async () => {
    const model = modelOf([accounts(true)]);
    const db = databaseFrom(model);
    db.exec("INSERT INTO accounts VALUES (1, 'a@x', 'pro', 'eu')");
    db.exec("INSERT INTO accounts VALUES (1, 'b@x', 'pro', 'us')"); // REPLACE: the row with id 1 is replaced
    db.exec("INSERT INTO accounts VALUES (2, 'b@x', 'pro', 'ap')"); // IGNORE: skipped, b@x is taken
    db.exec("INSERT INTO accounts VALUES (3, 'c@x', NULL, 'eu')"); // REPLACE on NOT NULL: the default
    expect(rows(db)).toEqual([
      { id: 1, email: "b@x", plan: "pro", region: "us" },
      { id: 3, email: "c@x", plan: "free", region: "eu" },
    ]);
    expect(() => db.exec("INSERT INTO accounts VALUES (4, 'd@x', 'free', 'eu')")).toThrow("UNIQUE constraint failed: accounts.region, accounts.plan");
    const plain = databaseFrom(modelOf([accounts(false)]));
    plain.exec("INSERT INTO accounts VALUES (1, 'a@x', 'pro', 'eu')");
    expect(() => plain.exec("INSERT INTO accounts VALUES (1, 'b@x', 'pro', 'us')")).toThrow("UNIQUE constraint failed: accounts.id");

    const { database: live, notes } = introspected(db);
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
    expect(diffDatabases(introspected(plain).database, model).map(describeChange)).toEqual([
      "alter column accounts.plan (NOT NULL ON CONFLICT none → REPLACE)",
      "alter table accounts (primary key, UNIQUE constraints)",
    ]);
    const source = (await renderSchemaFiles(live, { databaseComment: [], tablesComment: [], dslImport: "d1-schema-kit" }))
      .map((file) => file.content)
      .join("\n");
    expect(source).toContain('id: integer().primaryKey({ onConflict: "replace" })');
    expect(source).toContain('email: text().unique({ onConflict: "ignore" })');
    expect(source).toContain('plan: text().notNull({ onConflict: "replace" }).default("free")');
    expect(source).toContain('unique: [{ columns: ["region", "plan"], onConflict: "fail" }]');
  });

  it("added or removed rebuild the table with every row, and the copy fails on a conflict instead of dropping or replacing a row", () => {
    const db = databaseFrom(modelOf([accounts(false)]));
    db.exec("INSERT INTO accounts VALUES (1, 'a@x', 'pro', 'eu'), (2, NULL, 'free', NULL)");
    const before = rows(db);
    const sql = migrationBetween(modelOf([accounts(false)]), modelOf([accounts(true)]), { allowDestructive: false });
    expect(sql).toMatch(/INSERT OR ABORT INTO\s+accounts/);
    applyLikeD1(db, sql);
    expect(rows(db)).toEqual(before);
    applyLikeD1(db, migrationBetween(modelOf([accounts(true)]), modelOf([accounts(false)]), { allowDestructive: false }));
    expect(rows(db)).toEqual(before);

    // A UNIQUE ON CONFLICT IGNORE added over repeated values: the copy fails (D1 rolls the file back), no row dropped.
    const loose = table("t", { id: integer().primaryKey(), code: text() });
    const strictCodes = table("t", { id: integer().primaryKey(), code: text().unique({ onConflict: "ignore" }) });
    const repeated = databaseFrom(modelOf([loose]));
    repeated.exec("INSERT INTO t VALUES (1, 'a'), (2, 'a')");
    expect(() => applyLikeD1(repeated, migrationBetween(modelOf([loose]), modelOf([strictCodes])))).toThrow("UNIQUE constraint failed: t.code");
    expect(rowsOf(repeated, "t")).toHaveLength(2);
  });
});
