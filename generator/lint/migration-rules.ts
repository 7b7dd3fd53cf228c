// Lint rules on the pending migration (what the next generate would write): what it destroys, the tables a
// rebuild copies and how many rows (from the local database), deprecated tables it writes, and, with the local
// database, a UNIQUE index over rows that repeat its key or NOT NULL over rows that hold NULL.
import { tableNameOf, type Change } from "../diff/changes.js";
import { quoteIdentifier } from "../model/identifiers.js";
import type { Column, Database, Index } from "../model/model.js";
import { describeLoss } from "../plan/losses.js";
import type { MigrationPlan } from "../plan/steps.js";
import type { SqliteDatabase } from "../sqlite/apply.js";
import type { LintFinding } from "../model/finding.js";
import { finding } from "./finding.js";

export interface PendingMigration {
  model: Database;
  /** The schema the migration starts from (the snapshot's): where new UNIQUE constraints are told from old ones. */
  previous?: Database;
  changes: readonly Change[];
  /** Undefined when the planner refused the changes (its refusal is reported on its own). */
  plan?: MigrationPlan;
  /** Local databases of the schema's bindings (read-only), for the rules that look at rows. */
  local?: { binding: string; db: SqliteDatabase }[];
}

/**
 * Rows a rebuild may copy on D1 within its 30-second request limit, by our estimate: each row is written twice
 * (to the backup and back) with its indexes. A guess to prompt a look at the numbers, not a measurement of D1.
 */
export const rebuildRowsWarning = 500_000;

export function migrationFindings(pending: PendingMigration): LintFinding[] {
  return [...destructive(pending), ...rebuilds(pending), ...deprecatedWritten(pending), ...uniqueOverDuplicates(pending), ...notNullOverNulls(pending)];
}

function destructive({ model, plan }: PendingMigration): LintFinding[] {
  return (plan?.losses ?? []).map((loss) =>
    finding(
      "destructive-change",
      { database: model.name },
      `the next migration ${describeLoss(loss)}`,
      "if it was renamed, say renamedFrom; if the loss is intended, generate --allow-destructive",
    ),
  );
}

function rebuilds({ model, plan, local }: PendingMigration): LintFinding[] {
  if (!plan?.rebuild) return [];
  const { rebuilt, carried: referencing } = plan.rebuild;
  const copied = [...rebuilt, ...referencing];
  const counts = (local ?? []).map(({ binding, db }) => ({ binding, rows: copied.reduce((sum, table) => sum + rowCount(db, table), 0) }));
  const largest = Math.max(0, ...counts.map((count) => count.rows));
  const rows =
    counts.length > 0
      ? ` It copies ${counts.map((count) => `${count.rows.toLocaleString("en-US")} rows in ${count.binding}`).join(", ")} (twice: out and back).`
      : " Row counts need --local.";
  return [
    finding(
      "rebuild",
      { database: model.name, table: rebuilt.join(", ") },
      `the next migration rebuilds ${rebuilt.join(", ")}${referencing.length > 0 ? ` and carries the rows of ${referencing.join(", ")}, which reference it` : ""}.${rows}${largest > rebuildRowsWarning ? ` Over ${rebuildRowsWarning.toLocaleString("en-US")} rows may exceed D1's 30-second request limit.` : ""}`,
      largest > rebuildRowsWarning
        ? "split the change so that fewer tables are rebuilt, or copy the rows in batches with your own migrations"
        : "review the copy; a column order or constraint change that is not needed avoids the rebuild",
    ),
  ];
}

function rowCount(db: SqliteDatabase, table: string): number {
  try {
    return (db.prepare(`SELECT count(*) AS rows FROM ${quoteIdentifier(table)}`).get() as { rows: number }).rows;
  } catch {
    return 0; // Not in this local database (yet).
  }
}

/** Changes that create or change a table (not drop from it): writing a deprecated table grows what should go. */
const writingKinds = new Set<Change["kind"]>(["createTable", "addColumn", "alterColumn", "alterTable", "createIndex", "renameColumn", "renameTable"]);

function deprecatedWritten({ model, changes }: PendingMigration): LintFinding[] {
  const tables = new Map(model.tables.map((table) => [table.name, table]));
  const written = [...new Set(changes.filter((change) => writingKinds.has(change.kind)).map(tableNameOf))];
  return written.flatMap((name) => {
    const deprecated = tables.get(name)?.deprecated;
    return deprecated
      ? [
          finding(
            "deprecated-table-written",
            { database: model.name, table: name },
            `is deprecated (${deprecated}), and the next migration creates or changes it`,
            "leave a deprecated table as it is until it is dropped, or lift the deprecation",
          ),
        ]
      : [];
  });
}

function uniqueOverDuplicates({ model, previous, changes, local }: PendingMigration): LintFinding[] {
  const created = new Set(changes.flatMap((change) => (change.kind === "createTable" ? [change.table.name] : [])));
  const keys = [
    ...changes.flatMap((change) =>
      change.kind === "createIndex" && change.index.unique && !created.has(change.table)
        ? [{ table: change.table, oldTable: change.table, index: change.index, what: `UNIQUE index ${change.index.name}` }]
        : [],
    ),
    ...newUniqueConstraints(model, previous, changes),
  ];
  return keys.flatMap(({ table, index, what, oldTable }) =>
    (local ?? []).flatMap(({ binding, db }) => {
      // The local database holds the table as it was: under its old name, with its columns' old names.
      const repeated = repeatedKeys(db, oldTable, index);
      return repeated > 0
        ? [
            finding(
              "unique-over-duplicates",
              { database: model.name, table },
              `${what} is added, but ${binding}'s local ${table} has ${repeated} key${repeated > 1 ? "s" : ""} that repeat: the migration fails there, and in production if it has them too`,
              "remove the duplicates first (in a migration of their own), or make the key non-unique",
            ),
          ]
        : [];
    }),
  );
}

/**
 * UNIQUE constraints (a column's .unique() or a table's unique: [...]) on kept tables that the previous schema did not
 * have, as indexes over the old table's column names, to count duplicates in the data as it is.
 */
function newUniqueConstraints(model: Database, previous: Database | undefined, changes: readonly Change[]) {
  if (!previous) return [];
  const oldTableName = new Map(changes.flatMap((change) => (change.kind === "renameTable" ? [[change.to, change.from] as const] : [])));
  return changes.flatMap((change) => {
    if (change.kind !== "alterTable" || !change.attributes.includes("uniques")) return [];
    const table = model.tables.find((candidate) => candidate.name === change.table);
    const oldName = oldTableName.get(change.table) ?? change.table;
    const old = previous.tables.find((candidate) => candidate.name === oldName);
    if (!table || !old) return [];
    const oldColumn = new Map(
      changes.flatMap((other) => (other.kind === "renameColumn" && other.table === change.table ? [[other.to, other.from] as const] : [])),
    );
    const keyOf = (columns: readonly string[]) => JSON.stringify(columns);
    const existing = new Set(old.uniques.map((unique) => keyOf(unique.columns)));
    return table.uniques
      .map((unique) => ({ columns: unique.columns, oldColumns: unique.columns.map((column) => oldColumn.get(column) ?? column) }))
      .filter(({ oldColumns }) => !existing.has(keyOf(oldColumns)) && oldColumns.every((column) => old.columns.some((candidate) => candidate.name === column)))
      .map(({ columns, oldColumns }) => ({
        table: change.table,
        oldTable: oldName,
        index: { name: "", unique: true, parts: oldColumns.map((column) => ({ column })) },
        what: `UNIQUE (${columns.join(", ")})`,
      }));
  });
}

/** Keys that more than one row holds; NULLs never collide in a UNIQUE index, so rows holding one are left out. */
function repeatedKeys(db: SqliteDatabase, table: string, index: Index): number {
  const parts = index.parts.map((part) => ("column" in part ? quoteIdentifier(part.column) : `(${part.expression})`));
  const where = [...parts.map((part) => `${part} IS NOT NULL`), ...(index.where ? [`(${index.where})`] : [])].join(" AND ");
  try {
    const sql = `SELECT count(*) AS keys FROM (SELECT 1 FROM ${quoteIdentifier(table)} WHERE ${where} GROUP BY ${parts.join(", ")} HAVING count(*) > 1)`;
    return (db.prepare(sql).get() as { keys: number }).keys;
  } catch {
    return 0; // The table or a column is not in this local database: nothing there to collide.
  }
}

function notNullOverNulls({ model, changes, local }: PendingMigration): LintFinding[] {
  // Columns a migration makes NOT NULL (or adds NOT NULL) with nothing to fill their empty rows with: the copy
  // fails on the first NULL, and D1 rolls the file back. Count those rows in each local database.
  const unfilled = (column: Column) => column.notNull && column.default === undefined && column.backfill === undefined && !column.generated;
  const checks = changes.flatMap((change) => {
    if (change.kind === "alterColumn" && !change.from.notNull && unfilled(change.to)) {
      return [
        { table: change.table, column: change.to.name, count: (db: SqliteDatabase) => nullCount(db, change.table, change.from.name), what: "hold NULL there" },
      ];
    }
    if (change.kind === "addColumn" && unfilled(change.column)) {
      return [{ table: change.table, column: change.column.name, count: (db: SqliteDatabase) => rowCount(db, change.table), what: "have no value for it" }];
    }
    return [];
  });
  return checks.flatMap((check) =>
    (local ?? []).flatMap(({ binding, db }) => {
      const rows = check.count(db);
      return rows > 0
        ? [
            finding(
              "not-null-over-nulls",
              { database: model.name, table: check.table, column: check.column },
              `becomes NOT NULL with no default or backfill, and ${rows} row${rows > 1 ? "s" : ""} of ${binding}'s local ${check.table} ${check.what}: the migration fails there (and changes nothing), and in production if it has such rows too`,
              `say how to fill them with .backfill("<SQL over the old row>") on the column, or fill them in a migration of their own first`,
            ),
          ]
        : [];
    }),
  );
}

function nullCount(db: SqliteDatabase, table: string, column: string): number {
  try {
    return (db.prepare(`SELECT count(*) AS nulls FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(column)} IS NULL`).get() as { nulls: number }).nulls;
  } catch {
    return 0;
  }
}
