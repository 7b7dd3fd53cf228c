// DSL objects → the normalized model. Everything a user can write two ways is brought to one form here
// (a column-level UNIQUE or REFERENCES becomes a table constraint, defaults become SQL text, actions upper case),
// so that the differ compares like with like.
import type { ActionName, ColumnSpec, ConflictName } from "../dsl/column.js";
import type { DatabaseDefinition } from "../dsl/database.js";
import type { TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "../dsl/objects.js";
import type { TableDefinition } from "../dsl/table.js";
import { affinityOf, normalizeDeclaredType } from "./declared-type.js";
import { SchemaError, type ErrorLocation } from "./errors.js";
import { sqlLiteral } from "./identifiers.js";
import type { Column, ColumnDefault, ConflictAlgorithm, Database, ForeignKey, ReferentialAction, SqlType, Table } from "./model.js";
import { normalizeDefaultSql } from "./sql-fragment.js";
import { normalizeTrigger, normalizeView, normalizeVirtualTable, withObjects } from "./objects.js";

export function normalizeDatabase(
  folder: string,
  definition: DatabaseDefinition,
  tables: readonly TableDefinition[],
  objects?: { views: readonly ViewDefinition[]; triggers: readonly TriggerDefinition[]; virtualTables?: readonly VirtualTableDefinition[] },
): Database {
  const { options } = definition;
  const database: Database = {
    name: options.name,
    folder,
    bindings: options.bindings ?? [options.name],
    continueFrom: options.continueFrom ?? 0,
    ifNotExists: options.ifNotExists ?? true,
    tables: tables.map((definition) => normalizeTable(options.name, definition)).sort((a, b) => compareNames(a.name, b.name)),
  };
  if (!objects) return database;
  return withObjects(
    database,
    objects.views.map(normalizeView),
    objects.triggers.map(normalizeTrigger),
    (objects.virtualTables ?? []).map(normalizeVirtualTable),
  );
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalizeTable(database: string, definition: TableDefinition): Table {
  const { name, columns: builders, options } = definition.spec;
  const entries = Object.entries(builders);
  const columns = entries.map(([columnName, builder]) => normalizeColumn(database, name, columnName, builder.spec));
  const primaryKey = normalizePrimaryKey(database, name, entries, options.primaryKey);
  const uniques = [
    ...entries
      .filter(([, builder]) => builder.spec.unique)
      .map(([columnName, builder]) => dropUndefined({ columns: [columnName], onConflict: conflictOf(builder.spec.uniqueOnConflict) })),
    ...(options.unique ?? []).map((unique) =>
      Array.isArray(unique) ? { columns: [...unique] } : dropUndefined({ columns: [...unique.columns], onConflict: conflictOf(unique.onConflict) }),
    ),
  ];
  const checks = (options.checks ?? []).map((check) =>
    typeof check === "string" ? { expression: check } : { expression: check.expression, name: check.name },
  );
  const foreignKeys: ForeignKey[] = [
    ...entries.flatMap(([columnName, builder]) =>
      builder.spec.references.map((reference) => ({
        columns: [columnName],
        table: reference.table,
        refColumns: [reference.column],
        onDelete: normalizeAction(reference.onDelete),
        onUpdate: normalizeAction(reference.onUpdate),
        ...(reference.name === undefined ? {} : { name: reference.name }),
        ...(reference.deferred === true ? { deferred: true as const } : {}),
      })),
    ),
    ...(options.foreignKeys ?? []).map((foreignKey) => ({
      columns: [...foreignKey.columns],
      table: foreignKey.references.table,
      refColumns: [...foreignKey.references.columns],
      onDelete: normalizeAction(foreignKey.onDelete),
      onUpdate: normalizeAction(foreignKey.onUpdate),
      ...(foreignKey.name === undefined ? {} : { name: foreignKey.name }),
      ...(foreignKey.deferred === true ? { deferred: true as const } : {}),
    })),
  ];
  const indexes = (options.indexes ?? [])
    .map(({ spec }) => ({
      name: spec.name,
      unique: spec.unique,
      parts: spec.parts.map((part) => ({ ...part })),
      ...(spec.where === undefined ? {} : { where: spec.where.trim() }),
    }))
    .sort((a, b) => compareNames(a.name, b.name));
  return dropUndefined({
    name,
    columns,
    primaryKey,
    uniques,
    checks,
    foreignKeys,
    indexes,
    withoutRowid: options.withoutRowid ?? false,
    strict: options.strict ?? false,
    description: options.description,
    deprecated: options.deprecated,
    createdIn: options.createdIn,
    renamedFrom: options.renamedFrom,
    lint: options.lint === undefined ? undefined : Object.fromEntries(Object.entries(options.lint).sort(([a], [b]) => compareNames(a, b))),
  });
}

function normalizePrimaryKey(
  database: string,
  table: string,
  entries: [string, { spec: ColumnSpec }][],
  compositeOption: string[] | { columns: string[]; onConflict?: ConflictName } | undefined,
): Table["primaryKey"] {
  const composite = Array.isArray(compositeOption) ? compositeOption : compositeOption?.columns;
  const compositeConflict = Array.isArray(compositeOption) ? undefined : conflictOf(compositeOption?.onConflict);
  const columnKeys = entries.filter(([, builder]) => builder.spec.primaryKey);
  if (composite && columnKeys.length > 0) {
    throw new SchemaError(
      { database, table, column: columnKeys[0][0] },
      "has a primary key on the column and a composite primaryKey option on the table",
      "keep one: remove .primaryKey() from the column or the table's primaryKey option",
    );
  }
  if (columnKeys.length > 1) {
    throw new SchemaError(
      { database, table, column: columnKeys[1][0] },
      `is a second .primaryKey() column (after ${columnKeys[0][0]})`,
      `a composite key is written on the table: primaryKey: [${columnKeys.map(([name]) => `"${name}"`).join(", ")}]`,
    );
  }
  if (composite) return dropUndefined({ columns: [...composite], autoincrement: false, onConflict: compositeConflict });
  if (columnKeys.length === 1) {
    const [columnName, builder] = columnKeys[0];
    return dropUndefined({
      columns: [columnName],
      autoincrement: builder.spec.autoincrement,
      desc: builder.spec.primaryKeyDesc === true ? (true as const) : undefined,
      onConflict: conflictOf(builder.spec.primaryKeyOnConflict),
    });
  }
  return undefined;
}

function normalizeColumn(database: string, table: string, name: string, spec: ColumnSpec): Column {
  // The declared type decides the affinity; one that is just the affinity's name is not recorded (declared-type.ts).
  const declared = spec.declaredType === undefined ? undefined : normalizeDeclaredType(spec.declaredType);
  const type = declared === undefined ? spec.type : affinityOf(declared);
  return dropUndefined({
    name,
    type,
    declaredType: declared === type ? undefined : declared,
    logical: spec.logical,
    tsType: spec.tsType,
    // A primary key column of a rowid table may hold NULL in SQLite (a legacy quirk); we record what was written.
    notNull: spec.notNull,
    notNullOnConflict: spec.notNull ? conflictOf(spec.notNullOnConflict) : undefined,
    default: normalizeDefault({ database, table, column: name }, spec, type),
    check: spec.check?.trim(),
    checkName: spec.checkName,
    collate: spec.collate,
    generated: spec.generated && { expression: spec.generated.expression.trim(), stored: spec.generated.stored },
    description: spec.description,
    deprecated: spec.deprecated,
    renamedFrom: spec.renamedFrom,
    backfill: spec.backfill?.trim(),
    convertedFrom: spec.convertedFrom && { type: spec.convertedFrom.type.toUpperCase() as SqlType, sql: spec.convertedFrom.sql.trim() },
  });
}

function normalizeDefault(location: ErrorLocation, spec: ColumnSpec, type: SqlType): ColumnDefault | undefined {
  if (spec.default === undefined) return undefined;
  if ("sql" in spec.default) return normalizeDefaultSql(spec.default.sql);
  const { value } = spec.default;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new SchemaError(location, `has the default ${value}, which SQL cannot store`, "use a finite number");
  }
  // Past 2^53 a JavaScript number no longer holds every integer: the schema file's digits were rounded before
  // the DSL saw them. A REAL column stores a double anyway, so only it takes such a number as it is.
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && type !== "REAL") {
    throw new SchemaError(
      location,
      `has the default ${value}, an integer beyond 2^53 that JavaScript has already rounded (to ${BigInt(value)})`,
      "use a bigint literal: the digits followed by n, e.g. .default(9007199254740993n)",
    );
  }
  if (typeof value === "bigint" && BigInt.asIntN(64, value) !== value) {
    throw new SchemaError(
      location,
      `has the default ${value}n, outside SQLite's 64-bit integers (-2^63 to 2^63 - 1), so SQLite would store it as a REAL and lose digits`,
      `keep it as text: a text() column with .default("${value}")`,
    );
  }
  return { sql: sqlLiteral(value), constant: true };
}

function conflictOf(name: ConflictName | undefined): ConflictAlgorithm | undefined {
  return name === undefined ? undefined : (name.toUpperCase() as ConflictAlgorithm);
}

function normalizeAction(action: ActionName | undefined): ReferentialAction {
  return (action ?? "NO ACTION").toUpperCase() as ReferentialAction;
}

/** Removes keys whose value is undefined so snapshots hold no noise and compare by value. */
export function dropUndefined<T extends object>(value: T): T {
  // A loop rather than Object.entries and fromEntries: at thousands of tables, their arrays cost a tenth of a second.
  const defined: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) defined[key] = value[key];
  return defined as T;
}
