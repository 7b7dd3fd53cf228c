// Model → DDL statements (unformatted, without the trailing semicolon). Single-column keys, UNIQUEs and
// foreign keys are written on the column, as ClearLift writes them by hand; composite ones as table constraints.
import { declaredTypeOf } from "../model/declared-type.js";
import { quoteIdentifier as q } from "../model/identifiers.js";
import type { Column, ConflictAlgorithm, ForeignKey, Index, IndexPart, Table } from "../model/model.js";

export interface CreateOptions {
  ifNotExists: boolean;
}

export function renderCreateTable(table: Table, options: CreateOptions): string {
  const lines = [...table.columns.map((column) => renderColumnDefinition(table, column)), ...tableConstraints(table)];
  const tableOptions = [table.withoutRowid ? "WITHOUT ROWID" : "", table.strict ? "STRICT" : ""].filter(Boolean);
  return (
    `CREATE TABLE ${options.ifNotExists ? "IF NOT EXISTS " : ""}${q(table.name)} (${lines.join(", ")})` +
    (tableOptions.length > 0 ? ` ${tableOptions.join(", ")}` : "")
  );
}

/** A column as written in CREATE TABLE or ALTER TABLE ADD COLUMN, with its single-column constraints. */
export function renderColumnDefinition(table: Table, column: Column): string {
  // A column declared without a type (`blob("")`) is written without one.
  const parts = [q(column.name), declaredTypeOf(column)].filter((part) => part !== "");
  const key = table.primaryKey;
  if (key && key.columns.length === 1 && key.columns[0] === column.name) {
    parts.push(`PRIMARY KEY${key.desc ? " DESC" : ""}${onConflict(key.onConflict)}${key.autoincrement ? " AUTOINCREMENT" : ""}`);
  }
  if (column.notNull) parts.push(`NOT NULL${onConflict(column.notNullOnConflict)}`);
  const unique = table.uniques.find((candidate) => candidate.columns.length === 1 && candidate.columns[0] === column.name);
  if (unique) parts.push(`UNIQUE${onConflict(unique.onConflict)}`);
  if (column.default) parts.push(`DEFAULT ${column.default.sql}`);
  if (column.check !== undefined) parts.push(`${constraintName(column.checkName)}CHECK (${column.check})`);
  if (column.collate !== undefined) parts.push(`COLLATE ${column.collate}`);
  if (column.generated) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`);
  }
  for (const foreignKey of table.foreignKeys) {
    if (foreignKey.columns.length === 1 && foreignKey.columns[0] === column.name) {
      parts.push(`${constraintName(foreignKey.name)}${renderReferences(foreignKey)}`);
    }
  }
  return parts.join(" ");
}

function tableConstraints(table: Table): string[] {
  const constraints: string[] = [];
  if (table.primaryKey && table.primaryKey.columns.length > 1) {
    constraints.push(`PRIMARY KEY (${table.primaryKey.columns.map(q).join(", ")})${onConflict(table.primaryKey.onConflict)}`);
  }
  for (const unique of table.uniques) {
    if (unique.columns.length > 1) constraints.push(`UNIQUE (${unique.columns.map(q).join(", ")})${onConflict(unique.onConflict)}`);
  }
  for (const check of table.checks) constraints.push(`${constraintName(check.name)}CHECK (${check.expression})`);
  for (const foreignKey of table.foreignKeys) {
    if (foreignKey.columns.length > 1) {
      constraints.push(`${constraintName(foreignKey.name)}FOREIGN KEY (${foreignKey.columns.map(q).join(", ")}) ${renderReferences(foreignKey)}`);
    }
  }
  return constraints;
}

/** ` ON CONFLICT REPLACE` after a constraint that has the clause, nothing otherwise. */
function onConflict(algorithm: ConflictAlgorithm | undefined): string {
  return algorithm === undefined ? "" : ` ON CONFLICT ${algorithm}`;
}

/** `CONSTRAINT name ` before a named constraint, nothing before an unnamed one. */
function constraintName(name: string | undefined): string {
  return name === undefined ? "" : `CONSTRAINT ${q(name)} `;
}

function renderReferences(foreignKey: ForeignKey): string {
  const parts = [`REFERENCES ${q(foreignKey.table)} (${foreignKey.refColumns.map(q).join(", ")})`];
  if (foreignKey.onDelete !== "NO ACTION") parts.push(`ON DELETE ${foreignKey.onDelete}`);
  if (foreignKey.onUpdate !== "NO ACTION") parts.push(`ON UPDATE ${foreignKey.onUpdate}`);
  if (foreignKey.deferred) parts.push("DEFERRABLE INITIALLY DEFERRED");
  return parts.join(" ");
}

export function renderCreateIndex(table: Table, index: Index, options: CreateOptions): string {
  const head = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${options.ifNotExists ? "IF NOT EXISTS " : ""}${q(index.name)}`;
  const where = index.where === undefined ? "" : ` WHERE ${index.where}`;
  return `${head} ON ${q(table.name)} (${index.parts.map(renderIndexPart).join(", ")})${where}`;
}

function renderIndexPart(part: IndexPart): string {
  if ("expression" in part) return `(${part.expression})`;
  return [q(part.column), part.collate ? `COLLATE ${part.collate}` : "", part.order ?? ""].filter(Boolean).join(" ");
}
