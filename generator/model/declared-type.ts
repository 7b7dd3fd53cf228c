// Declared column types (issue 16). SQLite keeps the type a column is declared with as text and gives the column
// an affinity from it (https://www.sqlite.org/datatype3.html, section 3.1); the affinity decides how values are
// stored. The model's `type` is that affinity and `declaredType` the text, when it is not the affinity name itself,
// so that a schema written with the five names keeps its snapshot. The text matters beyond its affinity in one
// place: only a primary key declared exactly INTEGER is the rowid itself (isRowidAlias).
import { scanSql } from "./sql-lexer.js";
import type { Column, LogicalType, SqlType, Table } from "./model.js";

/** The affinity SQLite gives a declared type, by its rules in order (datatype3.html 3.1). */
export function affinityOf(declared: string): SqlType {
  const upper = declared.toUpperCase();
  if (upper.includes("INT")) return "INTEGER";
  if (/CHAR|CLOB|TEXT/.test(upper)) return "TEXT";
  if (upper.trim() === "" || upper.includes("BLOB")) return "BLOB";
  if (/REAL|FLOA|DOUB/.test(upper)) return "REAL";
  return "NUMERIC";
}

/**
 * The names SQLite recognizes as its own types and reports in upper case however they are written (checked on
 * SQLite 3.51: `x integer` reads back as INTEGER, `x varchar` as varchar). The others are kept as written.
 */
const standardNames = new Set(["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"]);

/** The only declared types a STRICT table accepts (sqlite.org/stricttables.html), besides ANY (isStrictAny). */
export const strictTypeNames: readonly string[] = ["INT", "INTEGER", "REAL", "TEXT", "BLOB"];

/**
 * A column declared ANY in a STRICT table keeps every value exactly as it is given ('1' stays text); written
 * `numeric("ANY")`, as ANY has NUMERIC affinity by the rules, which is what it means outside a STRICT table (checked
 * on SQLite 3.51: '1' becomes the integer 1 there).
 */
export function isStrictAny(table: Pick<Table, "strict">, column: Pick<Column, "type" | "declaredType">): boolean {
  return table.strict && declaredTypeOf(column).toUpperCase() === "ANY";
}

/** The declared type as SQLite reports it (PRAGMA table_info) once a column is created with `declared`. */
export function normalizeDeclaredType(declared: string): string {
  const trimmed = declared.trim();
  return standardNames.has(trimmed.toUpperCase()) ? trimmed.toUpperCase() : trimmed;
}

/** The column's declared type: its text when the schema gives one, else its affinity name. */
export function declaredTypeOf(column: Pick<Column, "type" | "declaredType">): string {
  return column.declaredType ?? column.type;
}

/**
 * Whether the column is the table's rowid under another name: the one column of a rowid table's primary key,
 * declared exactly INTEGER (in any case), and not written `PRIMARY KEY DESC`. `BIGINT PRIMARY KEY`, `INT PRIMARY KEY`
 * or `INTEGER PRIMARY KEY DESC` is a key apart from the rowid: the rows keep a rowid of their own, and the key may hold
 * NULL unless it is NOT NULL (checked on SQLite 3.51).
 */
export function isRowidAlias(table: Pick<Table, "withoutRowid" | "primaryKey">, column: Pick<Column, "name" | "type" | "declaredType">): boolean {
  return (
    !table.withoutRowid &&
    table.primaryKey?.columns.length === 1 &&
    !table.primaryKey.desc &&
    table.primaryKey.columns[0] === column.name &&
    declaredTypeOf(column).toUpperCase() === "INTEGER"
  );
}

/**
 * SQLite keywords that cannot stand in a type name: the parser reads them as the start of a constraint or the end of
 * the column (found by declaring every keyword on SQLite 3.51). GENERATED and ALWAYS are accepted by SQLite but
 * read as the start of `GENERATED ALWAYS AS` when one follows, so they are kept out too.
 */
const endsTypeName = new Set(
  `ADD ALL ALTER AND AS AUTOINCREMENT BETWEEN CASE CHECK COLLATE COMMIT CONSTRAINT CREATE CROSS DEFAULT DEFERRABLE
  DELETE DISTINCT DROP ELSE ESCAPE EXCEPT EXISTS FOREIGN FROM FULL GROUP HAVING IN INDEX INDEXED INNER INSERT
  INTERSECT INTO IS ISNULL JOIN LEFT LIMIT NATURAL NOT NOTHING NOTNULL NULL ON OR ORDER OUTER PRIMARY REFERENCES
  RETURNING RIGHT SELECT SET TABLE THEN TO TRANSACTION UNION UNIQUE UPDATE USING VALUES WHEN WHERE GENERATED
  ALWAYS`.split(/\s+/),
);

/** Whether `word` ends a declared type where it follows one (a constraint starts, or the column ends). */
export function endsDeclaredType(word: string): boolean {
  return endsTypeName.has(word.toUpperCase());
}

/**
 * What keeps SQLite from reading `declared` as a type name, or undefined. SQLite's grammar: one or more names, then
 * optionally one or two signed numbers in parentheses (`VARCHAR(255)`, `DECIMAL(10, 2)`). Quoted names are refused
 * too: SQLite drops the quotes, so the type would not read back as written.
 */
export function declaredTypeProblem(declared: string): string | undefined {
  const pieces = scanSql(declared).filter((piece) => piece.type !== "space");
  const text = (index: number) => (pieces[index] ? declared.slice(pieces[index].start, pieces[index].end) : "");
  // No type at all is a type too (`CREATE TABLE t(a, b)`): BLOB affinity, written `blob("")`.
  if (pieces.length === 0) return undefined;
  let position = 0;
  while (pieces[position]?.type === "word") {
    if (endsTypeName.has(text(position).toUpperCase())) return `holds ${text(position).toUpperCase()}, a keyword SQLite reads as the end of the type`;
    position += 1;
  }
  if (position === 0) return `starts with ${text(0)}, not a name`;
  if (position === pieces.length) return undefined;
  if (text(position) !== "(") return `has ${text(position)} where a name or "(" can stand`;
  position += 1;
  for (let argument = 0; argument < 2; argument += 1) {
    if (text(position) === "+" || text(position) === "-") position += 1;
    if (pieces[position]?.type !== "number") return "has parentheses that do not hold one or two numbers";
    position += 1;
    if (text(position) !== ",") break;
    position += 1;
  }
  if (text(position) !== ")") return "has parentheses that do not hold one or two numbers";
  if (position + 1 !== pieces.length) return `has ${text(position + 1)} after its closing parenthesis`;
  return undefined;
}

/** The affinities a logical type may have: its values keep their storage class in each (see the README). */
export const affinitiesOf: Record<LogicalType, readonly SqlType[]> = {
  text: ["TEXT"],
  integer: ["INTEGER"],
  real: ["REAL"],
  blob: ["BLOB"],
  numeric: ["NUMERIC"],
  // 0 and 1 are stored as integers under NUMERIC affinity as well (BOOLEAN is NUMERIC).
  boolean: ["INTEGER", "NUMERIC"],
  json: ["TEXT"],
  // ISO-8601 text is not a number, so NUMERIC affinity (DATETIME, TIMESTAMP, DATE) keeps it as text.
  timestamp_iso: ["TEXT", "NUMERIC"],
  timestamp_unix: ["INTEGER", "NUMERIC"],
};

/** Why `declared` has its affinity, in SQLite's words: the first rule that matches. */
export function affinityReason(declared: string): string {
  const upper = declared.toUpperCase();
  if (upper.trim() === "") return "a column without a declared type has BLOB affinity";
  const found = (names: string[]) => names.find((name) => upper.includes(name));
  const rule = found(["INT"]) ?? found(["CHAR", "CLOB", "TEXT"]) ?? found(["BLOB"]) ?? found(["REAL", "FLOA", "DOUB"]);
  const affinity = affinityOf(declared);
  return rule === undefined
    ? `${declared} has ${affinity} affinity: it contains none of INT, CHAR, CLOB, TEXT, BLOB, REAL, FLOA, DOUB`
    : `${declared} has ${affinity} affinity: it contains ${rule}`;
}

/** The DSL constructor a logical type is written with, for messages. */
export function constructorOf(logical: LogicalType): string {
  return logical === "timestamp_iso"
    ? 'timestamp("iso", …)'
    : logical === "timestamp_unix"
      ? 'timestamp("unix", …)'
      : logical === "json"
        ? "json(tsType, …)"
        : `${logical}(…)`;
}
