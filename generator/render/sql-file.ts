// SQL text for files: the one place that formats SQL (as sql-formatter would, SQLite dialect) and writes comments.
import { createRequire } from "node:module";
import { renderCache, runMemo } from "../io/render-cache.js";
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { typesTheFormatterMayChange, withDeclaredTypesAsWritten } from "./declared-type-text.js";
import { conflictPhrasesAsWords, conflictWordsAsPhrases, layoutStatement } from "./sql-layout.js";

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
export function renderSqlFile(database: Database, header: string[], sections: readonly (SqlSection | LaidOutSection)[]): string {
  const parts = [headerText(header)];
  const declaredTypes = typesTheFormatterMayChange(database);
  for (const section of sections) {
    if ("text" in section) {
      parts.push(section.text);
      continue;
    }
    const statements = section.statements.map((statement) => formatStatement(database.name, statement, declaredTypes));
    parts.push([sectionComment(section.comment), ...statements].join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}

/** A section as an earlier file of this same code holds it, comment and statements, taken as it is. */
export interface LaidOutSection {
  text: string;
}

/**
 * The sections of `text`, a file renderSqlFile made from `header` and sections with `comments` in an earlier run of
 * this same code (the caller knows it from the file's stamp), in their order; undefined when the text is not laid
 * out that way. Neither a comment nor a statement as laid out holds a blank line, so the parts of the file between
 * blank lines are its header and its sections, one each; a section with a blank line in it (a string literal
 * holding one) makes the count wrong, and nothing is taken.
 */
export function sectionsOfFile(header: readonly string[], comments: readonly string[], text: string): string[] | undefined {
  if (!text.endsWith("\n")) return undefined;
  const parts = text.slice(0, -1).split("\n\n");
  if (parts.length !== comments.length + 1 || parts[0] !== headerText(header)) return undefined;
  const sections = parts.slice(1);
  const commentTexts = comments.map(sectionComment);
  if (sections.some((section, index) => !section.startsWith(`${commentTexts[index]}\n`))) return undefined;
  return sections;
}

function headerText(header: readonly string[]): string {
  return header.map(commentLine).join("\n");
}

function sectionComment(comment: string): string {
  return comment.split("\n").map(commentLine).join("\n");
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
  const asWords = conflictPhrasesAsWords(statement);
  const formatted = `${asWords === undefined ? formatter.format(statement, formatOptions) : conflictWordsAsPhrases(formatter.format(asWords, formatOptions))};`;
  cache.store(statement, formatted);
  return formatted;
}

function withoutSpace(sql: string): string {
  return sql.replace(/\s+/g, "");
}

function formattedStatements() {
  const { version } = require("sql-formatter/package.json") as { version: string };
  return renderCache("sql-format", `sql-formatter@${version} ${JSON.stringify(formatOptions)} on-conflict-phrases`);
}

/** A comment line that cannot end early or carry a statement: descriptions are user text. */
function commentLine(text: string): string {
  return `-- ${text.replace(/[\r\n]+/g, " ")}`.trimEnd();
}
