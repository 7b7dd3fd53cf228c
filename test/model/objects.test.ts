// Reading the CREATE statements SQLite keeps for views, triggers and virtual tables back into the model's form, and
// the order views are created in.
import { describe, expect, it } from "vitest";
import { externalContentTable, parseCreateObject, triggerTableOf, viewsInCreationOrder } from "../../generator/model/objects.js";
import { openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { readObjects } from "../../generator/sqlite/objects.js";

describe("parseCreateObject", () => {
  it("reads a view's name, column list and SELECT however they are written", () => {
    expect(parseCreateObject("CREATE VIEW v AS SELECT 1")).toEqual({ type: "view", view: { name: "v", select: "SELECT 1" } });
    expect(parseCreateObject('CREATE TEMP VIEW IF NOT EXISTS main."my view" ( "a b", c ) AS\n  SELECT 1, 2;')).toEqual({
      type: "view",
      view: { name: "my view", columns: ["a b", "c"], select: "SELECT 1, 2" },
    });
    expect(parseCreateObject("CREATE VIEW v")).toBeUndefined();
    expect(parseCreateObject("CREATE TABLE t (a)")).toBeUndefined();
  });

  it("reads a trigger's definition after its name, and the table it is on", () => {
    expect(parseCreateObject("CREATE TRIGGER [t 1] BEFORE DELETE ON main.users WHEN OLD.id > 0 BEGIN SELECT RAISE(ABORT, 'no'); END;")).toEqual({
      type: "trigger",
      trigger: { name: "t 1", table: "users", definition: "BEFORE DELETE ON main.users WHEN OLD.id > 0 BEGIN SELECT RAISE(ABORT, 'no'); END" },
    });
    expect(triggerTableOf('INSTEAD OF UPDATE OF a, b ON "v w" BEGIN SELECT 1; END')).toBe("v w");
    // The first ON before BEGIN: one inside the body (a join) is not the trigger's table.
    expect(triggerTableOf("AFTER INSERT ON a BEGIN SELECT 1 FROM b JOIN c ON b.x = c.x; END")).toBe("a");
    expect(triggerTableOf("AFTER INSERT BEGIN SELECT 1 FROM b JOIN c ON b.x = c.x; END")).toBeUndefined();
  });

  it("reads a virtual table's module and arguments, and the content table of an external-content FTS5 table", () => {
    const read = parseCreateObject("CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, content='docs', content_rowid='id')");
    expect(read).toEqual({ type: "virtualTable", virtualTable: { name: "docs_fts", using: "fts5(title, content='docs', content_rowid='id')" } });
    expect(externalContentTable({ name: "x", using: 'fts5(a, content = "docs")' })).toBe("docs");
    expect(externalContentTable({ name: "x", using: "fts5(a, content='')" })).toBeUndefined();
    expect(externalContentTable({ name: "x", using: "fts5(a)" })).toBeUndefined();
  });

  it("gives back what SQLite keeps, for each kind", () => {
    const db = openMemoryDatabase();
    db.exec(`
      CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
      CREATE VIEW   IF NOT EXISTS emails AS SELECT email FROM users /* a comment */;
      CREATE TRIGGER IF NOT EXISTS touch AFTER UPDATE ON users
      BEGIN
        SELECT 1;
      END;
      CREATE VIRTUAL TABLE users_fts USING fts5(email, content='users', content_rowid='id');
    `);
    expect(readObjects(db)).toEqual({
      views: [{ name: "emails", select: "SELECT email FROM users /* a comment */" }],
      triggers: [{ name: "touch", table: "users", definition: "AFTER UPDATE ON users\n      BEGIN\n        SELECT 1;\n      END" }],
      virtualTables: [{ name: "users_fts", using: "fts5(email, content='users', content_rowid='id')" }],
    });
  });
});

describe("viewsInCreationOrder", () => {
  it("creates a view after the views it reads, ties by name, and breaks a cycle where the walk in name order meets it", () => {
    const view = (name: string, select: string) => ({ name, select });
    const order = (views: { name: string; select: string }[]) => viewsInCreationOrder(views).map((v) => v.name);
    expect(order([view("a", "SELECT * FROM c"), view("b", "SELECT 1"), view("c", "SELECT * FROM b")])).toEqual(["b", "c", "a"]);
    expect(order([view("x", "SELECT * FROM y"), view("y", "SELECT * FROM x")])).toEqual(["y", "x"]);
  });
});
