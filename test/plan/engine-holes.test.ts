// Holes the planner had (issue 12), each proved closed on real SQLite with rows in the tables, applied the way D1
// applies a file and compared through PRAGMAs with a database built from the target schema:
//   - a column that stops or starts being generated: computed values carried, stored values replaced only with
//     --allow-destructive;
//   - a foreign key to a key that only a unique index added in the same migration makes unique (property test,
//     seed 987654, case 4,034): the index must exist before the rebuild writes rows;
//   - integer defaults beyond 2^53: every digit kept, from the DSL (bigint) to SQLite and back through pull.
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPull } from "../../generator/commands/pull.js";
import { database, expr, index, integer, table, text, uniqueIndex, type ColumnBuilder, type TableDefinition } from "../../generator/dsl/index.js";
import { projectPaths } from "../../generator/io/paths.js";
import { runLintRules } from "../../generator/lint/lint.js";
import { SchemaError, SchemaErrors } from "../../generator/model/errors.js";
import { renderRuleFinding } from "../../generator/model/finding.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { introspectDatabase } from "../../generator/sqlite/introspect.js";
import { renderTypes } from "../../generator/types/render-types.js";
import {
  applyLikeD1,
  databaseAfter,
  databaseFrom,
  foreignKeyViolations,
  migrationBetween,
  modelOf,
  openMemoryDatabase,
  rowsOf,
  shapeOf,
} from "../helpers/evolve.js";

/** Applies the migration before → after to a database holding `rows`, checks shape and foreign keys, returns both. */
function evolve(
  before: TableDefinition[],
  after: TableDefinition[],
  rows: string,
  options: { allowDestructive?: boolean } = {},
): { db: SqliteDatabase; sql: string } {
  const from = modelOf(before);
  const target = modelOf(after);
  const db = databaseFrom(from);
  db.exec(rows);
  const sql = migrationBetween(from, target, options);
  applyLikeD1(db, sql);
  expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, target)));
  expect(foreignKeyViolations(db)).toEqual([]);
  expect(db.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
  return { db, sql };
}

/** The one SchemaError that `build` throws (alone or as a batch of one); fails when it throws nothing or else. */
function schemaErrorOf(build: () => unknown): SchemaError {
  try {
    build();
  } catch (error) {
    const errors = error instanceof SchemaErrors ? error.errors : [error];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SchemaError);
    return errors[0] as SchemaError;
  }
  throw new Error("expected a SchemaError, got none");
}

describe("generated ↔ plain columns", () => {
  const people = (genName: ColumnBuilder) => table("people", { id: integer().primaryKey(), name: text(), gen_name: genName });
  const rows = "INSERT INTO people (id, name) VALUES (1, 'ann'), (2, NULL)";
  const genNames = (db: SqliteDatabase) => db.prepare("SELECT gen_name FROM people ORDER BY id").pluck().all();

  it.each([
    ["STORED", true],
    ["VIRTUAL", false],
  ])("a %s generated column that becomes plain keeps the values its expression gave", (_kind, stored) => {
    const { db, sql } = evolve([people(text().generatedAs("name || 'x'", { stored }))], [people(text())], rows);
    expect(sql).toMatch(/INSERT INTO\s+people \(id, name, gen_name\)/);
    expect(rowsOf(db, "people")).toEqual([
      { id: 1, name: "ann", gen_name: "annx" },
      { id: 2, name: null, gen_name: null },
    ]);
    // Plain now: it no longer follows name.
    db.exec("UPDATE people SET name = 'bob' WHERE id = 1");
    expect(db.prepare("SELECT gen_name FROM people WHERE id = 1").pluck().get()).toBe("annx");
  });

  it("fills the NULLs the expression gave from the default when the plain column is NOT NULL", () => {
    const { db, sql } = evolve([people(text().generatedAs("name || 'x'", { stored: true }))], [people(text().notNull().default("?"))], rows);
    expect(sql).toMatch(/IFNULL\(gen_name, '\?'\)/);
    expect(genNames(db)).toEqual(["annx", "?"]);
  });

  it("makes a plain NOT NULL column without a default that fails as a whole, naming the column, where the expression gave NULL", () => {
    // Issue 16: no refusal; the copy carries what the expression computed, and a NULL among it fails the file (D1
    // rolls it back), so nothing is lost either way.
    const from = modelOf([people(text().generatedAs("name || 'x'"))]);
    const sql = migrationBetween(from, modelOf([people(text().notNull())]));
    const failing = databaseFrom(from);
    failing.exec(rows);
    expect(() => applyLikeD1(failing, sql)).toThrow("NOT NULL constraint failed: people.gen_name");
    expect(rowsOf(failing, "people")).toEqual([
      { id: 1, name: "ann", gen_name: "annx" },
      { id: 2, name: null, gen_name: null },
    ]);
    const passing = databaseFrom(from);
    passing.exec("INSERT INTO people (id, name) VALUES (1, 'ann')");
    applyLikeD1(passing, sql);
    expect(genNames(passing)).toEqual(["annx"]);
  });

  it("copies a NOT NULL generated column into a plain NOT NULL one without a default", () => {
    const before = people(text().notNull().generatedAs("coalesce(name, '-')"));
    const { db } = evolve([before], [people(text().notNull())], rows);
    expect(genNames(db)).toEqual(["ann", "-"]);
  });

  it("lists a plain column that becomes generated as destructive, and with --allow-destructive computes every value", () => {
    const before = [people(text())];
    const after = [people(text().generatedAs("upper(name)", { stored: true }))];
    const error = schemaErrorOf(() => migrationBetween(modelOf(before), modelOf(after), { allowDestructive: false }));
    expect(error.problem).toMatch(/would destroy data:\n {4}- values of people\.gen_name \(replaced by its generated expression\)$/);
    const { db } = evolve(before, after, "INSERT INTO people VALUES (1, 'ann', 'kept?'), (2, NULL, 'lost')", { allowDestructive: true });
    expect(rowsOf(db, "people")).toEqual([
      { id: 1, name: "ann", gen_name: "ANN" },
      { id: 2, name: null, gen_name: null },
    ]);
  });

  it("recomputes a generated column whose expression or storage changes, without calling it destructive", () => {
    const { db } = evolve([people(text().generatedAs("name || 'x'"))], [people(text().generatedAs("name || 'y'", { stored: true }))], rows, {
      allowDestructive: false,
    });
    expect(genNames(db)).toEqual(["anny", null]);
  });

  it("adds and drops a VIRTUAL generated column in place, drops a STORED one in place, and rebuilds to add a STORED one", () => {
    const plain = people(text());
    const withVirtual = table("people", { id: integer().primaryKey(), name: text(), gen_name: text(), upper_name: text().generatedAs("upper(name)") });
    const withStored = table("people", {
      id: integer().primaryKey(),
      name: text(),
      gen_name: text(),
      upper_name: text().generatedAs("upper(name)", { stored: true }),
    });
    const added = evolve([plain], [withVirtual], rows);
    expect(added.sql).toMatch(/ALTER TABLE people\s+ADD COLUMN upper_name TEXT GENERATED ALWAYS AS \(upper\(name\)\) VIRTUAL;/);
    expect(added.sql).not.toMatch(/Rebuild/);
    expect(added.db.prepare("SELECT upper_name FROM people ORDER BY id").pluck().all()).toEqual(["ANN", null]);
    for (const before of [withVirtual, withStored]) {
      const dropped = evolve([before], [plain], rows);
      expect(dropped.sql).toMatch(/ALTER TABLE people\s+DROP COLUMN upper_name;/);
      expect(dropped.sql).not.toMatch(/Rebuild/);
    }
    const stored = evolve([plain], [withStored], rows);
    expect(stored.sql).toMatch(/add column upper_name: it is a STORED generated column/);
    expect(stored.db.prepare("SELECT upper_name FROM people ORDER BY id").pluck().all()).toEqual(["ANN", null]);
  });
});

describe("a foreign key to a key that a unique index added in the same migration makes unique", () => {
  const parent = (indexes: ReturnType<typeof index>[] = []) => table("p", { id: integer().primaryKey(), code: text() }, { indexes });
  const child = (references: boolean) => table("c", { id: integer().primaryKey(), p_code: references ? text().references("p", "code") : text() });
  const rows = "INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (1, 'a'), (2, NULL), (3, 'b')";
  const keptRows = [
    { id: 1, p_code: "a" },
    { id: 2, p_code: null },
    { id: 3, p_code: "b" },
  ];

  it("creates the index before the rebuild copies rows into the child (F2: was 'foreign key mismatch')", () => {
    const { db, sql } = evolve([parent(), child(false)], [parent([uniqueIndex("p_code_uq").on("code")]), child(true)], rows);
    expect(sql.indexOf("CREATE UNIQUE INDEX IF NOT EXISTS p_code_uq")).toBeLessThan(sql.indexOf("-- Rebuild c"));
    expect(rowsOf(db, "c")).toEqual(keptRows);
    expect(rowsOf(db, "p")).toEqual([
      { id: 1, code: "a" },
      { id: 2, code: "b" },
    ]);
    expect(() => db.exec("INSERT INTO c VALUES (4, 'zz')")).toThrow(/FOREIGN KEY constraint failed/);
  });

  it("keeps the case the property test minimized (seed 987654): a self-referencing table rebuilt with a new column", () => {
    const t2 = (evolved: boolean) =>
      table("t2", {
        c4: text().unique(),
        c7: evolved ? text().references("t2", "c4", { onDelete: "cascade" }) : text(),
        ...(evolved ? { c63: text().references("t36", "c38", { onDelete: "cascade" }) } : {}),
      });
    const t36 = (indexes: ReturnType<typeof index>[]) => table("t36", { c38: text() }, { indexes });
    const { db } = evolve(
      [t2(false), t36([])],
      [t2(true), t36([index("i61").on("c38").unique()])],
      "INSERT INTO t2 VALUES ('a', NULL), ('b', 'a'); INSERT INTO t36 VALUES ('x'), (NULL)",
    );
    expect(rowsOf(db, "t2")).toEqual([
      { c4: "a", c7: null, c63: null },
      { c4: "b", c7: "a", c63: null },
    ]);
    expect(db.prepare("SELECT rowid, c38 FROM t36 ORDER BY rowid").all()).toEqual([
      { rowid: 1, c38: "x" },
      { rowid: 2, c38: null },
    ]);
  });

  it("replaces a same-named index that no foreign key can use (here: not unique) before the rebuild", () => {
    const { db, sql } = evolve([parent([index("p_code_uq").on("code")]), child(false)], [parent([uniqueIndex("p_code_uq").on("code")]), child(true)], rows);
    expect(sql.indexOf("DROP INDEX p_code_uq")).toBeLessThan(sql.indexOf("-- Rebuild c"));
    expect(rowsOf(db, "c")).toEqual(keptRows);
  });

  it("adds the parent column the index names before the rebuild too", () => {
    const { db } = evolve(
      [table("p", { id: integer().primaryKey() }), child(false)],
      [parent([uniqueIndex("p_code_uq").on("code")]), child(true)],
      "INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1, NULL), (2, NULL)",
    );
    expect(rowsOf(db, "c")).toEqual([
      { id: 1, p_code: null },
      { id: 2, p_code: null },
    ]);
    expect(rowsOf(db, "p")).toEqual([
      { id: 1, code: null },
      { id: 2, code: null },
    ]);
  });

  it("creates it before a rebuild that empties and refills the parent, which a new table already references", () => {
    const rebuilt = (notNull: boolean) => table("r", { id: integer().primaryKey(), v: notNull ? text().notNull().default("x") : text() });
    const carried = (indexes: ReturnType<typeof index>[]) =>
      table("p", { id: integer().primaryKey(), code: text(), r_id: integer().references("r") }, { indexes });
    const created = table("n", { id: integer().primaryKey(), p_code: text().references("p", "code") });
    const { db } = evolve(
      [rebuilt(false), carried([])],
      [rebuilt(true), carried([uniqueIndex("p_code_uq").on("code")]), created],
      "INSERT INTO r VALUES (1, NULL); INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 1)",
    );
    expect(rowsOf(db, "p")).toEqual([
      { id: 1, code: "a", r_id: 1 },
      { id: 2, code: "b", r_id: 1 },
    ]);
    expect(rowsOf(db, "r")).toEqual([{ id: 1, v: "x" }]);
  });

  it("keeps an old unique index a removed foreign key points at until after the rebuild", () => {
    const before = [parent([uniqueIndex("p_code_uq").on("code")]), child(true)];
    const after = [parent([uniqueIndex("p_code_uq").on("code", "id")]), child(false)];
    const { db, sql } = evolve(before, after, rows);
    expect(sql.indexOf("DROP INDEX p_code_uq")).toBeGreaterThan(sql.indexOf("-- Rebuild c"));
    expect(rowsOf(db, "c")).toEqual(keptRows);
  });

  it("replaces a same-named unique index that no foreign key points at before the rebuild that needs the new one (default seed, 10,000 cases)", () => {
    const composite = table(
      "c",
      { id: integer().primaryKey(), p_id: integer(), p_code: text() },
      { foreignKeys: [{ columns: ["p_id", "p_code"], references: { table: "p", columns: ["id", "code"] }, onDelete: "cascade" }] },
    );
    const { db, sql } = evolve(
      [parent([uniqueIndex("p_code_uq").on("code")]), child(false)],
      [parent([uniqueIndex("p_code_uq").on("id", "code")]), composite],
      "INSERT INTO p VALUES (1, 'a'), (2, 'b'); INSERT INTO c VALUES (1, 'a'), (2, NULL)",
    );
    expect(sql.indexOf("DROP INDEX p_code_uq")).toBeLessThan(sql.indexOf("-- Rebuild c"));
    expect(sql.indexOf("CREATE UNIQUE INDEX IF NOT EXISTS p_code_uq")).toBeLessThan(sql.indexOf("-- Rebuild c"));
    expect(rowsOf(db, "c")).toEqual([
      { id: 1, p_id: null, p_code: "a" },
      { id: 2, p_id: null, p_code: null },
    ]);
  });

  it("leaves partial and expression unique indexes, which no foreign key can use, where they were: last", () => {
    const withIndexes = [
      parent([uniqueIndex("p_code_live").on("code").where("id > 0"), uniqueIndex("p_code_lower").on(expr("lower(code)"))]),
      table("c", { id: integer().primaryKey(), p_code: text().notNull().default("a") }),
    ];
    const { db, sql } = evolve([parent(), child(false)], withIndexes, rows.replace("(2, NULL)", "(2, 'a')"));
    expect(sql.indexOf("CREATE UNIQUE INDEX IF NOT EXISTS p_code_live")).toBeGreaterThan(sql.indexOf("-- Rebuild c"));
    expect(sql.indexOf("CREATE UNIQUE INDEX IF NOT EXISTS p_code_lower")).toBeGreaterThan(sql.indexOf("-- Rebuild c"));
    expect(rowsOf(db, "c")).toHaveLength(3);
    // SQLite answers 'foreign key mismatch' to a key they alone make unique, so lint reports it as an error.
    for (const only of [uniqueIndex("p_code_live").on("code").where("id > 0"), uniqueIndex("p_code_lower").on(expr("lower(code)"))]) {
      const unchecked = normalizeDatabase("test_db", database({ name: "TEST_DB" }), [parent([only]), child(true)]);
      const sqlite = openMemoryDatabase();
      applyLikeD1(sqlite, renderFreshSchema(unchecked, undefined));
      sqlite.exec("INSERT INTO p VALUES (1, 'a')");
      expect(() => sqlite.exec("INSERT INTO c VALUES (1, 'a')")).toThrow(/foreign key mismatch - "c" referencing "p"/);
      const [found] = runLintRules([modelOf([parent([only]), child(true)])]).findings.filter((item) => item.kind === "foreign-key-to-non-unique");
      expect(renderRuleFinding(found)).toMatch(/TEST_DB\.c\.p_code: references p\(code\), which is neither its primary key nor UNIQUE/);
    }
  });
});

describe("integer defaults beyond 2^53", () => {
  const big = [9007199254740993n, 9223372036854775807n, -9223372036854775808n];
  const counters = () =>
    table("counters", {
      id: integer().primaryKey(),
      above: integer().notNull().default(big[0]),
      max: integer().notNull().default(big[1]),
      min: integer().notNull().default(big[2]),
      written: integer().notNull().defaultSql("9223372036854775807"),
    });
  /** The defaults of a row inserted without them, as exact integers. */
  const defaultsOf = (db: SqliteDatabase) => {
    db.exec("INSERT INTO counters (id) VALUES (100)");
    return db.prepare("SELECT above, max, min, written, typeof(max) AS type FROM counters WHERE id = 100").safeIntegers().get();
  };
  const exact = { above: big[0], max: big[1], min: big[2], written: big[1], type: "integer" };

  it("keeps every digit of a bigint or SQL default in a new table", () => {
    const model = modelOf([counters()]);
    expect(model.tables[0].columns.map((column) => column.default?.sql)).toEqual([
      undefined,
      "9007199254740993",
      "9223372036854775807",
      "-9223372036854775808",
      "9223372036854775807",
    ]);
    expect(defaultsOf(databaseFrom(model))).toEqual(exact);
  });

  it("keeps every digit when ADD COLUMN fills existing rows, and through a rebuild", () => {
    const added = evolve([table("counters", { id: integer().primaryKey() })], [counters()], "INSERT INTO counters VALUES (1)");
    expect(added.sql).toMatch(/ADD COLUMN max INTEGER NOT NULL DEFAULT 9223372036854775807;/);
    expect(added.db.prepare("SELECT above, max, min, written FROM counters WHERE id = 1").safeIntegers().get()).toEqual({
      above: big[0],
      max: big[1],
      min: big[2],
      written: big[1],
    });
    const rebuilt = evolve([counters()], [counters().with({ strict: true })], "INSERT INTO counters (id) VALUES (1)");
    expect(rebuilt.sql).toMatch(/Rebuild counters/);
    expect(defaultsOf(rebuilt.db)).toEqual(exact);
    expect(rebuilt.db.prepare("SELECT max FROM counters WHERE id = 1").safeIntegers().pluck().get()).toBe(big[1]);
  });

  it("documents the exact default in the generated types", async () => {
    const source = await renderTypes(modelOf([counters()]));
    expect(source).toContain("Defaults to `9007199254740993`.");
    expect(source).toContain("Defaults to `-9223372036854775808`.");
  });

  describe("through pull", () => {
    const temporaryDirs: string[] = [];
    afterAll(() => Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

    it("reads big integer defaults back as the same text, and writes schema files that keep them", async () => {
      const model = normalizeDatabase("counters", database({ name: "COUNTERS_DB" }), [counters()]);
      const db = openMemoryDatabase();
      applyLikeD1(db, renderFreshSchema(model, undefined));
      const { database: live } = introspectDatabase(db, {
        name: model.name,
        folder: model.folder,
        bindings: model.bindings,
        continueFrom: 0,
        ifNotExists: true,
      });
      expect(live.tables[0].columns.map((column) => column.default?.sql)).toEqual([
        undefined,
        "9007199254740993",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775807",
      ]);

      const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-engine-holes-"));
      temporaryDirs.push(root);
      await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
      await symlink(path.resolve(import.meta.dirname, "../../generator"), path.join(root, "generator"));
      const dump = path.join(root, "counters.sql");
      await writeFile(dump, renderFreshSchema(model, undefined));
      await runPull(projectPaths(root), { name: "COUNTERS_DB", folder: "counters", source: { kind: "dump", file: dump }, force: false });
      const tables = await readFile(path.join(root, "schema/counters/tables.ts"), "utf8");
      expect(tables).toContain("above: integer().notNull().default(9007199254740993n),");
      expect(tables).toContain("min: integer().notNull().default(-9223372036854775808n),");
      const snapshot = JSON.parse(await readFile(path.join(root, "migrations/counters/snapshot.json"), "utf8")) as { database: Database };
      expect(snapshot.database.tables[0].columns.map((column) => column.default?.sql)).toEqual(live.tables[0].columns.map((column) => column.default?.sql));
    });
  });
});
