// inspectTables reads every table's PRAGMAs with one joined query a PRAGMA (generator/sqlite/shape.ts). Every
// proof compares these shapes, so a slip here would hide a difference on both sides at once: the shapes are held
// to a plain reading, one PRAGMA query a table as SQLite documents them, on ClearLift's four databases and on
// tables with everything a shape records (composite and partial indexes, expression indexes, WITHOUT ROWID, STRICT,
// foreign keys of several columns, generated columns, backup tables left out).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { backupPrefix, isReservedTableName } from "../../generator/model/identifiers.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "../../generator/sqlite/apply.js";
import { inspectTables } from "../../generator/sqlite/shape.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** The plain reading: one query a PRAGMA a table, in the PRAGMAs' own order. */
function plainShapes(db: SqliteDatabase): unknown[] {
  const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
  return tables
    .filter((table) => !isReservedTableName(table.name) && !table.name.startsWith(backupPrefix))
    .map(({ name, sql }) => {
      const pragma = (query: string) => db.prepare(`SELECT * FROM pragma_${query}(?)`).all(name) as Record<string, unknown>[];
      const tail = sql.slice(sql.lastIndexOf(")")).toUpperCase();
      const indexSql = (index: string) =>
        (db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(index) as { sql: string | null } | undefined)?.sql ?? "";
      const where = (text: string) => {
        const at = text.search(/\bWHERE\b/i);
        return at === -1
          ? ""
          : text
              .slice(at + 5)
              .replace(/\s+/g, " ")
              .trim();
      };
      return {
        name,
        sql: { withoutRowid: tail.includes("WITHOUT ROWID"), strict: tail.includes("STRICT") },
        columns: pragma("table_xinfo").map(({ cid, name, type, notnull, dflt_value, pk, hidden }) => ({ cid, name, type, notnull, dflt_value, pk, hidden })),
        foreignKeys: pragma("foreign_key_list").map(({ id, seq, table, from, to, on_update, on_delete, match }) => ({
          id,
          seq,
          table,
          from,
          to,
          on_update,
          on_delete,
          match,
        })),
        indexes: pragma("index_list")
          .map((index) => ({
            name: String(index.name).startsWith("sqlite_autoindex_") ? `(auto) ${String(index.origin)}` : index.name,
            unique: index.unique,
            origin: index.origin,
            partial: index.partial,
            where: index.partial ? where(indexSql(String(index.name))) : null,
            columns: db.prepare("SELECT seqno, cid, name, desc, coll, key FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno").all(index.name),
          }))
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      };
    });
}

describe("inspectTables", () => {
  it("reads what one PRAGMA query a table reads, on ClearLift's four databases", async () => {
    for (const folder of ["db", "ai_db", "analytics_db", "shard"]) {
      const db = openMemoryDatabase();
      applyLikeD1(db, await readFile(path.join(repositoryRoot, "migrations/fresh", folder, "0001_complete_schema.sql"), "utf8"));
      const shapes = inspectTables(db);
      expect(shapes.length).toBeGreaterThanOrEqual(10);
      expect(JSON.parse(JSON.stringify(shapes))).toEqual(JSON.parse(JSON.stringify(plainShapes(db))));
    }
  });

  it("reads only the tables asked for, each exactly as a full read gives it", async () => {
    const db = openMemoryDatabase();
    applyLikeD1(db, await readFile(path.join(repositoryRoot, "migrations/fresh/db/0001_complete_schema.sql"), "utf8"));
    const all = inspectTables(db);
    const only = new Set(["organizations", "users", "no_such_table", all[all.length - 1].name]);
    expect(inspectTables(db, only)).toEqual(all.filter((shape) => only.has(shape.name)));
    expect(inspectTables(db, new Set())).toEqual([]);
  });

  it("reads what one PRAGMA query a table reads, for every kind of index, key and option", () => {
    const db = openMemoryDatabase();
    db.exec(`
      CREATE TABLE parent (a TEXT, b INTEGER, c TEXT COLLATE NOCASE, PRIMARY KEY (a, b)) WITHOUT ROWID;
      CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT, b INTEGER, note TEXT UNIQUE, total REAL AS (b * 2) STORED,
        lower_note TEXT GENERATED ALWAYS AS (lower(note)) VIRTUAL,
        FOREIGN KEY (a, b) REFERENCES parent (a, b) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY (note) REFERENCES other (x)) STRICT;
      CREATE INDEX child_partial ON child (b DESC, a COLLATE NOCASE)
        WHERE   note IS NOT NULL
          AND b > 0;
      CREATE UNIQUE INDEX child_expr ON child (lower(note), b);
      CREATE TABLE ${backupPrefix}child AS SELECT * FROM child;
      CREATE TABLE z_empty_keys (x);
    `);
    const shapes = inspectTables(db);
    expect(shapes.map((shape) => shape.name)).toEqual(["child", "parent", "z_empty_keys"]);
    expect(JSON.parse(JSON.stringify(shapes))).toEqual(JSON.parse(JSON.stringify(plainShapes(db))));
    expect(shapes[0].foreignKeys).toHaveLength(3);
  });
});
