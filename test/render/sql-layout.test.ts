// SQL is laid out without sql-formatter (generator/render/sql-layout.ts); sql-formatter stays the oracle. For every
// statement the renderers write for ClearLift, for random expressions in the places users write them (CHECK,
// DEFAULT, generated columns, partial index WHERE) and for each statement shape a migration holds, the layout is
// either sql-formatter's output exactly or "not sure" (sql-file.ts then asks sql-formatter).
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { format } from "sql-formatter";
import { describe, expect, it } from "vitest";
import { loadModels } from "../../generator/project/load-models.js";
import { renderColumnDefinition, renderCreateIndex, renderCreateTable } from "../../generator/render/ddl.js";
import { conflictPhrasesAsWords, conflictWordsAsPhrases, knownFunctions, layoutStatement } from "../../generator/render/sql-layout.js";
import { isSqliteKeyword, quoteIdentifier } from "../../generator/model/identifiers.js";

const repositorySchema = new URL("../../schema", import.meta.url).pathname;
const formatOptions = { language: "sqlite", tabWidth: 2, keywordCase: "preserve" } as const;

/**
 * sql-formatter's layout, with one exception: it reads a constraint's `ON CONFLICT REPLACE` as an upsert's clause
 * and starts a line with it; the squash keeps the phrase on its constraint's line, as sql-formatter lays out a word
 * of the same length in its place (sql-layout.ts, conflictPhrasesAsWords).
 */
function oracle(statement: string): string {
  const asWords = conflictPhrasesAsWords(statement);
  return asWords === undefined ? format(statement, formatOptions) : conflictWordsAsPhrases(format(asWords, formatOptions));
}

/** Whether the layout agrees with sql-formatter; counts the statements it was sure of. */
function expectSameAsSqlFormatter(statements: readonly string[]): number {
  let laidOut = 0;
  for (const statement of statements) {
    const layout = layoutStatement(statement);
    if (layout === undefined) continue;
    laidOut++;
    expect(layout, statement).toBe(oracle(statement));
  }
  return laidOut;
}

// Names as the renderers write them: SQLite keywords are quoted there, so a bare keyword is not a name here. Any
// name SQLite accepts (issue 16) is quoted: spaces, dashes, quotes, punctuation, non-ASCII letters, keywords.
const plainName = fc.stringMatching(/^[a-z][a-z0-9_]{0,24}$/).filter((candidate) => !isSqliteKeyword(candidate));
const quotedName = fc
  .oneof(
    fc.string({
      unit: fc.constantFrom("a", "Z", "1", "_", " ", "-", '"', "'", "`", "(", ")", ",", ";", ".", "ß", "é", "✓", "中"),
      minLength: 1,
      maxLength: 14,
    }),
    fc.constantFrom("order", "select", "KEY", "table", "from"),
  )
  .map(quoteIdentifier);
const name = fc.oneof(plainName, plainName, quotedName);
const literal = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }).map(String),
  fc.stringMatching(/^[a-z_ %0-9]{0,20}$/).map((text) => `'${text}'`),
  fc.constantFrom("NULL", "TRUE", "CURRENT_TIMESTAMP", "1.5", "'it''s'"),
);
const operand = fc.oneof(
  name,
  literal,
  name.map((column) => `lower(${column})`),
  fc.constantFrom("datetime('now')", "unixepoch()", "json_valid(settings)"),
);
const comparison = fc.oneof(
  fc.tuple(operand, fc.constantFrom("=", "!=", "<>", "<", ">=", "||", "+", "-", "*", "%"), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(name, fc.array(literal, { minLength: 1, maxLength: 8 })).map(([column, values]) => `${column} IN (${values.join(", ")})`),
  fc.tuple(name, literal, literal).map(([column, low, high]) => `${column} BETWEEN ${low} AND ${high}`),
  name.map((column) => `${column} IS NOT NULL`),
  fc.tuple(name, literal).map(([column, pattern]) => `${column} NOT LIKE ${pattern}`),
);
/** A constraint's conflict clause, or none. */
const onConflict = fc.constantFrom("", "", " ON CONFLICT REPLACE", " ON CONFLICT IGNORE", " ON CONFLICT ABORT", " on conflict fail", " ON CONFLICT ROLLBACK");
const condition = fc
  .array(fc.tuple(comparison, fc.constantFrom("AND", "OR")), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.map(([part, joiner], index) => (index === 0 ? part : `${joiner} ${part}`)).join(" "));

describe("the functions sql-layout glues to their parenthesis", () => {
  // A name sql-formatter calls a function is printed glued to its "(", also where it names a table (`CREATE TABLE
  // pi(`): our list must be sql-formatter's, or a table named like a function is laid out differently.
  it("are exactly sql-formatter's SQLite functions", async () => {
    const file = path.join(path.dirname(createRequire(import.meta.url).resolve("sql-formatter")), "../esm/languages/sqlite/sqlite.functions.js");
    const theirs = Object.values((await import(pathToFileURL(file).href)) as Record<string, string[]>).flat();
    expect([...knownFunctions].sort()).toEqual([...new Set(theirs.map((name) => name.toUpperCase()))].sort());
  });
});

describe("SQL laid out without sql-formatter", () => {
  it("is sql-formatter's layout for every table, index and added column of ClearLift, and sure of nearly all", async () => {
    const statements: string[] = [];
    for (const model of await loadModels(repositorySchema)) {
      for (const table of model.tables) {
        statements.push(renderCreateTable(table, { ifNotExists: false }), renderCreateTable(table, { ifNotExists: true }));
        for (const index of table.indexes) statements.push(renderCreateIndex(table, index, { ifNotExists: true }));
        for (const column of table.columns) statements.push(`ALTER TABLE ${table.name} ADD COLUMN ${renderColumnDefinition(table, column)}`);
      }
    }
    const laidOut = expectSameAsSqlFormatter(statements);
    expect(statements.length).toBeGreaterThan(3000);
    expect(laidOut / statements.length).toBeGreaterThan(0.99);
  });

  it("is sql-formatter's layout for each statement shape a migration holds", () => {
    const shapes = [
      "PRAGMA defer_foreign_keys = on",
      "DROP TABLE users",
      'DROP TABLE "order"',
      "DROP INDEX idx_users_email",
      "ALTER TABLE users RENAME TO people",
      "ALTER TABLE users RENAME COLUMN name TO full_name",
      "ALTER TABLE users DROP COLUMN nickname",
      "ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted', 'archived'))",
      "ALTER TABLE users ADD COLUMN org_id TEXT REFERENCES organizations (id) ON DELETE SET NULL ON UPDATE CASCADE",
      "CREATE TABLE __d1s_backup_users AS SELECT rowid AS __d1s_rowid, * FROM users",
      "CREATE TABLE __d1s_backup_users AS SELECT * FROM users",
      "DELETE FROM users",
      "INSERT INTO users (id, email, name) SELECT id, email, name FROM __d1s_backup_users",
      "INSERT INTO users (rowid, id, email, name, created_at, updated_at, organization_id) SELECT __d1s_rowid, id, email, COALESCE(name, ''), created_at, updated_at, organization_id FROM __d1s_backup_users",
      "INSERT INTO t (a) SELECT CAST(a AS INTEGER) FROM __d1s_backup_t",
      "CREATE TABLE __d1s_backup_sequences AS SELECT name, seq FROM sqlite_sequence WHERE name IN ('users', 'orders')",
      "DELETE FROM sqlite_sequence WHERE name IN ('users')",
      "INSERT INTO sqlite_sequence (name, seq) SELECT name, seq FROM __d1s_backup_sequences",
      "UPDATE users SET nickname = '' WHERE nickname IS NULL",
      "CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT, WITHOUT ROWID",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, signature BLOB DEFAULT x'', data BLOB NOT NULL DEFAULT X'00ff')",
      "CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a, b), FOREIGN KEY (a, b) REFERENCES u (x, y) ON DELETE CASCADE) WITHOUT ROWID",
      "CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a, b) ON CONFLICT REPLACE, UNIQUE (b, a) ON CONFLICT IGNORE)",
      "CREATE TABLE u (id INTEGER PRIMARY KEY ON CONFLICT REPLACE, email TEXT UNIQUE ON CONFLICT IGNORE, plan TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'free')",
      "CREATE TABLE k (id INTEGER PRIMARY KEY DESC ON CONFLICT FAIL, x TEXT NOT NULL ON CONFLICT ROLLBACK)",
      "ALTER TABLE t ADD COLUMN c TEXT NOT NULL ON CONFLICT ABORT DEFAULT 'x'",
    ];
    expect(expectSameAsSqlFormatter(shapes)).toBe(shapes.length);
  });

  it("is sql-formatter's layout, or not sure, for random expressions where users write them", () => {
    let laidOut = 0;
    fc.assert(
      fc.property(name, name, name, condition, operand, condition, onConflict, onConflict, (table, column, index, check, defaultValue, where, key, notNull) => {
        laidOut += expectSameAsSqlFormatter([
          `CREATE TABLE ${table} (id TEXT PRIMARY KEY NOT NULL, ${column} TEXT DEFAULT (${defaultValue}) CHECK (${check}))`,
          `CREATE TABLE ${table} (id TEXT PRIMARY KEY${key} NOT NULL${notNull}, ${column} TEXT UNIQUE${notNull} CHECK (${check}), UNIQUE (id, ${column})${key})`,
          `CREATE TABLE ${table} (${column} TEXT GENERATED ALWAYS AS (${defaultValue}) STORED, CHECK (${check}))`,
          `CREATE INDEX ${index} ON ${table} (${column}, ${table}) WHERE ${where}`,
          `ALTER TABLE ${table} ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0 CHECK (${check})`,
        ]);
      }),
      { numRuns: Number(process.env.SQL_LAYOUT_RUNS ?? 300) },
    );
    // Most random statements are laid out here (the rest: signs glued to numbers after an operand, keywords as names).
    expect(laidOut).toBeGreaterThan(Number(process.env.SQL_LAYOUT_RUNS ?? 300) * 5 * 0.5);
  });

  it("is not sure of what sql-formatter reads its own way", () => {
    for (const statement of [
      "CREATE TABLE t (a TEXT DEFAULT (my_func(1)))",
      "CREATE TABLE t (a TEXT DEFAULT (lower (b)))",
      "CREATE TABLE t (a INTEGER DEFAULT (2-1))",
      "CREATE TABLE t (a TEXT CHECK (CASE WHEN a = 1 THEN 1 ELSE 0 END))",
      "CREATE TABLE t (a TEXT) -- comment",
      "CREATE VIEW v AS SELECT 1",
      "CREATE TABLE t (a REAL DEFAULT .5)",
    ])
      expect(layoutStatement(statement), statement).toBeUndefined();
  });
});
