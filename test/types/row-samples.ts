// Representative rows for any model, and the check that every row read back parses with the generated zod schema.
// Written for any schema (the lead runs it over every ClearLift table), so it needs nothing but the model.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ZodType } from "zod";
import { quoteIdentifier } from "../../generator/model/identifiers.js";
import type { Column, Database, Table } from "../../generator/model/model.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { columnTyping } from "../../generator/types/column-typing.js";
import { tableTypeNames } from "../../generator/types/names.js";

export type SqliteValue = string | number | Buffer | null;

const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * Two rows a table: one with every writable column set, one with only what its insert type requires (defaults
 * and NULLs fill the rest). Every value carries the row's number, so UNIQUE columns and keys stay distinct.
 */
export function sampleRows(table: Table): Record<string, SqliteValue>[] {
  const writable = table.columns.filter((column) => columnTyping(table, column).insert);
  const required = writable.filter((column) => !columnTyping(table, column).insert?.optional);
  return [rowOf(writable, 1), rowOf(required, 2)];
}

function rowOf(columns: Column[], n: number): Record<string, SqliteValue> {
  return Object.fromEntries(columns.map((column) => [column.name, sampleValue(column, n)]));
}

function sampleValue(column: Column, n: number): SqliteValue {
  switch (column.logical) {
    case "text":
      return `${column.name} ${n}`;
    case "json":
      return JSON.stringify({ sample: n });
    case "timestamp_iso":
      return new Date(Date.UTC(2024, 0, n, 12)).toISOString();
    case "timestamp_unix":
      return 1_700_000_000 + n;
    case "integer":
      return n;
    case "boolean":
      return n % 2;
    case "real":
    case "numeric":
      return n + 0.5;
    case "blob":
      return Buffer.from([n, 0, 255]);
    default: {
      const unknown: never = column.logical;
      throw new Error(`no sample for ${String(unknown)}`);
    }
  }
}

/**
 * Inserts `sampleRows` into every table. Foreign keys and CHECKs are switched off: the rows exist to be read back
 * and typed, and a generic sample cannot know which parent ids or enumerated values a schema expects.
 */
export function insertSampleRows(db: SqliteDatabase, model: Database): void {
  db.pragma("foreign_keys = OFF");
  db.pragma("ignore_check_constraints = ON");
  for (const table of model.tables) {
    for (const row of sampleRows(table)) {
      const names = Object.keys(row);
      const sql =
        names.length === 0
          ? `INSERT INTO ${quoteIdentifier(table.name)} DEFAULT VALUES`
          : `INSERT INTO ${quoteIdentifier(table.name)} (${names.map(quoteIdentifier).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
      db.prepare(sql).run(...Object.values(row));
    }
  }
}

/** Every row of a table as D1 would return it: better-sqlite3 gives a BLOB as a Buffer, D1 as an array of bytes. */
export function readRowsLikeD1(db: SqliteDatabase, table: string): Record<string, unknown>[] {
  const rows = db.prepare(`SELECT * FROM ${quoteIdentifier(table)}`).all() as Record<string, unknown>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Buffer.isBuffer(value) ? [...value] : value])));
}

/** What failed to parse, as `table: issues`; empty when every row of every table parses with its zod schema. */
export function rowsFailingTheirSchema(db: SqliteDatabase, model: Database, generated: Record<string, unknown>): string[] {
  const failures: string[] = [];
  for (const table of model.tables) {
    const schema = generated[tableTypeNames(table).rowSchema] as ZodType | undefined;
    if (!schema) {
      failures.push(`${table.name}: the generated module has no ${tableTypeNames(table).rowSchema}`);
      continue;
    }
    for (const row of readRowsLikeD1(db, table.name)) {
      const result = schema.safeParse(row);
      if (!result.success) failures.push(`${table.name}: ${JSON.stringify(result.error.issues)} in ${JSON.stringify(row)}`);
    }
  }
  return failures;
}

/**
 * Imports a generated module's source, as app code would import the file. It is written under the repository's
 * ignored .tmp/ so that its `zod` import resolves to this repository's node_modules, and removed once loaded.
 */
export async function importGeneratedModule(source: string, fileName = "generated.ts"): Promise<Record<string, unknown>> {
  await mkdir(path.join(repoRoot, ".tmp"), { recursive: true });
  const dir = await mkdtemp(path.join(repoRoot, ".tmp", "types-"));
  const file = path.join(dir, fileName);
  try {
    await writeFile(file, source);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
