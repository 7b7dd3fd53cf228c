// Building a squash in chunks gives exactly the shape one database gives (ClearLift's squashes, and 250 tables
// across chunk boundaries with foreign keys between chunks); anything but a plain schema script is left to one
// database; statements split where SQLite would split them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { index, integer, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import { canonicalJson } from "../../generator/model/canonical-json.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { shapeAfterMigrations, shapeOfSquash } from "../../generator/sqlite/prove.js";
import { shapesOfSchemaScript, splitStatements } from "../../generator/sqlite/schema-script.js";
import { modelOf } from "../helpers/evolve.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const oneDatabase = (sql: string) => shapeAfterMigrations([{ name: "squash", sql }]);

describe("chunked squash builds", () => {
  it.each(["db", "ai_db", "analytics_db", "shard"])("give ClearLift's %s squash the shape one database gives", (folder) => {
    const sql = readFileSync(path.join(repoRoot, "migrations/fresh", folder, "0001_complete_schema.sql"), "utf8");
    expect(shapesOfSchemaScript(sql)).toBeDefined();
    expect(shapeOfSquash(sql)).toBe(oneDatabase(sql));
  });

  it("give 250 tables, with foreign keys across chunk boundaries, the shape one database gives", () => {
    const tables = Array.from({ length: 250 }, (_, n) =>
      table(
        `t${String(n).padStart(3, "0")}`,
        {
          id: text().primaryKey().defaultSql("lower(hex(randomblob(16)))"),
          parent_id: n === 0 ? text() : text().references(`t${String(n - 1).padStart(3, "0")}`, "id", { onDelete: n % 2 ? "cascade" : "set null" }),
          code: text().unique(),
          rank: integer().notNull().default(0),
        },
        { indexes: [index(`idx_t${n}_parent`).on("parent_id"), uniqueIndex(`uq_t${n}_rank`).on("rank", "code").where("rank > 0")] },
      ),
    );
    const model = modelOf(tables);
    const squash = renderFreshSchema(model, "0001_x.sql");
    const chunked = shapesOfSchemaScript(squash);
    expect(chunked).toHaveLength(250);
    expect(canonicalJson(chunked)).toBe(oneDatabase(squash));
    expect(shapeOfSquash(squash, model)).toBe(oneDatabase(squash));
  });

  it("leave scripts that are not plain schema scripts to one database", () => {
    expect(shapesOfSchemaScript("CREATE TABLE a (id INTEGER PRIMARY KEY); INSERT INTO a VALUES (1);")).toBeUndefined();
    expect(shapesOfSchemaScript("CREATE INDEX i ON a (id); CREATE TABLE a (id INTEGER PRIMARY KEY);")).toBeUndefined();
    expect(shapesOfSchemaScript("CREATE TABLE a (id INTEGER); CREATE TABLE A (id INTEGER);")).toBeUndefined();
    expect(shapesOfSchemaScript("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER); CREATE INDEX i ON a (x); CREATE INDEX i ON b (x);")).toBeUndefined();
    // What one database would refuse fails here too.
    expect(() => shapeOfSquash("CREATE TABLE a (id INTEGER PRIMARY KEY, CHECK (id > > 0));")).toThrow(/the fresh squash fails on SQLite: .*syntax error/);
  });

  it("prove every default with the model, naming the table", () => {
    const model = modelOf([table("a", { id: integer().primaryKey(), n: integer() })]);
    expect(() => shapeOfSquash("CREATE TABLE a (id INTEGER PRIMARY KEY, n INTEGER DEFAULT (no_such_function()));", model)).toThrow(
      /TEST_DB\.a: has a default SQLite cannot compute/,
    );
  });
});

describe("splitStatements", () => {
  it("splits at semicolons outside strings, quoted names and comments", () => {
    const sql = [
      "-- a comment; with a semicolon",
      "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine', y TEXT CHECK (y <> ';'));",
      '/* block; comment */ CREATE INDEX [i;x] ON "a;b" (`x`);',
      "CREATE TABLE c (z TEXT)",
    ].join("\n");
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine', y TEXT CHECK (y <> ';'))",
      'CREATE INDEX [i;x] ON "a;b" (`x`)',
      "CREATE TABLE c (z TEXT)",
    ]);
  });

  it("gives up on trigger bodies and unterminated strings or comments", () => {
    expect(splitStatements("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;")).toBeUndefined();
    expect(splitStatements("CREATE TABLE a (x TEXT DEFAULT 'open);")).toBeUndefined();
    expect(splitStatements("CREATE TABLE a (x TEXT); /* open")).toBeUndefined();
  });
});
