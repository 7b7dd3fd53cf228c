// Step → one SQL statement (unformatted, no semicolon). The only place that knows how each step is spelled.
import { quoteIdentifier as q, sqlLiteral } from "../model/identifiers.js";
import type { Step } from "../plan/steps.js";
import { renderColumnDefinition, renderCreateIndex, renderCreateTable } from "./ddl.js";
import { renderCreateTrigger, renderCreateView, renderCreateVirtualTable } from "./objects.js";

/** The column of a backup table that keeps a row's hidden rowid. */
export const backupRowidColumn = "__d1s_rowid";

export function renderStep(step: Step): string {
  switch (step.kind) {
    case "deferForeignKeys":
      return "PRAGMA defer_foreign_keys = on";
    case "createTable":
      return renderCreateTable(step.table, step);
    case "dropTable":
      return `DROP TABLE ${q(step.table)}`;
    case "renameTable":
      return `ALTER TABLE ${q(step.from)} RENAME TO ${q(step.to)}`;
    case "addColumn":
      return `ALTER TABLE ${q(step.table.name)} ADD COLUMN ${renderColumnDefinition(step.table, step.column)}`;
    case "dropColumn":
      return `ALTER TABLE ${q(step.table)} DROP COLUMN ${q(step.column)}`;
    case "renameColumn":
      return `ALTER TABLE ${q(step.table)} RENAME COLUMN ${q(step.from)} TO ${q(step.to)}`;
    case "createIndex":
      return renderCreateIndex(step.table, step.index, step);
    case "dropIndex":
      return `DROP INDEX ${q(step.index)}`;
    case "backupTable":
      return `CREATE TABLE ${q(step.backup)} AS SELECT ${step.rowid ? `${step.rowid} AS ${backupRowidColumn}, ` : ""}* FROM ${q(step.table)}`;
    case "deleteRows":
      return `DELETE FROM ${q(step.table)}`;
    case "copyRows": {
      const targets = [...(step.rowid ? [step.rowid] : []), ...step.columns.map((column) => q(column.column))];
      const sources = [...(step.rowid ? [backupRowidColumn] : []), ...step.columns.map((column) => column.expression)];
      return `INSERT ${step.orAbort ? "OR ABORT " : ""}INTO ${q(step.into)} (${targets.join(", ")}) SELECT ${sources.join(", ")} FROM ${q(step.from)}`;
    }
    case "backupSequences":
      return `CREATE TABLE ${q(step.backup)} AS SELECT name, seq FROM sqlite_sequence WHERE name IN (${step.tables.map(sqlLiteral).join(", ")})`;
    case "forgetSequences":
      return `DELETE FROM sqlite_sequence WHERE name IN (${step.tables.map(sqlLiteral).join(", ")})`;
    case "restoreSequences":
      return `INSERT INTO sqlite_sequence (name, seq) SELECT name, seq FROM ${q(step.backup)}`;
    case "createView":
      return renderCreateView(step.view, step);
    case "dropView":
      return `DROP VIEW ${q(step.view)}`;
    case "createTrigger":
      return renderCreateTrigger(step.trigger, step);
    case "dropTrigger":
      return `DROP TRIGGER ${q(step.trigger)}`;
    case "createVirtualTable":
      return renderCreateVirtualTable(step.table, step);
    case "dropVirtualTable":
      return `DROP TABLE ${q(step.table)}`;
    case "rebuildFtsIndex":
      return `INSERT INTO ${q(step.table)} (${q(step.table)}) VALUES ('rebuild')`;
    default: {
      const unknown: never = step;
      throw new Error(`unknown step ${JSON.stringify(unknown)}`);
    }
  }
}
