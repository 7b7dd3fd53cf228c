// Values read from SQLite exactly, for comparisons that must see every difference: integers as bigint (every digit
// up to ±2^63), reals as doubles, text with its NUL characters (quote() stops at the first one), blobs byte by byte.
import { inspect } from "node:util";
import Database from "better-sqlite3";
import type { SqlType } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";

/** A value as better-sqlite3 reads it with safeIntegers: one per storage class. */
export type SqlValue = null | bigint | number | string | Buffer;

/** A value as text that differs whenever the value or its storage class does. */
export function encodeValue(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "bigint") return value.toString();
  // A REAL, even when integral: 3.0 and 3 are different values to SQLite.
  if (typeof value === "number") return `real(${Object.is(value, -0) ? "-0" : String(value)})`;
  if (typeof value === "string") return JSON.stringify(value);
  if (Buffer.isBuffer(value)) return `x'${value.toString("hex")}'`;
  throw new Error(`not an SQLite value: ${inspect(value)}`);
}

/** An encoded row for a report: long values shortened to their start and length. */
export function shortRow(encoded: string): string {
  return encoded.length <= 300 ? encoded : `${encoded.slice(0, 200)}… (${encoded.length} characters)`;
}

/** The rows of `table`: its hidden rowid first when `rowid`, then `columns`, in storage order. */
export function readExactRows(db: SqliteDatabase, table: string, columns: readonly string[], rowid: boolean): SqlValue[][] {
  const selected = [...(rowid ? ["_rowid_"] : []), ...columns.map((name) => `"${name}"`)];
  if (selected.length === 0)
    return db
      .prepare(`SELECT 1 FROM "${table}"`)
      .raw()
      .all()
      .map(() => []);
  return db
    .prepare(`SELECT ${selected.join(", ")} FROM "${table}"`)
    .safeIntegers(true)
    .raw()
    .all() as SqlValue[][];
}

/**
 * A scratch database that answers how SQLite stores values: what a column of a type makes of a value (its affinity,
 * or CAST in a STRICT table, as a rebuild copies them), and whether the stored value still says what the old one did.
 */
export class Conversions {
  private readonly db = new Database(":memory:");
  private readonly tables = new Set<string>();

  close(): void {
    this.db.close();
  }

  /**
   * The rows as a fresh table with these column types stores them, each inserted as VALUES (`expressions`), whose ?
   * parameters take the row's values in order.
   */
  storeRows(types: readonly SqlType[], strict: boolean, expressions: readonly string[], rows: readonly SqlValue[][]): SqlValue[][] {
    this.db.exec(`DROP TABLE IF EXISTS expected; CREATE TABLE expected (${types.map((type, at) => `k${at} ${type}`).join(", ")})${strict ? " STRICT" : ""}`);
    const insert = this.db.prepare(`INSERT INTO expected VALUES (${expressions.join(", ")})`);
    for (const row of rows) insert.run(...row);
    return this.db.prepare(`SELECT * FROM expected ORDER BY rowid`).safeIntegers(true).raw().all() as SqlValue[][];
  }

  /** `value` as a column of `type` stores it: affinity, or CAST in a STRICT table. */
  store(value: SqlValue, type: SqlType, strict: boolean): SqlValue {
    if (strict) return this.get(`SELECT CAST(? AS ${type})`, value);
    const table = `affinity_${type.toLowerCase()}`;
    if (!this.tables.has(table)) {
      this.db.exec(`CREATE TABLE ${table} (v ${type})`);
      this.tables.add(table);
    }
    this.db.prepare(`DELETE FROM ${table}`).run();
    this.db.prepare(`INSERT INTO ${table} VALUES (?)`).run(value);
    return this.get(`SELECT v FROM ${table}`);
  }

  /**
   * Whether `after`, what a type change made of `before`, still holds it: stored back into the old type it gives
   * `before` again (affinity, or CAST where the new value is text or bytes, as CAST('12' AS INTEGER) reads '12'), or
   * it is a REAL equal to the integer `before` (affinity leaves -2^63 a REAL).
   */
  keeps(before: SqlValue, after: SqlValue, oldType: SqlType): boolean {
    const same = (value: SqlValue) => encodeValue(value) === encodeValue(before);
    if (same(this.store(after, oldType, false))) return true;
    if (typeof before === "bigint" && typeof after === "number") return Number.isInteger(after) && BigInt(after) === before;
    return (typeof after === "string" || Buffer.isBuffer(after)) && same(this.get(`SELECT CAST(? AS ${oldType})`, after));
  }

  private get(sql: string, ...values: SqlValue[]): SqlValue {
    return (
      this.db
        .prepare(sql)
        .safeIntegers(true)
        .raw()
        .get(...values) as SqlValue[]
    )[0];
  }
}
