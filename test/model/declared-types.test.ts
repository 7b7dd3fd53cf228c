// Declared types (issue 16): what SQLite does with the type a column is declared with, checked on SQLite itself, and
// what the schema language accepts. Our affinity rules, our normalization and our reading of which texts SQLite
// takes as a type are each held to SQLite's own behaviour.
import { describe, expect, it } from "vitest";
import { blob, boolean, integer, json, numeric, real, table, text, timestamp, type ColumnBuilder } from "../../generator/dsl/index.js";
import { affinityOf, declaredTypeProblem, normalizeDeclaredType } from "../../generator/model/declared-type.js";
import { isSqliteKeyword } from "../../generator/model/identifiers.js";
import { openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { modelOf } from "../helpers/evolve.js";
import { errorsOf } from "../helpers/schema-errors.js";

/** SQLite's keywords (identifiers.ts holds the same list; spelled out here so that the test stands alone). */
const keywords = `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE
  CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE
  EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP
  GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN
  KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS
  OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE
  RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO
  TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/);

const typeTexts = [
  "VARCHAR(255)",
  "varchar ( 255 )",
  "CHARACTER VARYING(255)",
  "NVARCHAR(100)",
  "CLOB",
  "BIGINT",
  "INT",
  "int",
  "Integer",
  "UNSIGNED BIG INT",
  "TINYINT",
  "DOUBLE",
  "DOUBLE PRECISION",
  "FLOAT",
  "real",
  "DECIMAL(10,2)",
  "DECIMAL( 10 , 2 )",
  "NUMERIC(+5)",
  "NUMERIC(-5, 0x10)",
  "NUMERIC(1.5)",
  "BOOLEAN",
  "DATETIME",
  "DATE",
  "TIMESTAMP WITH TIME ZONE",
  "JSON",
  "BLOB",
  "blob",
  "FLOATING POINT",
  "CHARINT",
  "STRING",
  "any",
  "",
  "MyType (3)",
];

/** The declared type SQLite reports for `CREATE TABLE t(x <declared>, …)`, or undefined when it rejects it or reads something else. */
function sqliteReads(declared: string, after = ""): string | undefined {
  const db = openMemoryDatabase();
  try {
    db.exec(`CREATE TABLE t (x ${declared}${after}, y)`);
    return (db.prepare("SELECT type FROM pragma_table_xinfo('t') WHERE name = 'x'").get() as { type: string }).type;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

/** The storage classes SQLite gives '12', '1.5', 'abc' and 7 in a column declared `declared`: its affinity at work. */
function storageOf(declared: string): string[] {
  const db = openMemoryDatabase();
  db.exec(`CREATE TABLE t (x ${declared})`);
  db.exec("INSERT INTO t VALUES ('12'), ('1.5'), ('abc'), (7)");
  return (db.prepare("SELECT typeof(x) AS type FROM t ORDER BY rowid").all() as { type: string }[]).map((row) => row.type);
}

const storageByAffinity = {
  TEXT: ["text", "text", "text", "text"],
  INTEGER: ["integer", "real", "text", "integer"],
  NUMERIC: ["integer", "real", "text", "integer"],
  REAL: ["real", "real", "text", "real"],
  BLOB: ["text", "text", "text", "integer"],
};

const one = (column: ColumnBuilder, options: { strict?: boolean } = {}) => table("t", { id: integer().primaryKey(), x: column }, options);

describe("declared types on SQLite", () => {
  it.each(typeTexts)("%j: our affinity and normalization are SQLite's", (declared) => {
    expect(declaredTypeProblem(normalizeDeclaredType(declared))).toBeUndefined();
    expect(sqliteReads(declared)).toBe(normalizeDeclaredType(declared));
    const storage = storageOf(declared);
    // INTEGER and NUMERIC store these four alike; '1.5' tells REAL from them, 'abc' BLOB from TEXT.
    expect(storage).toEqual(storageByAffinity[affinityOf(declared)]);
    if (affinityOf(declared) === "INTEGER" || affinityOf(declared) === "NUMERIC") {
      const db = openMemoryDatabase();
      db.exec(`CREATE TABLE t (x ${declared}); INSERT INTO t VALUES ('3.0')`);
      // INTEGER and NUMERIC differ nowhere SQLite shows it through typeof: both store '3.0' as the integer 3.
      expect(db.prepare("SELECT typeof(x) AS type FROM t").get()).toEqual({ type: "integer" });
    }
  });

  it("takes as a type name exactly the texts SQLite reads back as written, every keyword tried", () => {
    const texts = keywords.flatMap((keyword) => [keyword, `FOO ${keyword}`, `${keyword} BAR`, `FOO ${keyword}(5)`]);
    const shapes = ["VARCHAR(1, 2, 3)", "VARCHAR(abc)", "VARCHAR(5) X", "VARCHAR(", "'quoted'", '"quoted"', "[x]", "TEXT -- c", "TEXT /* c */", "X.Y", "1INT"];
    for (const declared of [...texts, ...shapes]) {
      const accepted = declaredTypeProblem(declared) === undefined;
      // Followed by every constraint the renderer writes, SQLite must read the type as written.
      const constraints = [
        "",
        " PRIMARY KEY",
        " NOT NULL",
        " UNIQUE",
        " DEFAULT 1",
        " CHECK (1)",
        " COLLATE NOCASE",
        " GENERATED ALWAYS AS (1)",
        " REFERENCES t (y)",
      ];
      if (accepted) {
        for (const after of constraints) expect(sqliteReads(declared, after), `${declared}${after}`).toBe(declared);
      } else if (!["GENERATED", "ALWAYS"].some((word) => declared.includes(word))) {
        // Refused: SQLite rejects it or reads another type (GENERATED and ALWAYS are refused though SQLite takes them alone).
        expect(sqliteReads(declared), declared).not.toBe(declared);
      }
    }
    // Keywords SQLite lets stand in a type name are accepted: TIMESTAMP WITH TIME ZONE, a type called KEY.
    expect(keywords.filter((keyword) => declaredTypeProblem(`FOO ${keyword}`) === undefined).length).toBeGreaterThan(70);
    expect(isSqliteKeyword("WITH")).toBe(true);
  });
});

describe("declared types in the schema language", () => {
  it("keeps the declared text in the model only when it is not the affinity's name", () => {
    const model = modelOf([
      table("t", {
        id: integer("BIGINT").primaryKey(),
        a: text("VARCHAR(255)"),
        b: numeric("DECIMAL(10,2)"),
        c: real("DOUBLE PRECISION"),
        d: boolean("BOOLEAN"),
        e: timestamp("iso", "DATETIME"),
        f: timestamp("unix", "BIGINT"),
        g: json("string[]", "CLOB"),
        h: blob(""),
        i: integer("integer"),
        j: text("TEXT"),
        k: boolean(),
        l: integer("int"),
      }),
    ]);
    const columns = model.tables[0].columns.map(({ name, type, declaredType, logical }) => ({ name, type, declaredType, logical }));
    expect(columns).toEqual([
      { name: "id", type: "INTEGER", declaredType: "BIGINT", logical: "integer" },
      { name: "a", type: "TEXT", declaredType: "VARCHAR(255)", logical: "text" },
      { name: "b", type: "NUMERIC", declaredType: "DECIMAL(10,2)", logical: "numeric" },
      { name: "c", type: "REAL", declaredType: "DOUBLE PRECISION", logical: "real" },
      { name: "d", type: "NUMERIC", declaredType: "BOOLEAN", logical: "boolean" },
      { name: "e", type: "NUMERIC", declaredType: "DATETIME", logical: "timestamp_iso" },
      { name: "f", type: "INTEGER", declaredType: "BIGINT", logical: "timestamp_unix" },
      { name: "g", type: "TEXT", declaredType: "CLOB", logical: "json" },
      { name: "h", type: "BLOB", declaredType: "", logical: "blob" },
      // SQLite reports `integer` as INTEGER and `int` as INT: the model says what SQLite will say.
      { name: "i", type: "INTEGER", declaredType: undefined, logical: "integer" },
      { name: "j", type: "TEXT", declaredType: undefined, logical: "text" },
      { name: "k", type: "INTEGER", declaredType: undefined, logical: "boolean" },
      { name: "l", type: "INTEGER", declaredType: "INT", logical: "integer" },
    ]);
    expect(model.tables[0].columns.filter((column) => "declaredType" in column).map((column) => column.name)).toEqual([
      "id",
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "l",
    ]);
  });

  it("refuses a declared type whose affinity the constructor cannot hold, naming the column and the fix", () => {
    const [error] = errorsOf(() => modelOf([one(integer("VARCHAR(9)"))]));
    expect(error).toMatchObject({ database: "TEST_DB", table: "t", column: "x" });
    expect(error.problem).toBe("is integer(…) declared VARCHAR(9), but VARCHAR(9) has TEXT affinity: it contains CHAR, and integer(…) needs INTEGER");
    expect(error.hint).toBe('declare it with a type of INTEGER affinity (BIGINT), or write text("VARCHAR(9)") to keep VARCHAR(9)');
    expect(errorsOf(() => modelOf([one(text("DATETIME"))]))[0].problem).toMatch(/DATETIME has NUMERIC affinity: it contains none of INT, CHAR/);
    // JSON is NUMERIC affinity: SQLite would store the JSON text 1 as the number 1.
    expect(errorsOf(() => modelOf([one(json("unknown", "JSON"))]))[0].hint).toMatch(/TEXT affinity \(VARCHAR\(255\)\), or write numeric\("JSON"\)/);
    expect(errorsOf(() => modelOf([one(text("  "))]))[0].problem).toBe(
      "is text(…) without a type, but a column without a declared type has BLOB affinity, and text(…) needs TEXT",
    );
    expect(errorsOf(() => modelOf([one(boolean("TEXT"))]))[0].problem).toMatch(/boolean\(…\) needs INTEGER or NUMERIC/);
    expect(errorsOf(() => modelOf([one(real("FLOATING POINT"))]))[0].problem).toMatch(/FLOATING POINT has INTEGER affinity: it contains INT/);
  });

  it("refuses a declared type SQLite would not read back as written", () => {
    for (const [declared, problem] of [
      ["VARCHAR NOT NULL", /holds NOT, a keyword SQLite reads as the end of the type/],
      ["VARCHAR(255) NOT NULL", /has NOT after its closing parenthesis/],
      ["DECIMAL(10,2,3)", /parentheses that do not hold one or two numbers/],
      ['"quoted"', /starts with "quoted", not a name/],
      ["TEXT; DROP TABLE t", /has ; where a name or "\(" can stand/],
      ["VARCHAR(5) X", /has X after its closing parenthesis/],
    ] as const) {
      const [error] = errorsOf(() => modelOf([one(text(declared))]));
      expect(error, declared).toMatchObject({ table: "t", column: "x" });
      expect(error.problem).toMatch(problem);
      expect(error.hint).toMatch(/write a type name: one or more words, then at most two numbers in parentheses/);
    }
  });

  it("takes a timestamp's declared type second, and says so when it comes first", () => {
    // Schema files load without a type check (esbuild), so the call is checked where it is made.
    expect(() => (timestamp as (mode: string) => ColumnBuilder)("DATETIME")).toThrow(
      'timestamp("DATETIME"): the first argument is "iso" or "unix"; a declared type comes second, e.g. timestamp("iso", "DATETIME")',
    );
  });

  it("allows only SQLite's STRICT types in a STRICT table, and AUTOINCREMENT only on INTEGER", () => {
    expect(modelOf([one(integer("INT"), { strict: true })]).tables[0].columns[1].declaredType).toBe("INT");
    const [strict] = errorsOf(() => modelOf([one(text("VARCHAR(255)"), { strict: true })]));
    expect(strict.problem).toBe("is declared VARCHAR(255) in a STRICT table, which accepts only INT, INTEGER, REAL, TEXT, BLOB (and ANY)");
    expect(strict.hint).toMatch(/declare it TEXT, or drop strict/);
    expect(errorsOf(() => modelOf([one(numeric("DECIMAL(10,2)"), { strict: true })]))[0].hint).toBe(
      "a STRICT table has no NUMERIC column: make it integer() or real(), or drop strict from the table's options",
    );
    const [autoincrement] = errorsOf(() => modelOf([table("t", { id: integer("BIGINT").autoincrement() })]));
    expect(autoincrement).toMatchObject({ table: "t", column: "id", problem: "is AUTOINCREMENT but not INTEGER: it is declared BIGINT" });
  });
});
