// Replaying a table-local migrations folder in chunks (generator/sqlite/chunked-replay.ts) gives exactly the shape
// one database gives, or nothing: random folders of CREATE TABLE / CREATE INDEX / ADD COLUMN / DROP INDEX / DROP
// TABLE across chunk boundaries (fast-check), name clashes and every other kind of statement left to one database,
// and a failing file still named as one database names it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../generator/model/canonical-json.js";
import { shapesOfTableLocalFolder } from "../../generator/sqlite/chunked-replay.js";
import { openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { replayMigrations, type MigrationFile } from "../../generator/sqlite/replay.js";
import { inspectTables } from "../../generator/sqlite/shape.js";
import { replayAgainstSquash, tableShapesAfterMigrations } from "../../generator/sqlite/prove.js";

/** The shape one database gives, or the message of the error it stops at. */
function oneDatabase(files: readonly MigrationFile[]): string {
  const db = openMemoryDatabase();
  try {
    replayMigrations(db, files);
    return canonicalJson(inspectTables(db));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  } finally {
    db.close();
  }
}

/**
 * One random statement over pools of names small enough that drops, re-creations and clashes happen, and large
 * enough that most folders stay valid: tables t0..t99 exist from the first file, t100..t139 are new.
 */
const existing = fc.oneof({ arbitrary: fc.nat(99), weight: 9 }, { arbitrary: fc.integer({ min: 100, max: 139 }), weight: 1 });
const statement = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      table: fc.integer({ min: 98, max: 139 }),
      ifNotExists: fc.boolean(),
      parent: fc.option(fc.nat(139)),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("index" as const), table: existing, name: fc.nat(400), unique: fc.boolean(), column: fc.constantFrom("id", "a") }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("add" as const), table: existing, column: fc.nat(40), notNull: fc.boolean() }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant("dropIndex" as const),
      name: fc.oneof(
        fc.nat(99).map((n) => `i${n}_a`),
        fc.nat(400).map((n) => `i${n}`),
      ),
      ifExists: fc.constant(true),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("dropTable" as const), table: existing, ifExists: fc.boolean() }), weight: 1 },
);

type Statement = typeof statement extends fc.Arbitrary<infer S> ? S : never;

function sqlOf(s: Statement): string {
  switch (s.kind) {
    case "create":
      return `CREATE TABLE ${s.ifNotExists ? "IF NOT EXISTS " : ""}"T${s.table}" (id TEXT PRIMARY KEY${s.parent === null ? "" : `, p TEXT REFERENCES t${s.parent}(id) ON DELETE CASCADE`})`;
    case "index":
      return `CREATE ${s.unique ? "UNIQUE " : ""}INDEX i${s.name} ON t${s.table} (${s.column})`;
    case "add":
      return `ALTER TABLE t${s.table} ADD COLUMN c${s.column} TEXT${s.notNull ? " NOT NULL DEFAULT ''" : ""}`;
    case "dropIndex":
      return `DROP INDEX ${s.ifExists ? "IF EXISTS " : ""}${s.name}`;
    case "dropTable":
      return `DROP TABLE ${s.ifExists ? "IF EXISTS " : ""}t${s.table}`;
  }
}

/** 100 tables made first (so that chunks hold many), then random files over them. */
const folder = fc.array(fc.array(statement, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((files): MigrationFile[] => [
  {
    name: "0001_tables.sql",
    sql: Array.from({ length: 100 }, (_, n) => `CREATE TABLE t${n} (id TEXT PRIMARY KEY, a TEXT);\nCREATE INDEX i${n}_a ON t${n} (a);`).join("\n"),
  },
  ...files.map((statements, n) => ({ name: `000${n + 2}_random.sql`, sql: `PRAGMA defer_foreign_keys = on;\n${statements.map(sqlOf).join(";\n")};` })),
]);

describe("chunked replay of a table-local folder", () => {
  it("gives exactly the shape one database gives, whenever it answers (random folders)", () => {
    let answered = 0;
    fc.assert(
      fc.property(folder, (files) => {
        const chunked = shapesOfTableLocalFolder(files);
        if (chunked === undefined) return;
        answered++;
        expect(canonicalJson(chunked)).toBe(oneDatabase(files));
      }),
      { numRuns: 300, seed: 20261205 },
    );
    // Most random folders are table-local and replay without error: the property is not vacuous.
    expect(answered).toBeGreaterThan(100);
  });

  it("answers for 250 tables grown over several files, across chunk boundaries", () => {
    const files: MigrationFile[] = [
      {
        name: "0001_init.sql",
        sql: Array.from({ length: 250 }, (_, n) => `CREATE TABLE t${n} (id TEXT PRIMARY KEY${n ? `, p TEXT REFERENCES t${n - 1}(id)` : ""});`).join("\n"),
      },
      {
        name: "0002_columns.sql",
        sql: Array.from({ length: 250 }, (_, n) => `ALTER TABLE t${n} ADD COLUMN note TEXT;\nCREATE INDEX idx_${n} ON t${n} (note);`).join("\n"),
      },
      { name: "0003_drop.sql", sql: "DROP INDEX idx_7;\nDROP TABLE t249;\nCREATE TABLE t249 (id INTEGER PRIMARY KEY);" },
    ];
    const chunked = shapesOfTableLocalFolder(files);
    expect(chunked).toHaveLength(250);
    expect(canonicalJson(chunked)).toBe(oneDatabase(files));
    expect(canonicalJson(tableShapesAfterMigrations(files))).toBe(oneDatabase(files));
  });

  it("leaves anything else to one database", () => {
    const base = "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE b (id INTEGER PRIMARY KEY);";
    const leftAlone = [
      "ALTER TABLE a RENAME TO c;",
      "ALTER TABLE a RENAME COLUMN x TO y;",
      "ALTER TABLE a DROP COLUMN x;",
      "INSERT INTO a (id) VALUES (1);",
      "CREATE VIEW v AS SELECT * FROM a;",
      "CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; END;",
      "CREATE INDEX b ON a (x);", // an index taking a table's name fails in one database
      "CREATE TABLE IF NOT EXISTS b (id TEXT);",
      "DROP INDEX no_such_index;",
      "DROP TABLE no_such_table;",
      "PRAGMA user_version = 3;",
      "CREATE TABLE main.c (id INTEGER);",
      "CREATE TEMP TABLE c (id INTEGER);",
    ];
    for (const sql of leftAlone) {
      expect(shapesOfTableLocalFolder([{ name: "0001.sql", sql: `${base}\n${sql}` }]), sql).toBeUndefined();
    }
    expect(shapesOfTableLocalFolder([{ name: "0001.sql", sql: `${base}\nDROP INDEX IF EXISTS gone; DROP TABLE IF EXISTS gone;` }])).toHaveLength(2);
  });

  it("lets one database name the first failing file, as before", () => {
    const files: MigrationFile[] = [
      { name: "0001_init.sql", sql: Array.from({ length: 150 }, (_, n) => `CREATE TABLE t${n} (id TEXT PRIMARY KEY);`).join("\n") },
      // t140 sits in the second chunk, t5 in the first: chunk by chunk, 0003 would fail first.
      { name: "0002_bad.sql", sql: "CREATE INDEX bad ON t140 (no_such_column);" },
      { name: "0003_bad.sql", sql: "ALTER TABLE t5 ADD COLUMN id TEXT;" },
    ];
    expect(shapesOfTableLocalFolder(files)).toBeUndefined();
    expect(() => tableShapesAfterMigrations(files)).toThrow(/^0002_bad\.sql fails on SQLite: no such column: no_such_column/);
    expect(() => replayAgainstSquash(files, "")).toThrow(/^0002_bad\.sql fails on SQLite/);
  });
});
