// SQL text for files: the one place that formats SQL (as sql-formatter would, SQLite dialect) and writes comments.
import { createRequire } from "node:module";
import { renderCache, runMemo } from "../io/render-cache.js";
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { typesTheFormatterMayChange, withDeclaredTypesAsWritten } from "./declared-type-text.js";
import { layoutStatement } from "./sql-layout.js";

const formatOptions = { language: "sqlite", tabWidth: 2, keywordCase: "preserve" } as const;
const require = createRequire(import.meta.url);
/** Loaded on first use: a generate with nothing to write never formats SQL. */
let formatter: typeof import("sql-formatter") | undefined;

/** D1 rejects statements longer than this many bytes. */
export const maxStatementBytes = 100_000;

export interface SqlSection {
  /** Why the statements are there; may span lines. */
  comment: string;
  statements: string[];
}

/**
 * A formatted SQL file: header comment lines, then each section's comment and statements. `database` is the model
 * the statements come from: its declared types are kept as written (declared-type-text.ts).
 */
export function renderSqlFile(database: Database, header: string[], sections: readonly SqlSection[]): string {
  const parts = [header.map(commentLine).join("\n")];
  const declaredTypes = typesTheFormatterMayChange(database);
  for (const section of sections) {
    const statements = section.statements.map((statement) => formatStatement(database.name, statement, declaredTypes));
    parts.push([...section.comment.split("\n").map(commentLine), ...statements].join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}

function formatStatement(database: string, statement: string, declaredTypes: readonly string[]): string {
  const bytes = Buffer.byteLength(statement);
  if (bytes > maxStatementBytes) {
    throw new SchemaError(
      { database },
      `would need a statement of ${bytes} bytes: ${statement.slice(0, 80)}…`,
      `D1 rejects statements over ${maxStatementBytes} bytes; split the table or shorten its expressions`,
    );
  }
  // A migration from nothing and the squash hold the same statements: each is laid out once a run.
  const done = formattedThisRun.get(statement);
  if (done !== undefined) return done;
  // Reading a statement's declared types costs a scan of it: only where one the formatter may change is in it. The
  // answer depends on the statement alone (its declared types are its model's), so it is remembered with it.
  const laidOut = formatOnce(statement);
  const formatted = declaredTypes.some((type) => statement.includes(type)) ? withDeclaredTypesAsWritten(statement, laidOut) : laidOut;
  formattedThisRun.set(statement, formatted);
  return formatted;
}

const formattedThisRun = runMemo();

/**
 * A view, trigger or virtual table, whose text SQLite keeps as written: laid out by nobody (a formatter would put BEGIN
 * on a line of its own).
 */
const keptAsWritten = /^(?:(?:CREATE|DROP)\s+(?:VIEW|TRIGGER)|CREATE\s+VIRTUAL)\b/i;

function formatOnce(statement: string): string {
  if (keptAsWritten.test(statement)) return `${statement};`;
  // The statements this tool writes are laid out without sql-formatter (sql-layout.ts); like sql-formatter, the
  // layout may change only white space, which is checked here as well.
  const laidOut = layoutStatement(statement);
  if (laidOut !== undefined && withoutSpace(laidOut) === withoutSpace(statement)) return `${laidOut};`;
  // sql-formatter changes only white space (checked on every ClearLift statement); a cached value must too.
  const cache = formattedStatements();
  const cached = cache.lookup(statement, (value) => withoutSpace(value) === withoutSpace(`${statement};`));
  if (cached !== undefined) return cached;
  formatter ??= require("sql-formatter") as typeof import("sql-formatter");
  const formatted = `${formatter.format(statement, formatOptions)};`;
  cache.store(statement, formatted);
  return formatted;
}

function withoutSpace(sql: string): string {
  return sql.replace(/\s+/g, "");
}

function formattedStatements() {
  const { version } = require("sql-formatter/package.json") as { version: string };
  return renderCache("sql-format", `sql-formatter@${version} ${JSON.stringify(formatOptions)}`);
}

/** A comment line that cannot end early or carry a statement: descriptions are user text. */
function commentLine(text: string): string {
  return `-- ${text.replace(/[\r\n]+/g, " ")}`.trimEnd();
}
