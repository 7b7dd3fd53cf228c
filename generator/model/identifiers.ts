// Identifier rules. A table, column, index or constraint may have any name SQLite accepts (spaces, dashes,
// non-ASCII letters, a double quote): every renderer writes names through quoteIdentifier, which double-quotes any
// name that is not a plain ASCII word or is an SQLite keyword, so no name can carry SQL. Database names and bindings
// stay plain words: they are JavaScript names in Workers and wrangler's config.

const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** SQLite's keywords (https://sqlite.org/lang_keywords.html). A name equal to one of them must be quoted. */
const sqliteKeywords = new Set(
  `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE
  CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
  CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE
  EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP
  GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN
  KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS
  OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE
  RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO
  TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/),
);

/** Tables that D1 and SQLite own. They are never created, diffed or dropped. */
export function isReservedTableName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("sqlite_") || lower.startsWith("_cf_") || lower === "d1_migrations";
}

/** Names starting with this (in any case) belong to this tool, e.g. the tables a rebuild creates and drops. */
export const toolPrefix = "__d1s_";

/** The prefix of the backup tables a rebuild creates and drops within one migration. */
export const backupPrefix = `${toolPrefix}backup_`;

/**
 * Why a name cannot name a table, column, index or constraint, or undefined when it can. SQLite accepts any quoted
 * text but one holding NUL, which ends its string. The empty name (which SQLite takes) and other control characters
 * (a line break, a tab) are refused too: an empty name cannot be told apart in a message, and a name is written on
 * one line in messages, migration headers and generated comments.
 */
export function identifierProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  // eslint-disable-next-line no-control-regex -- the control characters are what this finds
  const control = /[\u0000-\u001f\u007f]/.exec(name);
  if (control) return `holds the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  return undefined;
}

export function isPlainIdentifier(name: string): boolean {
  return plainIdentifier.test(name);
}

export function isSqliteKeyword(name: string): boolean {
  return sqliteKeywords.has(name.toUpperCase());
}

/** The identifier as SQL: bare when that is unambiguous, double-quoted otherwise. */
export function quoteIdentifier(name: string): string {
  if (isPlainIdentifier(name) && !isSqliteKeyword(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** A JavaScript value as an SQL literal. */
export function sqlLiteral(value: string | number | bigint | boolean | null): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${value} has no SQL literal`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}
