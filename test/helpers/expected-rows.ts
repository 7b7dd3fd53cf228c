// What a migration from one generated schema to its evolution must leave in a database holding rows: every row of
// every kept table, its kept columns matched by identity (the ids helpers/arbitraries.ts tracks through renames and
// swaps), values converted as the new column stores them. Shared by the in-process and the CLI property tests.
import type { Dflt, Schema } from "./arbitraries.js";
import { colById, hasHiddenRowid, isConstantDefault, storageOf, tableById } from "./arbitraries.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { encodeValue, readExactRows, shortRow, type Conversions, type SqlValue } from "./exact-values.js";

export interface ExpectedTable {
  /** The table's name in the new schema. */
  name: string;
  /** The kept columns, then the added ones with a constant default or none, under their new names. */
  read: string[];
  /** Whether the hidden rowid is read too (the table has one before and after). */
  rowid: boolean;
  /** Rows as JSON arrays of encoded values ([rowid, ...columns]), sorted. */
  rows: string[];
  /** The AUTOINCREMENT counter before the migration, when the table has one before and after. */
  sequence?: number;
}

/**
 * Reads every table `next` keeps from `prev` before the migration and converts its values the way the new columns
 * store them (SQLite's own conversion, through `conversions`).
 */
export function expectedTables(db: SqliteDatabase, prev: Schema, next: Schema, conversions: Conversions): ExpectedTable[] {
  const tables: ExpectedTable[] = [];
  for (const nt of next.tables) {
    const pt = tableById(prev, nt.id);
    if (!pt) continue;
    // A generated column holds what its expression gives, not data; a column that becomes NOT NULL with an
    // expression default gets unpredictable values where it held NULL (the row count still proves no row is lost).
    const kept = nt.cols.filter((col) => {
      const old = pt.cols.find((c) => c.id === col.id);
      if (!old || col.gen) return false;
      return !(col.notNull && !old.notNull && col.dflt !== undefined && !isConstantDefault(col.dflt));
    });
    const added = nt.cols.filter((col) => !col.gen && !pt.cols.some((old) => old.id === col.id) && (col.dflt === undefined || isConstantDefault(col.dflt)));
    const rowid = hasHiddenRowid(pt) && hasHiddenRowid(nt);
    const before = readExactRows(
      db,
      pt.name,
      kept.map((col) => colById(pt, col.id).name),
      rowid,
    );
    const values = before.map((row) => (rowid ? row.slice(1) : row));
    const columns = [...kept, ...added];
    let converted = before;
    if (columns.length > 0 && before.length > 0) {
      const expressions = kept.map((col) => {
        const old = colById(pt, col.id);
        let expression = "?";
        if (nt.strict && storageOf[old.kind] !== storageOf[col.kind]) expression = `CAST(? AS ${storageOf[col.kind]})`;
        if (!old.notNull && col.notNull && col.dflt) expression = `IFNULL(${expression}, ${defaultSql(col.dflt)})`;
        return expression;
      });
      expressions.push(...added.map((col) => (col.dflt ? defaultSql(col.dflt) : "NULL")));
      const out = conversions.storeRows(
        columns.map((col) => storageOf[col.kind]),
        nt.strict,
        expressions,
        values,
      );
      converted = before.map((row, at) => (rowid ? [row[0], ...out[at]] : out[at]));
    }
    const sequence = pt.pk?.autoinc && nt.pk?.autoinc ? sequenceOf(db, pt.name) : undefined;
    tables.push({ name: nt.name, read: columns.map((col) => col.name), rowid, rows: converted.map(encodeRow).sort(), sequence });
  }
  return tables;
}

/** What differs between the expected tables and the database after the migration, one line each; empty when none. */
export function rowDifferences(db: SqliteDatabase, expected: readonly ExpectedTable[]): string[] {
  const problems: string[] = [];
  for (const table of expected) {
    const actual = readExactRows(db, table.name, table.read, table.rowid).map(encodeRow).sort();
    if (JSON.stringify(actual) !== JSON.stringify(table.rows)) {
      const missing = table.rows.filter((row) => !actual.includes(row)).map(shortRow);
      const extra = actual.filter((row) => !table.rows.includes(row)).map(shortRow);
      problems.push(
        `rows of ${table.name} (${[table.rowid ? "rowid" : "", ...table.read].filter(Boolean).join(", ")}) changed: expected ${table.rows.length}, found ${actual.length}; missing: ${missing.join(" ")}; unexpected: ${extra.join(" ")}`,
      );
    }
    if (table.sequence !== undefined) {
      const after = sequenceOf(db, table.name);
      if (after === undefined || after < table.sequence)
        problems.push(`the AUTOINCREMENT counter of ${table.name} went down: ${table.sequence} → ${after ?? "(none)"}`);
    }
  }
  return problems;
}

const encodeRow = (row: readonly SqlValue[]) => JSON.stringify(row.map(encodeValue));

function defaultSql(dflt: Dflt): string {
  if ("sql" in dflt) return `(${dflt.sql})`;
  if (typeof dflt.value === "boolean") return dflt.value ? "1" : "0";
  if (typeof dflt.value === "number") return String(dflt.value);
  return `'${dflt.value.replaceAll("'", "''")}'`;
}

function sequenceOf(db: SqliteDatabase, table: string): number | undefined {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get()) return undefined;
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").get(table) as { seq: number } | undefined;
  return row?.seq;
}
