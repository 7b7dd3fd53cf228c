// A table as SQLite holds it, for deciding whether two tables are the same: its PRAGMA shape (shape.ts, what
// every proof compares) and the model introspection reads back from it (introspect.ts), which also sees what the
// PRAGMAs do not: CHECKs, COLLATE, generated expressions, AUTOINCREMENT, index expressions. Both sides of a
// comparison are read back through SQLite the same way, so the spelling of the SQL that built them cancels out.
import { canonicalJson } from "../model/canonical-json.js";
import { compareNames } from "../model/normalize.js";
import { describeShapeChanges } from "./shape-changes.js";
import { declaredTypeOf } from "../model/declared-type.js";
import type { Column, Database, Index, Table } from "../model/model.js";
import { planSchemaFromNothing } from "../plan/from-nothing.js";
import { renderStep } from "../render/statements.js";
import { applyLikeD1, type SqliteDatabase } from "./apply.js";
import { inspectTables, type TableShape } from "./shape.js";
import { introspectDatabase, type DatabaseIdentity } from "./introspect.js";
import { sqlComparisonKey } from "../model/sql-lexer.js";
import { inChunks } from "./schema-script.js";

export interface BuiltTable {
  shape: TableShape;
  /** The table as introspection reads it back (no metadata: logical types follow the storage type). */
  table: Table;
}

export interface BuiltTables {
  tables: Map<string, BuiltTable>;
  /** What introspection could not take over, as `table.column: what`. */
  notes: string[];
}

/** Every table of a database: its shape and its introspected definition, by name. */
export function builtTables(db: SqliteDatabase, identity: DatabaseIdentity): BuiltTables {
  const { database, notes } = introspectDatabase(db, identity);
  const shapes = new Map(inspectTables(db).map((shape) => [shape.name, shape]));
  const tables = new Map<string, BuiltTable>();
  for (const table of database.tables) {
    const shape = shapes.get(table.name);
    if (shape) tables.set(table.name, { shape, table });
  }
  return { tables, notes };
}

/** Every table of a model as its squash builds them (plan/from-nothing.ts), a chunk of tables a database (schema-script.ts). */
export function builtTablesOfModel(database: Database): BuiltTables {
  const groups = planSchemaFromNothing({ ...database, ifNotExists: false }).map(({ steps }) => steps.map(renderStep));
  const built: BuiltTables = { tables: new Map(), notes: [] };
  inChunks(groups, (db, chunk) => {
    applyLikeD1(db, chunk.flat().join(";\n"));
    const { tables, notes } = builtTables(db, database);
    for (const [name, table] of tables) built.tables.set(name, table);
    built.notes.push(...notes);
  });
  return built;
}

/** Two built tables are the same table: equal PRAGMA shapes and equal definitions. */
export function sameBuiltTable(a: BuiltTable, b: BuiltTable): boolean {
  return canonicalJson(a.shape) === canonicalJson(b.shape) && tableDefinitionKey(a.table) === tableDefinitionKey(b.table);
}

/**
 * What a table is to SQLite, as a comparison key: metadata left out, expressions as SQL comparison keys, the order
 * of constraints and indexes (which SQLite does not give back the same way for every spelling) left out.
 */
export function tableDefinitionKey(table: Table): string {
  const sorted = (items: readonly unknown[]) => items.map((item) => canonicalJson(item)).sort();
  return canonicalJson({
    name: table.name,
    columns: table.columns.map(columnDefinition),
    primaryKey: table.primaryKey,
    uniques: sorted(table.uniques),
    checks: sorted(table.checks.map((check) => [sqlComparisonKey(check.expression), check.name ?? null])),
    foreignKeys: sorted(table.foreignKeys),
    indexes: sorted(table.indexes.map(indexDefinition)),
    withoutRowid: table.withoutRowid,
    strict: table.strict,
  });
}

/** What a column is to SQLite, as a comparison key (its type, nullability, default, CHECK, COLLATE, generation). */
export function columnDefinitionKey(column: Column): string {
  return canonicalJson(columnDefinition(column));
}

export function indexDefinitionKey(index: Index): string {
  return canonicalJson(indexDefinition(index));
}

function columnDefinition(column: Column): unknown {
  return {
    name: column.name,
    type: declaredTypeOf(column),
    notNull: column.notNull,
    default: column.default && sqlComparisonKey(column.default.sql),
    check: column.check && sqlComparisonKey(column.check),
    checkName: column.checkName,
    collate: column.collate?.toUpperCase(),
    generated: column.generated && { expression: sqlComparisonKey(column.generated.expression), stored: column.generated.stored },
  };
}

function indexDefinition(index: Index): unknown {
  return {
    name: index.name,
    unique: index.unique,
    parts: index.parts.map((part) =>
      "expression" in part
        ? { expression: sqlComparisonKey(part.expression) }
        : { column: part.column, order: part.order === "DESC" ? "DESC" : "ASC", collate: part.collate?.toUpperCase() },
    ),
    where: index.where && sqlComparisonKey(index.where),
  };
}

/**
 * From `before` to `after`: what SQLite reports (tables, columns, keys, indexes), then the tables whose definitions
 * differ otherwise (a CHECK, COLLATE, generated column or index expression); empty when they are the same.
 */
export function describeBuiltTableChanges(before: BuiltTables, after: BuiltTables): string[] {
  const shapes = (tables: BuiltTables) => [...tables.tables.values()].map((table) => table.shape).sort((a, b) => compareNames(a.name, b.name));
  const changes = describeShapeChanges(shapes(before), shapes(after));
  for (const [name, table] of after.tables) {
    const old = before.tables.get(name);
    if (old && canonicalJson(old.shape) === canonicalJson(table.shape) && tableDefinitionKey(old.table) !== tableDefinitionKey(table.table)) {
      changes.push(`changes table ${name} (a CHECK, COLLATE, generated column or index expression)`);
    }
  }
  return changes;
}
