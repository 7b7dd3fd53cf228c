// SQLite's ALTER TABLE limits (https://sqlite.org/lang_altertable.html). When a change is not allowed in place,
// the planner rebuilds the table instead; these functions say why not, for the migration's comment.
import type { Change } from "../diff/changes.js";
import type { Column, Table } from "../model/model.js";
import { isNullDefault, mentionsIdentifier } from "../model/sql-fragment.js";

/** Why `ALTER TABLE ADD COLUMN` cannot add `column` to `table` (its new definition), or undefined when it can. */
export function addColumnObstacle(table: Table, column: Column): string | undefined {
  const name = column.name;
  if (table.primaryKey?.columns.includes(name)) return "it is part of the primary key";
  if (table.uniques.some((unique) => unique.columns.includes(name))) return "it is UNIQUE";
  if (column.default && !column.default.constant) return `its default ${column.default.sql} is not a constant`;
  if (column.notNull && isNullDefault(column.default) && !column.generated) return "it is NOT NULL without a default";
  if (column.generated?.stored) return "it is a STORED generated column";
  const foreignKeys = table.foreignKeys.filter((foreignKey) => foreignKey.columns.includes(name));
  if (foreignKeys.some((foreignKey) => foreignKey.columns.length > 1)) return "it is part of a composite foreign key";
  if (foreignKeys.length > 0 && !isNullDefault(column.default)) return "it has a foreign key and a non-NULL default";
  return undefined;
}

/** Why `ALTER TABLE DROP COLUMN` cannot drop `column` from `table` (its old definition), or undefined when it can. */
export function dropColumnObstacle(table: Table, column: string): string | undefined {
  if (table.primaryKey?.columns.includes(column)) return "it is part of the primary key";
  if (table.uniques.some((unique) => unique.columns.includes(column))) return "it is UNIQUE";
  if (table.foreignKeys.some((foreignKey) => foreignKey.columns.includes(column))) return "it has a foreign key";
  const mentions = (sql: string | undefined) => sql !== undefined && mentionsIdentifier(sql, column);
  if (table.checks.some((check) => mentions(check.expression))) return "a table CHECK constraint uses it";
  for (const other of table.columns) {
    if (other.name === column) continue;
    if (mentions(other.check)) return `the CHECK of column ${other.name} uses it`;
    if (mentions(other.generated?.expression)) return `generated column ${other.name} uses it`;
  }
  return undefined;
}

/**
 * Old names of columns SQLite cannot rename in place: the INTEGER key of a WITHOUT ROWID table that a table UNIQUE
 * also names (SQLite 3.51 fails: "error in table after rename"). Such a rename happens in a rebuild instead.
 */
export function renamesOnlyInRebuild(from: Table, changes: readonly Change[]): Set<string> {
  const key = from.primaryKey?.columns;
  const stuck = changes.filter(
    (change) =>
      change.kind === "renameColumn" &&
      from.withoutRowid &&
      key?.length === 1 &&
      key[0] === change.from &&
      from.columns.find((column) => column.name === change.from)?.type === "INTEGER" &&
      from.uniques.some((unique) => unique.columns.includes(change.from)),
  );
  return new Set(stuck.map((change) => (change.kind === "renameColumn" ? change.from : "")));
}
