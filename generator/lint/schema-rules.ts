// Lint rules on the schema as it is: keys, foreign keys and their indexes, redundant indexes, names, and tables
// that two databases define differently. Each rule is a function of the models; silencers are applied by lint.ts.
import { sameValue } from "../model/same-value.js";
import { isSqliteKeyword } from "../model/identifiers.js";
import { isUniqueKey } from "../model/keys.js";
import type { Database, ForeignKey, Index, Table } from "../model/model.js";
import { maxColumnsPerTable } from "../model/validate.js";
import type { LintFinding } from "../model/finding.js";
import { finding } from "./finding.js";

export function schemaFindings(models: readonly Database[]): LintFinding[] {
  return [...models.flatMap(databaseFindings), ...tablesInTwoDatabases(models)];
}

function databaseFindings(model: Database): LintFinding[] {
  // SQLite finds a parent table by its name without case.
  const tables = new Map(model.tables.map((table) => [table.name.toLowerCase(), table]));
  return model.tables.flatMap((table) => {
    const where = { database: model.name, table: table.name };
    return [
      ...(table.primaryKey
        ? []
        : [
            finding(
              "table-without-primary-key",
              where,
              "has no primary key: rows are told apart only by a rowid that VACUUM may renumber, and nothing stops duplicates",
              "declare one: .primaryKey() on a column, or primaryKey: [...] in the table's options",
            ),
          ]),
      ...table.foreignKeys.flatMap((key) => {
        const parent = tables.get(key.table.toLowerCase());
        const found: LintFinding[] = [];
        // Without a parent there is no delete to slow down; foreign-key-to-missing-table says what is wrong.
        if (parent && !leadsAnIndex(table, key.columns)) {
          found.push(
            finding(
              "foreign-key-without-index",
              { ...where, column: key.columns.join(", ") },
              `references ${key.table}(${key.refColumns.join(", ")}), but no index starts with ${key.columns.join(", ")}: every delete or key update in ${key.table} scans ${table.name}`,
              `add index("idx_${table.name}_${key.columns.join("_")}").on(${key.columns.map((column) => JSON.stringify(column)).join(", ")})`,
            ),
          );
        }
        found.push(...foreignKeyWithoutParentKey(model, table, key, parent));
        found.push(...notNullSetNull(model, table, key));
        return found;
      }),
      ...redundantIndexes(model, table),
      ...(table.columns.length > maxColumnsPerTable
        ? [
            finding(
              "too-many-columns",
              where,
              `has ${table.columns.length} columns; D1 refuses a table with more than ${maxColumnsPerTable}`,
              "split the table",
            ),
          ]
        : []),
      ...keywordNames(model, table),
    ];
  });
}

/** Plain column lists (up to an expression part, no WHERE) of the table's keys and indexes, each in its order. */
function columnLists(table: Table): string[][] {
  const lists: string[][] = [];
  if (table.primaryKey) lists.push(table.primaryKey.columns);
  for (const unique of table.uniques) lists.push(unique.columns);
  for (const index of table.indexes) {
    if (index.where !== undefined) continue;
    const columns = leadingColumns(index);
    if (columns.length > 0) lists.push(columns);
  }
  return lists;
}

/** The index's columns up to its first expression part. */
function leadingColumns(index: Index): string[] {
  const columns: string[] = [];
  for (const part of index.parts) {
    if (!("column" in part)) break;
    columns.push(part.column);
  }
  return columns;
}

/** SQLite can find a foreign key's rows by an index whose first columns are the key's columns, in any order. */
function leadsAnIndex(table: Table, columns: readonly string[]): boolean {
  const wanted = new Set(columns);
  return columnLists(table).some((columns) => columns.length >= wanted.size && columns.slice(0, wanted.size).every((column) => wanted.has(column)));
}

/** A non-unique index whose columns begin (or equal) another index's: every query it serves, the longer one serves. */
function redundantIndexes(model: Database, table: Table): LintFinding[] {
  const plain = table.indexes.filter(
    (index) => index.where === undefined && index.parts.every((part) => "column" in part && part.order === undefined && part.collate === undefined),
  );
  const found: LintFinding[] = [];
  for (const index of plain.filter((candidate) => !candidate.unique)) {
    const columns = leadingColumns(index);
    const longer = plain.find(
      (other) =>
        other !== index &&
        leadingColumns(other).length >= columns.length &&
        columns.every((column, position) => leadingColumns(other)[position] === column) &&
        // Of two equal indexes, report the later name only.
        (leadingColumns(other).length > columns.length || other.unique || other.name < index.name),
    );
    if (longer) {
      found.push(
        finding(
          "index-prefix-of-another",
          { database: model.name, table: table.name },
          `index ${index.name} (${columns.join(", ")}) is a prefix of ${longer.name} (${leadingColumns(longer).join(", ")}): it costs every write and serves no query the other cannot`,
          `remove index ${index.name} from the table's indexes`,
        ),
      );
    }
  }
  return found;
}

function keywordNames(model: Database, table: Table): LintFinding[] {
  const fix = "rename it (with renamedFrom) if hand-written SQL touches it; generated SQL always quotes it";
  const where = { database: model.name, table: table.name };
  return [
    ...(isSqliteKeyword(table.name)
      ? [finding("keyword-identifier", where, `the table is named ${table.name}, an SQLite keyword: every hand-written query must quote it`, fix)]
      : []),
    ...table.columns
      .filter((column) => isSqliteKeyword(column.name))
      .map((column) =>
        finding(
          "keyword-identifier",
          { ...where, column: column.name },
          `the column is named ${column.name}, an SQLite keyword: every hand-written query must quote it`,
          fix,
        ),
      ),
    ...table.indexes
      .filter((index) => isSqliteKeyword(index.name))
      .map((index) => finding("keyword-identifier", where, `index ${index.name} is named like an SQLite keyword`, fix)),
  ];
}

/** What SQL makes of a table: its definition without descriptions, deprecations, history and silencers. */
function definitionOf(table: Table): unknown {
  const { description: _description, deprecated: _deprecated, createdIn: _createdIn, renamedFrom: _renamedFrom, lint: _lint, ...sql } = table;
  return { ...sql, columns: table.columns.map(({ description: _d, deprecated: _x, renamedFrom: _r, tsType: _t, ...column }) => column) };
}

function tablesInTwoDatabases(models: readonly Database[]): LintFinding[] {
  const byName = new Map<string, { model: Database; table: Table }[]>();
  for (const model of models) for (const table of model.tables) byName.set(table.name, [...(byName.get(table.name) ?? []), { model, table }]);
  return [...byName.values()]
    .filter((copies) => copies.length > 1 && copies.some((copy) => !sameValue(definitionOf(copy.table), definitionOf(copies[0].table))))
    .flatMap((copies) =>
      copies.map(({ model, table }) =>
        finding(
          "table-in-two-databases",
          { database: model.name, table: table.name },
          `is also defined, differently, in ${copies
            .filter((copy) => copy.model !== model)
            .map((copy) => copy.model.name)
            .join(", ")}: code that reads the wrong database sees other rows`,
          'keep one canonical copy; mark the others deprecated: "why", move their readers, then drop them',
        ),
      ),
    );
}

/**
 * A NOT NULL column whose foreign key writes NULL into it (ON DELETE / ON UPDATE SET NULL, or SET DEFAULT with no
 * default): SQLite and D1 accept the table, and every delete (or key update) of a referenced parent row then fails.
 * Valid, and a schema D1 may already run (so pull adopts it), but most likely a mistake.
 */
function notNullSetNull(model: Database, table: Table, key: ForeignKey): LintFinding[] {
  const target = `${key.table}(${key.refColumns.join(", ")})`;
  return key.columns.flatMap((name) => {
    const column = table.columns.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!column?.notNull) return [];
    return (
      [
        ["DELETE", key.onDelete],
        ["UPDATE", key.onUpdate],
      ] as const
    ).flatMap(([event, action]) => {
      const writesNull = action === "SET NULL" || (action === "SET DEFAULT" && (column.default === undefined || column.default.sql.toUpperCase() === "NULL"));
      return writesNull
        ? [
            finding(
              "not-null-set-null",
              { database: model.name, table: table.name, column: column.name },
              `is NOT NULL but its foreign key to ${target} is ON ${event} ${action}${action === "SET DEFAULT" ? " with no default" : ""}: every ${event.toLowerCase()} of a referenced ${key.table} row fails`,
              `drop .notNull(), give the column a default, or choose another ON ${event} action`,
            ),
          ]
        : [];
    });
  });
}

/**
 * A foreign key SQLite cannot use: to a table the database lacks, to a column the parent lacks, or to columns that are
 * not the parent's primary key or UNIQUE. SQLite and D1 accept the CREATE TABLE, so a database may run it today (pull
 * adopts it), but they refuse every write to the child table, whatever its key holds (NULL too), and deletes, key
 * updates and many-row inserts in the parent; a rebuild cannot copy rows into either table. An error: such a table is
 * broken, not merely odd; a team that keeps it on purpose silences the rule for the table with its reason.
 */
function foreignKeyWithoutParentKey(model: Database, table: Table, key: ForeignKey, parent: Table | undefined): LintFinding[] {
  const where = { database: model.name, table: table.name, column: key.columns.join(", ") };
  const target = `${key.table}(${key.refColumns.join(", ")})`;
  if (!parent) {
    return [
      finding(
        "foreign-key-to-missing-table",
        where,
        `references ${target}, but the database has no table ${key.table}: SQLite fails every write to ${table.name} with "no such table: main.${key.table}"`,
        `define ${key.table} in this database or fix the name (foreign keys cannot cross databases), or drop the foreign key`,
      ),
    ];
  }
  if (isUniqueKey(parent, key.refColumns)) return [];
  const columns = new Set(parent.columns.map((column) => column.name.toLowerCase()));
  const missing = key.refColumns.filter((name) => !columns.has(name.toLowerCase()));
  const problem = missing.length > 0 ? `but ${parent.name} has no column ${missing.join(", ")}` : `which is neither its primary key nor UNIQUE`;
  const unique = `uniqueIndex("${parent.name}_${key.refColumns.join("_")}_key").on(${key.refColumns.map((column) => JSON.stringify(column)).join(", ")})`;
  return [
    finding(
      "foreign-key-to-non-unique",
      where,
      `references ${target}, ${problem}: SQLite fails every write to ${table.name}, and deletes, key updates and many-row inserts in ${parent.name}, with "foreign key mismatch"`,
      missing.length > 0
        ? `fix the referenced column name, or reference ${parent.name}'s primary key`
        : `add ${unique} to ${parent.name}'s indexes (a CREATE UNIQUE INDEX: no rebuild, once no two rows repeat the key), or reference ${parent.name}'s primary key`,
    ),
  ];
}
