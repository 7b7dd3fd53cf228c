// Cross-checks of a database's views and triggers: names unique among every object of the database, a trigger on a
// table or view the schema has, SQL that is one statement. SQLite proves the rest when the schema is built
// (sqlite/prove.ts: a view over a missing column fails there, naming the view).
import type { ErrorLocation } from "./errors.js";
import { isPlainIdentifier, isReservedTableName, toolPrefix } from "./identifiers.js";
import type { Database } from "./model.js";
import { objectsOf, virtualModule } from "./objects.js";
import { scanSql } from "./sql-lexer.js";

type Report = (location: ErrorLocation, problem: string, hint: string) => void;

export function validateObjects(model: Database, report: Report): void {
  const { views, triggers, virtualTables } = objectsOf(model);
  if (views.length + triggers.length + virtualTables.length === 0) return;
  const taken = new Map<string, string>();
  for (const table of model.tables) {
    taken.set(table.name.toLowerCase(), `table ${table.name}`);
    for (const index of table.indexes) taken.set(index.name.toLowerCase(), `index ${index.name} on ${table.name}`);
  }
  const claim = (what: string, name: string) => {
    if (!isPlainIdentifier(name)) {
      report({}, `has a ${what} named ${JSON.stringify(name)}`, `name ${what}s with letters, digits and underscores, starting with a letter or _`);
    } else if (isReservedTableName(name) || name.toLowerCase().startsWith(toolPrefix)) {
      report({}, `has the ${what} ${name}, a name reserved by SQLite, D1 or this tool`, "choose a name that does not start with sqlite_, _cf_ or __d1s_");
    }
    const previous = taken.get(name.toLowerCase());
    if (previous) report({}, `declares the ${what} name "${name}", already used by ${previous}`, "rename one of them");
    taken.set(name.toLowerCase(), `${what} ${name}`);
  };
  for (const table of virtualTables) {
    claim("virtual table", table.name);
    // FTS5 keeps its data in shadow tables named after it, which take names from the namespace too.
    for (const suffix of ["data", "idx", "content", "docsize", "config"]) {
      const shadow = `${table.name}_${suffix}`;
      const previous = taken.get(shadow.toLowerCase());
      if (previous) report({}, `has virtual table ${table.name}, whose shadow table ${shadow} is the name of ${previous}`, "rename one of them");
    }
    if (virtualModule(table) !== "fts5") {
      report(
        {},
        `has virtual table ${table.name} using ${JSON.stringify(virtualModule(table))}`,
        'D1 runs the FTS5 module: write virtualTable(name, "fts5(column, …)")',
      );
    }
    const problem = statementProblem(table.using, false);
    if (problem) report({}, `has virtual table ${table.name} whose USING ${problem}`, "write the module and its arguments: fts5(title, body)");
  }
  for (const view of views) {
    claim("view", view.name);
    for (const column of view.columns ?? []) {
      if (!isPlainIdentifier(column)) report({}, `has view ${view.name} with the column name ${JSON.stringify(column)}`, "use letters, digits and underscores");
    }
    const problem = statementProblem(view.select, false);
    if (problem) report({}, `has view ${view.name} whose SELECT ${problem}`, "write one SELECT statement, without a closing ;");
  }
  const onNames = new Set([...model.tables.map((table) => table.name.toLowerCase()), ...views.map((view) => view.name.toLowerCase())]);
  for (const trigger of triggers) {
    claim("trigger", trigger.name);
    const problem = statementProblem(trigger.definition, true);
    if (problem) {
      report(
        {},
        `has trigger ${trigger.name} whose definition ${problem}`,
        "write what follows CREATE TRIGGER <name>: timing, event, ON table, then BEGIN … END",
      );
    } else if (trigger.table === "") {
      report(
        {},
        `has trigger ${trigger.name}, whose definition names no table (… ON <table> …)`,
        'write it as "AFTER UPDATE ON users FOR EACH ROW BEGIN …; END"',
      );
    } else if (!onNames.has(trigger.table.toLowerCase())) {
      report(
        {},
        `has trigger ${trigger.name} on ${trigger.table}, which is not a table or view of the database`,
        `add table ${trigger.table} to the schema, or put the trigger on a table the schema has`,
      );
    }
  }
}

/**
 * Why `sql` cannot be the rest of one CREATE VIEW or CREATE TRIGGER statement, or undefined: an unterminated quote or
 * comment, a `;` outside a trigger's BEGIN … END, a trigger that does not end with END.
 */
function statementProblem(sql: string, trigger: boolean): string | undefined {
  if (sql.trim() === "") return "is empty";
  const pieces = scanSql(sql).filter((piece) => piece.type !== "space");
  const unterminated = pieces.find((piece) => piece.unterminated);
  if (unterminated) return `has an unterminated ${sql[unterminated.start] === "/" ? "comment" : `${sql[unterminated.start]} quote`}`;
  const words = pieces.filter((piece) => piece.type !== "comment").map((piece) => sql.slice(piece.start, piece.end).toUpperCase());
  if (!trigger) return words.includes(";") ? "contains ';' (a statement separator)" : undefined;
  const begin = words.indexOf("BEGIN");
  if (begin === -1 || words.at(-1) !== "END") return "does not end with BEGIN …; END";
  return words.slice(0, begin).includes(";") ? "contains ';' before BEGIN" : undefined;
}
