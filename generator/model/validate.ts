// Cross-checks that the model is a schema SQLite and D1 will accept and that a user meant. Every error names
// database.table.column and says how to fix it. The checks are plain lookups; SQLite itself proves the SQL later.
import { isLintRuleId, lintRules } from "./lint-rules.js";
import { SchemaError, type ErrorLocation } from "./errors.js";
import { identifierProblem, isPlainIdentifier, isReservedTableName, toolPrefix } from "./identifiers.js";
import { database as databaseSchema, type Column, type Database, type Table } from "./model.js";
import { sqlFragmentProblem } from "./sql-fragment.js";
import { validateObjects } from "./validate-objects.js";
import { affinitiesOf, affinityOf, affinityReason, constructorOf, declaredTypeOf, declaredTypeProblem, isStrictAny, strictTypeNames } from "./declared-type.js";

/** D1 rejects tables with more columns than this. */
export const maxColumnsPerTable = 100;
const allowedCollations = new Set(["BINARY", "NOCASE", "RTRIM"]);

export function validateDatabase(model: Database): SchemaError[] {
  const structural = structuralErrors(model);
  if (structural.length > 0) return structural;
  const parsed = databaseSchema.safeParse(model);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => {
      // Paths look like tables.3.columns.1.type: name the table and column instead of their positions.
      const table = typeof issue.path[1] === "number" ? model.tables[issue.path[1]] : undefined;
      const column = table && issue.path[2] === "columns" && typeof issue.path[3] === "number" ? table.columns[issue.path[3]] : undefined;
      const field = issue.path.slice(column ? 4 : table ? 2 : 0).join(".");
      return new SchemaError(
        { database: model.name, table: table?.name, column: column?.name },
        `has an invalid ${field || "value"}: ${issue.message}`,
        "fix the value in the schema file; the DSL's types show what is allowed",
      );
    });
  }
  const errors: SchemaError[] = [];
  const report = (location: ErrorLocation, problem: string, hint: string) => errors.push(new SchemaError({ database: model.name, ...location }, problem, hint));

  for (const binding of model.bindings) {
    if (!isPlainIdentifier(binding)) {
      report({}, `has the binding name "${binding}"`, "use letters, digits and underscores, as in wrangler.toml");
    }
  }
  checkUniqueNames(model, report);
  for (const table of model.tables) {
    validateTable(table, (location, problem, hint) => report({ table: table.name, ...location }, problem, hint));
  }
  validateObjects(model, report);
  return errors;
}

type Report = (location: ErrorLocation, problem: string, hint: string) => void;

/** Shapes the zod schema would reject with a bare path; said here in the user's words. */
function structuralErrors(model: Database): SchemaError[] {
  const errors: SchemaError[] = [];
  if (typeof model.name !== "string" || !isPlainIdentifier(model.name)) {
    errors.push(
      new SchemaError(
        {},
        `has the database name ${JSON.stringify(model.name)}`,
        "name the database like its wrangler binding: letters, digits and underscores",
      ),
    );
  }
  for (const table of model.tables) {
    if (table.columns.length === 0) {
      errors.push(new SchemaError({ database: model.name, table: table.name }, "has no columns", "declare at least one column"));
    }
    for (const index of table.indexes) {
      if (index.parts.length === 0) {
        errors.push(
          new SchemaError(
            { database: model.name, table: table.name },
            `has index ${index.name} on no columns`,
            `name its columns: index("${index.name}").on("column")`,
          ),
        );
      }
    }
  }
  return errors;
}

/** Tables and indexes share one namespace in SQLite, compared without case (see caseNote). */
function checkUniqueNames(model: Database, report: Report): void {
  const seen = new Map<string, { what: string; name: string }>();
  for (const table of model.tables) {
    const names = [{ name: table.name, what: "table" }, ...table.indexes.map((index) => ({ name: index.name, what: "index" }))];
    for (const { name, what } of names) {
      const key = name.toLowerCase();
      const previous = seen.get(key);
      if (previous) {
        report(
          { table: table.name },
          `declares the ${what} name "${name}", already used by ${previous.what}${caseNote(name, previous.name)}`,
          "rename one of them",
        );
      }
      seen.set(key, { what: `${what} ${name}${what === "index" ? ` on ${table.name}` : ""}`, name });
    }
  }
}

/**
 * Said when two names differ in case only: SQLite ignores the case of ASCII letters, so `Users` and `users` name one
 * table. It tells `É` from `é`, but this tool matches names lower-cased, so those are refused as one name as well.
 */
function caseNote(name: string, other: string): string {
  return name === other ? "" : ` (names are compared without case): SQLite reads "${other}" and "${name}" as one name`;
}

function validateTable(table: Table, report: Report): void {
  const nameProblem = identifierProblem(table.name);
  if (nameProblem) report({}, `has a name that ${nameProblem}`, "SQLite accepts any other text as a table name: spaces, dashes and any letters");
  if (isReservedTableName(table.name) || table.name.toLowerCase().startsWith(toolPrefix)) {
    report({}, "uses a name reserved by SQLite, D1 or this tool", "choose a name that does not start with sqlite_, _cf_, d1_migrations or __d1s_");
  }
  if (table.columns.length > maxColumnsPerTable) {
    report({}, `has ${table.columns.length} columns; D1 allows at most ${maxColumnsPerTable}`, "split the table");
  }
  if (table.renamedFrom !== undefined && identifierProblem(table.renamedFrom)) {
    report({}, `has renamedFrom ${JSON.stringify(table.renamedFrom)}, which ${identifierProblem(table.renamedFrom)}`, "give the table's previous name exactly");
  }
  for (const [rule, reason] of Object.entries(table.lint ?? {})) {
    if (!isLintRuleId(rule)) {
      report({}, `silences lint rule "${rule}", which does not exist`, `use one of: ${Object.keys(lintRules).join(", ")}`);
    } else if (reason.trim() === "") {
      report({}, `silences lint rule ${rule} without a reason`, `say why in the table's options: lint: { "${rule}": "the reason" }`);
    }
  }
  const columnsByName = new Map<string, Column>();
  for (const column of table.columns) {
    const same = columnsByName.get(column.name.toLowerCase());
    if (same) report({ column: column.name }, `is declared twice${caseNote(column.name, same.name)}`, "rename one of them");
    columnsByName.set(column.name.toLowerCase(), column);
    validateColumn(column, (problem, hint) => report({ column: column.name }, problem, hint));
    if (table.strict && column.declaredType !== undefined && !strictTypeNames.includes(column.declaredType.toUpperCase()) && !isStrictAny(table, column)) {
      report(
        { column: column.name },
        `is declared ${column.declaredType} in a STRICT table, which accepts only ${strictTypeNames.join(", ")} (and ANY)`,
        affinityOf(column.declaredType) === "NUMERIC"
          ? "a STRICT table has no NUMERIC column: make it integer() or real(), or drop strict from the table's options"
          : `declare it ${affinityOf(column.declaredType) === "INTEGER" ? "INT or INTEGER" : affinityOf(column.declaredType)}, or drop strict from the table's options`,
      );
    }
  }
  const hasColumn = (name: string) => columnsByName.has(name.toLowerCase());
  const requireColumns = (names: string[], where: string) => {
    for (const name of names) {
      if (!hasColumn(name)) report({ column: name }, `is named by ${where} but is not a column of the table`, `add the column or fix the name in ${where}`);
    }
  };

  validatePrimaryKey(table, columnsByName, requireColumns, report);
  table.uniques.forEach((unique) => requireColumns(unique.columns, "a UNIQUE constraint"));
  for (const [name, column] of [
    ...table.checks.map((check) => [check.name, undefined] as const),
    ...table.foreignKeys.map((foreignKey) => [foreignKey.name, foreignKey.columns.length === 1 ? foreignKey.columns[0] : undefined] as const),
    ...table.columns.map((column) => [column.checkName, column.name] as const),
  ]) {
    const problem = name === undefined ? undefined : identifierProblem(name);
    if (problem) report({ column }, `names a constraint ${JSON.stringify(name)}, which ${problem}`, "SQLite accepts any other text as a constraint name");
  }
  for (const check of table.checks) {
    const problem = sqlFragmentProblem(check.expression);
    if (problem) report({}, `has a CHECK that ${problem}: ${check.expression}`, "write one SQL expression");
  }
  for (const index of table.indexes) {
    const indexProblem = identifierProblem(index.name);
    if (indexProblem) report({}, `has an index named ${JSON.stringify(index.name)}, which ${indexProblem}`, "SQLite accepts any other text as an index name");
    for (const part of index.parts) {
      if ("column" in part) requireColumns([part.column], `index ${index.name}`);
      else if (sqlFragmentProblem(part.expression)) {
        report({}, `has index ${index.name} on an expression that ${sqlFragmentProblem(part.expression)}`, "write one SQL expression");
      }
      if ("collate" in part && part.collate !== undefined && !allowedCollations.has(part.collate.toUpperCase())) {
        report({}, `has index ${index.name} with collation ${part.collate}`, "D1 has BINARY, NOCASE and RTRIM");
      }
    }
    const whereProblem = index.where === undefined ? undefined : sqlFragmentProblem(index.where);
    if (whereProblem) report({}, `has index ${index.name} whose WHERE ${whereProblem}`, "write one SQL condition");
  }
  for (const foreignKey of table.foreignKeys) {
    validateForeignKey(foreignKey, requireColumns, report);
  }
}

function validatePrimaryKey(table: Table, columnsByName: Map<string, Column>, requireColumns: (names: string[], where: string) => void, report: Report): void {
  const key = table.primaryKey;
  if (!key) {
    if (table.withoutRowid) report({}, "is WITHOUT ROWID but has no primary key", "declare a primary key");
    return;
  }
  requireColumns(key.columns, "the primary key");
  if (key.autoincrement) {
    const column = columnsByName.get(key.columns[0].toLowerCase());
    if (column && declaredTypeOf(column).toUpperCase() !== "INTEGER") {
      report(
        { column: column.name },
        `is AUTOINCREMENT but not INTEGER: it is declared ${declaredTypeOf(column)}`,
        "SQLite allows AUTOINCREMENT only on a key declared exactly INTEGER: use integer().autoincrement()",
      );
    }
    if (table.withoutRowid) report({}, "is WITHOUT ROWID with an AUTOINCREMENT key", "drop one of the two");
    if (key.desc) {
      report(
        { column: key.columns[0] },
        "is AUTOINCREMENT and PRIMARY KEY DESC",
        "SQLite allows AUTOINCREMENT only on the rowid, which a key written PRIMARY KEY DESC is not: drop one of the two",
      );
    }
  }
  for (const name of key.columns) {
    if (columnsByName.get(name.toLowerCase())?.generated) {
      report(
        { column: name },
        "is a generated column in the primary key",
        "SQLite allows no generated column (VIRTUAL or STORED) in a key; key on an ordinary column",
      );
    }
  }
}

function validateColumn(column: Column, report: (problem: string, hint: string) => void): void {
  const nameProblem = identifierProblem(column.name);
  if (nameProblem) report(`has a name that ${nameProblem}`, "SQLite accepts any other text as a column name: spaces, dashes and any letters");
  if (column.renamedFrom !== undefined && identifierProblem(column.renamedFrom)) {
    report(`has renamedFrom ${JSON.stringify(column.renamedFrom)}, which ${identifierProblem(column.renamedFrom)}`, "give the column's previous name exactly");
  }
  if (column.collate !== undefined && !allowedCollations.has(column.collate.toUpperCase())) {
    report(`has collation ${column.collate}`, "D1 has BINARY, NOCASE and RTRIM");
  }
  validateDeclaredType(column, report);
  for (const [what, sql] of [
    ["CHECK", column.check],
    ["generated expression", column.generated?.expression],
    ["default", column.default?.sql],
    ["backfill", column.backfill],
    ["conversion", column.convertedFrom?.sql],
  ] as const) {
    const problem = sql === undefined ? undefined : sqlFragmentProblem(sql);
    if (problem) report(`has a ${what} that ${problem}: ${sql}`, "write one SQL expression");
  }
  if (column.generated && column.default) {
    report("is generated and has a default", "remove the default: a generated column computes its value");
  }
  if (column.default?.constant) validateConstantDefault(column, report);
}

/** A declared type SQLite reads as written, whose affinity is the one the constructor stands for. */
function validateDeclaredType(column: Column, report: (problem: string, hint: string) => void): void {
  const declared = declaredTypeOf(column);
  const problem = column.declaredType === undefined ? undefined : declaredTypeProblem(column.declaredType);
  if (problem) {
    report(
      `is declared ${JSON.stringify(declared)}, which SQLite would not read back as that type: it ${problem}`,
      "write a type name: one or more words, then at most two numbers in parentheses, e.g. VARCHAR(255), BIGINT, DECIMAL(10,2)",
    );
    return;
  }
  const affinity = affinityOf(declared);
  const allowed = affinitiesOf[column.logical];
  if (affinity !== column.type || !allowed.includes(affinity)) {
    const fitting = (["text", "integer", "real", "blob", "numeric"] as const).find((logical) => affinitiesOf[logical].includes(affinity))!;
    report(
      `is ${constructorOf(column.logical)} ${declared === "" ? "without a type" : `declared ${declared}`}, but ${affinityReason(declared)}, and ${constructorOf(column.logical)} needs ${allowed.join(" or ")}`,
      `declare it with a type of ${allowed.join(" or ")} affinity (${allowed.includes("INTEGER") ? "BIGINT" : allowed.includes("TEXT") ? "VARCHAR(255)" : allowed.includes("REAL") ? "DOUBLE" : allowed.includes("BLOB") ? "BLOB" : "DECIMAL(10,2)"}), or write ${fitting}(${JSON.stringify(declared)}) to keep ${declared}`,
    );
  }
}

/** A literal default must fit the column: a NOT NULL column cannot default to NULL, a number column to 'abc'. */
function validateConstantDefault(column: Column, report: (problem: string, hint: string) => void): void {
  const sql = column.default!.sql;
  const isNull = sql.toUpperCase() === "NULL";
  const isString = sql.startsWith("'");
  if (isNull) {
    if (column.notNull) report("is NOT NULL with default NULL", "give a non-null default or drop .notNull()");
    return;
  }
  const stringValue = isString ? sql.slice(1, -1).replaceAll("''", "'") : undefined;
  const numeric = stringValue === undefined ? true : stringValue.trim() !== "" && Number.isFinite(Number(stringValue));
  if (column.logical === "boolean" && !["0", "1", "TRUE", "FALSE"].includes(sql.toUpperCase())) {
    report(`is boolean with default ${sql}`, "use .default(true), .default(false), 0 or 1");
  } else if (["integer", "real", "timestamp_unix"].includes(column.logical) && !numeric) {
    report(`is ${column.type} with the non-numeric default ${sql}`, "use a number default, or make the column text()");
  } else if (column.logical === "json" && stringValue !== undefined && !isJson(stringValue)) {
    report(`is json with default ${sql}, which is not valid JSON`, `write the default as JSON text, e.g. .default("[]")`);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function validateForeignKey(foreignKey: Table["foreignKeys"][number], requireColumns: (names: string[], where: string) => void, report: Report): void {
  const target = `${foreignKey.table}(${foreignKey.refColumns.join(", ")})`;
  requireColumns(foreignKey.columns, `the foreign key to ${target}`);
  const location = { column: foreignKey.columns.join(", ") };
  if (foreignKey.columns.length !== foreignKey.refColumns.length) {
    report(location, `has ${foreignKey.columns.length} column(s) referencing ${target}`, "reference as many columns as the key has");
    return;
  }
  // SQLite and D1 accept a foreign key to a table the database lacks, to a column the parent lacks or to columns that
  // are not a key, and a NOT NULL column whose key writes NULL: a database may run such a table today, so they are lint
  // findings (foreign-key-to-missing-table, foreign-key-to-non-unique, not-null-set-null), not load errors.
}
