// FTS5 virtual tables in the schema language: created after the tables (an external-content table's index built from
// its content table), dropped or replaced with their rows counted as lost unless their content is another table's, and
// an external-content index built again when its content table is rebuilt. Proved on real SQLite with rows.
import { describe, expect, it } from "vitest";
import { integer, table, text, trigger, virtualTable, type ColumnBuilder } from "../../generator/dsl/index.js";
import type { TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "../../generator/dsl/objects.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import { SchemaError, SchemaErrors } from "../../generator/model/errors.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { applyLikeD1, History, modelOf, openMemoryDatabase } from "../helpers/evolve.js";

type Objects = (ViewDefinition | TriggerDefinition | VirtualTableDefinition)[];
const model = (tables: TableDefinition[], objects: Objects) => modelOf(tables, {}, { objects });
const docs = (columns: Record<string, ColumnBuilder> = {}) => table("docs", { id: integer().primaryKey(), title: text().notNull(), body: text(), ...columns });
const external = virtualTable("docs_fts", "fts5(title, body, content='docs', content_rowid='id')");
const sync = [
  trigger("docs_fts_insert", "AFTER INSERT ON docs BEGIN INSERT INTO docs_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END"),
  trigger(
    "docs_fts_delete",
    "AFTER DELETE ON docs BEGIN INSERT INTO docs_fts (docs_fts, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body); END",
  ),
];
const notes = virtualTable("notes_fts", "fts5(text)");

const matches = (db: ReturnType<typeof openMemoryDatabase>, term: string) =>
  (db.prepare("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid").all(term) as { rowid: number }[]).map((row) => row.rowid);

function errorsOf(objects: Objects): string[] {
  try {
    model([docs()], objects);
    return [];
  } catch (error) {
    if (error instanceof SchemaErrors) return error.errors.map((e) => e.message);
    if (error instanceof SchemaError) return [error.message];
    throw error;
  }
}

describe("FTS5 virtual tables", () => {
  it("are held as written; another module or a shadow table's name taken is refused", () => {
    expect(model([docs()], [external]).virtualTables).toEqual([{ name: "docs_fts", using: "fts5(title, body, content='docs', content_rowid='id')" }]);
    expect(errorsOf([virtualTable("places", "rtree(id, x0, x1)")])).toEqual([expect.stringContaining('has virtual table places using "rtree"')]);
    expect(errorsOf([virtualTable("docs_fts", "fts5(title)")]).length).toBe(0);
    const clash = () => modelOf([docs(), table("docs_fts_data", { id: integer().primaryKey() })], {}, { objects: [virtualTable("docs_fts", "fts5(title)")] });
    expect(clash).toThrow(/has virtual table docs_fts, whose shadow table docs_fts_data is the name of table docs_fts_data/);
  });

  it("are created after the tables and before the triggers that write them; an index over rows is built from its content table", () => {
    const history = new History();
    history.step(model([docs()], []));
    const db = openMemoryDatabase();
    applyLikeD1(db, history.migrations[0].sql);
    db.exec("INSERT INTO docs (id, title, body) VALUES (1, 'alpha', 'first'), (2, 'beta', 'second')");

    const added = history.step(model([docs()], [external, ...sync]));
    const sql = added.migration!.sql;
    expect(added.migration!.fileName).toBe("0002_create_3_views_and_triggers.sql");
    expect(sql.indexOf("CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, body, content='docs', content_rowid='id');")).toBeLessThan(
      sql.search(/INSERT INTO\s+docs_fts \(docs_fts\)\s+VALUES\s+\('rebuild'\);/),
    );
    expect(sql.search(/INSERT INTO\s+docs_fts \(docs_fts\)\s+VALUES\s+\('rebuild'\);/)).toBeLessThan(
      sql.indexOf("CREATE TRIGGER IF NOT EXISTS docs_fts_insert"),
    );
    applyLikeD1(db, sql);
    expect(matches(db, "alpha")).toEqual([1]);
    db.exec("INSERT INTO docs (id, title, body) VALUES (3, 'alpha two', 'third')");
    expect(matches(db, "alpha")).toEqual([1, 3]);

    const fresh = renderFreshSchema(history.last!.database, "0002");
    expect(fresh.indexOf("CREATE VIRTUAL TABLE")).toBeGreaterThan(fresh.indexOf("CREATE TABLE IF NOT EXISTS docs"));
    expect(fresh.indexOf("CREATE VIRTUAL TABLE")).toBeLessThan(fresh.indexOf("CREATE TRIGGER"));
    expect(fresh).not.toContain("'rebuild'");
    expect(history.step(model([docs()], [external, ...sync])).migration).toBeUndefined();
  });

  it("keep an external-content index whole through a rebuild of its content table: triggers set aside, index built again", () => {
    const history = new History();
    history.step(model([docs()], [external, ...sync]));
    const db = openMemoryDatabase();
    applyLikeD1(db, history.migrations[0].sql);
    db.exec("INSERT INTO docs (id, title, body) VALUES (1, 'alpha', NULL), (2, 'beta', 'second')");
    const rebuilt = history.step(model([docs({ body: text().notNull().default("") })], [external, ...sync]));
    expect(rebuilt.migration!.plan.rebuild?.rebuilt).toEqual(["docs"]);
    expect(rebuilt.migration!.plan.losses).toEqual([]);
    applyLikeD1(db, rebuilt.migration!.sql);
    expect(matches(db, "alpha")).toEqual([1]);
    expect(matches(db, "second")).toEqual([2]);
    expect(db.prepare("SELECT count(*) AS n FROM docs_fts").get()).toEqual({ n: 2 });
    db.exec("DELETE FROM docs WHERE id = 2");
    expect(matches(db, "beta")).toEqual([]);
  });

  it("lose their rows when dropped or changed, unless their content is another table's (then the index is built again)", () => {
    const history = new History();
    history.step(model([docs()], [notes, external]));
    const db = openMemoryDatabase();
    applyLikeD1(db, history.migrations[0].sql);
    db.exec("INSERT INTO notes_fts (text) VALUES ('kept only here')");
    db.exec("INSERT INTO docs (id, title, body) VALUES (1, 'alpha', 'first')");

    const changedNotes = [virtualTable("notes_fts", "fts5(text, tags)"), external];
    expect(() => history.step(model([docs()], changedNotes), { allowDestructive: false })).toThrow(
      /the next migration would destroy data:\n {4}- table notes_fts and all its rows/,
    );
    const changedIndex = history.step(model([docs()], [notes, virtualTable("docs_fts", "fts5(title, content='docs', content_rowid='id')")]), {
      allowDestructive: false,
    });
    expect(changedIndex.changes.map((change) => change.kind)).toEqual(["replaceVirtualTable"]);
    const sql = changedIndex.migration!.sql;
    expect(sql.indexOf("DROP TABLE docs_fts;")).toBeLessThan(sql.indexOf("CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, content="));
    applyLikeD1(db, sql);
    expect(matches(db, "alpha")).toEqual([1]);
    expect(db.prepare("SELECT text FROM notes_fts").all()).toEqual([{ text: "kept only here" }]);
  });
});
