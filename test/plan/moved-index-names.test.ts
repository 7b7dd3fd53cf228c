// Index names are unique in a database, whichever table holds the index. An index name that moves to another
// table must be free before the new index is created, which for a new or rebuilt table is before the place where
// removed indexes are dropped (found while testing renames: "index idx_x already exists", and with IF NOT EXISTS
// a new index silently never created).
import { describe, expect, it } from "vitest";
import { index, integer, table, text, type TableDefinition } from "../../generator/dsl/index.js";
import { applyLikeD1, databaseFrom, foreignKeyViolations, migrationBetween, modelOf, rowsOf, shapeOf } from "../helpers/evolve.js";

const a = (indexed: boolean, unique = false) =>
  table("a", { id: integer().primaryKey(), x: text() }, { indexes: indexed ? [unique ? index("idx_x").on("x").unique() : index("idx_x").on("x")] : [] });
const b = (indexed: boolean, rebuilt: boolean) =>
  table("b", { id: integer().primaryKey(), x: rebuilt ? text().check("length(x) < 9") : text() }, { indexes: indexed ? [index("idx_x").on("x")] : [] });

const cases: Record<string, { before: TableDefinition[]; after: TableDefinition[] }> = {
  "to a new table": { before: [a(true)], after: [a(false), table("c", { id: integer().primaryKey(), x: text() }, { indexes: [index("idx_x").on("x")] })] },
  "to a rebuilt table": { before: [a(true), b(false, false)], after: [a(false), b(true, true)] },
  "to a table altered in place": { before: [a(true), b(false, false)], after: [a(false), b(true, false)] },
  "from a dropped table to a rebuilt one": { before: [a(true, true), b(false, false)], after: [b(true, true)] },
  "from a rebuilt table to a new one": {
    before: [a(true, true)],
    after: [
      table("a", { id: integer().primaryKey(), x: text().check("x <> ''") }),
      table("c", { id: integer().primaryKey(), x: text() }, { indexes: [index("idx_x").on("x")] }),
    ],
  },
};

describe("an index name that moves to another table", () => {
  for (const [name, { before, after }] of Object.entries(cases)) {
    it(name, () => {
      const from = modelOf(before);
      const to = modelOf(after);
      const db = databaseFrom(from);
      for (const t of from.tables) db.exec(`INSERT INTO ${t.name} (id, x) VALUES (1, 'one'), (2, 'two')`);
      const sql = migrationBetween(from, to);
      applyLikeD1(db, sql);
      expect(shapeOf(db)).toEqual(shapeOf(databaseFrom(to)));
      const owner = db.prepare("SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND name = 'idx_x'").get() as { tbl_name: string };
      expect(owner.tbl_name).toBe(to.tables.find((t) => t.indexes.length > 0)!.name);
      for (const t of to.tables.filter((t) => from.tables.some((old) => old.name === t.name))) expect(rowsOf(db, t.name)).toHaveLength(2);
      expect(foreignKeyViolations(db)).toEqual([]);
    });
  }
});
