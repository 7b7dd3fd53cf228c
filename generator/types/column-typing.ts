// One column → its TypeScript types in rows, inserts and updates, its Kysely column type and its zod schema, as
// source text. Every generated declaration reads these, so a row, its zod schema, the insert and update types and
// the Kysely table cannot disagree about a column.
import { isRowidAlias } from "../model/declared-type.js";
import type { Column, LogicalType, SqlType, Table } from "../model/model.js";

export interface ColumnTyping {
  /** The value in a row as D1 returns it. */
  row: string;
  /** A zod schema of `row`. */
  zod: string;
  /**
   * What INSERT takes; absent for generated columns. A column left out for its default also takes `undefined`, as
   * Kysely's Insertable says (it matters under exactOptionalPropertyTypes); a nullable one takes null instead.
   */
  insert?: { type: string; optional: boolean };
  /** What UPDATE may set (any column may be left out, or given as undefined, as in Kysely's Updateable); absent for generated columns and the primary key. */
  update?: string;
  /** The column for Kysely, with its ColumnType/Generated/GeneratedAlways semantics; a key is not updated. */
  kysely: string;
}

/** The zod schema generated files declare once for JSON columns: text that parses as JSON. */
export const jsonTextSchemaName = "jsonText";

// D1 returns INTEGER, REAL and NUMERIC as numbers (no bigints) and a BLOB as an array of byte values; it binds
// an ArrayBuffer or a typed array as a BLOB and true/false as 1/0.
const readTypes: Record<SqlType, string> = { TEXT: "string", INTEGER: "number", REAL: "number", NUMERIC: "number", BLOB: "number[]" };
const writeTypes: Record<SqlType, string> = { TEXT: "string", INTEGER: "number", REAL: "number", NUMERIC: "number", BLOB: "ArrayBuffer | ArrayBufferView" };

const anyRead = `${readTypes.TEXT} | ${readTypes.REAL} | ${readTypes.BLOB}`;
const anyWrite = `${writeTypes.TEXT} | ${writeTypes.REAL} | ${writeTypes.BLOB}`;
const anyZod = `z.union([${zodOfStored("TEXT")}, ${zodOfStored("REAL")}, ${zodOfStored("BLOB")}])`;

export function columnTyping(table: Table, column: Column): ColumnTyping {
  const key = isPrimaryKeyColumn(table, column);
  // A primary key is never null here. An INTEGER PRIMARY KEY cannot be (NULL asks for a new rowid); another key
  // without NOT NULL could hold NULL in SQLite, but the insert type refuses null and the zod schema rejects it.
  const nullable = !column.notNull && !key;
  // A STRICT table's ANY column keeps every value as it was given: text, a number or a blob.
  const any = column.declaredType === "ANY";
  const row = orNull(any ? anyRead : readTypes[storedAs(column.logical)], nullable);
  const zod = `${any ? anyZod : zodOf(column.logical)}${nullable ? ".nullable()" : ""}`;
  if (column.generated) return { row, zod, kysely: `GeneratedAlways<${row}>` };
  const write = orNull(any ? anyWrite : column.logical === "boolean" ? "number | boolean" : writeTypes[storedAs(column.logical)], nullable);
  const optional = nullable || column.default !== undefined || isRowidAlias(table, column);
  const omittable = optional && !nullable;
  return {
    row,
    zod,
    insert: { type: omittable ? `${write} | undefined` : write, optional },
    ...(key ? {} : { update: `${write} | undefined` }),
    kysely: kyselyColumn(row, write, omittable, key ? undefined : write),
  };
}

/** Every Kysely helper type a column's type may use (kyselyColumn and columnTyping write no other). */
export const kyselyTypeNames = ["ColumnType", "Generated", "GeneratedAlways"] as const;

/** Kysely makes nullable columns optional on insert by itself; `undefined` marks the others that may be left out. */
function kyselyColumn(row: string, insert: string, omittable: boolean, update: string | undefined): string {
  if (insert === row && update === row) return omittable ? `Generated<${row}>` : row;
  return `ColumnType<${row}, ${omittable ? `${insert} | undefined` : insert}, ${update ?? "never"}>`;
}

function zodOf(logical: LogicalType): string {
  switch (logical) {
    case "text":
    case "timestamp_iso":
      return "z.string()";
    case "json":
      return jsonTextSchemaName;
    // z.int() also rejects numbers beyond 2^53, which have lost precision on their way out of D1.
    case "integer":
    case "timestamp_unix":
      return "z.int()";
    case "boolean":
      return "z.literal([0, 1])";
    case "real":
    case "numeric":
      return "z.number()";
    case "blob":
      return "z.array(z.int().min(0).max(255))";
    default: {
      const unknown: never = logical;
      throw new Error(`no zod schema for ${String(unknown)}`);
    }
  }
}

function zodOfStored(type: "TEXT" | "REAL" | "BLOB"): string {
  return zodOf(type === "TEXT" ? "text" : type === "REAL" ? "real" : "blob");
}

/**
 * What the values of a logical type are stored as, whatever the declared type's affinity: `boolean("BOOLEAN")` is
 * NUMERIC affinity and still holds integers, `timestamp("iso", "DATETIME")` holds text (model/declared-type.ts).
 */
function storedAs(logical: LogicalType): SqlType {
  switch (logical) {
    case "text":
    case "json":
    case "timestamp_iso":
      return "TEXT";
    case "integer":
    case "boolean":
    case "timestamp_unix":
      return "INTEGER";
    case "real":
      return "REAL";
    case "numeric":
      return "NUMERIC";
    case "blob":
      return "BLOB";
    default: {
      const unknown: never = logical;
      throw new Error(`no storage for ${String(unknown)}`);
    }
  }
}

function orNull(type: string, nullable: boolean): string {
  return nullable ? `${type} | null` : type;
}

function isPrimaryKeyColumn(table: Table, column: Column): boolean {
  return table.primaryKey?.columns.includes(column.name) ?? false;
}
