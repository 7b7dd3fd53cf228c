// The CREATE TABLE and CREATE INDEX statements SQLite keeps in sqlite_schema, read for what its PRAGMAs do not
// report: CHECKs, COLLATE, generated expressions, AUTOINCREMENT, index expressions and WHERE, deferred foreign keys,
// ON CONFLICT clauses, and what the model cannot hold (ordered or collated key columns of a table PRIMARY KEY). Tokens come from the one SQL lexer
// (sql-lexer.ts); expressions come back with white space folded (joinTokens).
import type { ConflictAlgorithm, IndexPart } from "../model/model.js";
import { dropUndefined } from "../model/normalize.js";
import { closingParen, isWord, joinTokens, tokenize, type Token } from "../model/sql-lexer.js";

/** The tokens between `from` and `to` split at commas outside parentheses. */
function splitAtCommas(tokens: readonly Token[]): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.text === "(") depth++;
    if (token.text === ")") depth--;
    if (token.text === "," && depth === 0) items.push([]);
    else items[items.length - 1].push(token);
  }
  return items.filter((item) => item.length > 0);
}

/** Skips `CREATE [UNIQUE|TEMP] TABLE|INDEX [IF NOT EXISTS] [schema.]name`; returns the index after the name. */
function skipCreateHead(tokens: readonly Token[], what: "TABLE" | "INDEX"): number {
  let i = tokens.findIndex((token) => isWord(token, what));
  if (i === -1) return -1;
  i++;
  if (isWord(tokens[i], "IF") && isWord(tokens[i + 1], "NOT") && isWord(tokens[i + 2], "EXISTS")) i += 3;
  i++;
  if (tokens[i]?.text === ".") i += 2;
  return i;
}

/** A CHECK as written, with its name when `CONSTRAINT name` precedes it. */
export interface WrittenCheck {
  expression: string;
  name?: string;
}

export interface WrittenColumn {
  checks: WrittenCheck[];
  collate?: string;
  generated?: string;
  autoincrement: boolean;
  notNull: boolean;
  defaultParenthesized: boolean;
  /** The ON CONFLICT clauses of the column's PRIMARY KEY, NOT NULL and UNIQUE. */
  keyConflict?: ConflictAlgorithm;
  notNullConflict?: ConflictAlgorithm;
  uniqueConflict?: ConflictAlgorithm;
  /** An ON CONFLICT clause after another constraint (`NULL ON CONFLICT …`, which SQLite accepts and ignores). */
  conflictClause: boolean;
  /** `PRIMARY KEY DESC` on the column (ASC, the default, is not recorded). */
  keyOrder: boolean;
}

export interface WrittenTable {
  columns: Map<string, WrittenColumn>;
  checks: WrittenCheck[];
  /** The name of every foreign key (column REFERENCES and table FOREIGN KEY), in the order the statement declares them. */
  foreignKeyNames: (string | undefined)[];
  /** Whether each of those foreign keys is DEFERRABLE INITIALLY DEFERRED, in the same order. */
  foreignKeyDeferred: boolean[];
  /** The ON CONFLICT clauses of table PRIMARY KEY and UNIQUE constraints, with their columns (lower case). */
  tableConflicts: { kind: "PRIMARY KEY" | "UNIQUE"; columns: string[]; algorithm: ConflictAlgorithm }[];
  problems: string[];
}

const columnConstraintStart = ["CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"];
const tableConstraintStart = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/** What a CREATE TABLE statement writes beyond the PRAGMAs, column by column (names in lower case). */
export function parseCreateTable(sql: string): WrittenTable {
  const written: WrittenTable = { columns: new Map(), checks: [], foreignKeyNames: [], foreignKeyDeferred: [], tableConflicts: [], problems: [] };
  const tokens = tokenize(sql);
  const open = skipCreateHead(tokens, "TABLE");
  const close = open === -1 || tokens[open]?.text !== "(" ? -1 : closingParen(tokens, open);
  if (close === -1) {
    written.problems.push("its CREATE TABLE statement could not be read; CHECKs, COLLATE, generated columns and AUTOINCREMENT are not recovered");
    return written;
  }
  for (const item of splitAtCommas(tokens.slice(open + 1, close))) {
    if (isWord(item[0], ...tableConstraintStart)) readTableConstraint(item, written);
    else {
      const name = item[0].type === "quoted" ? item[0].value : item[0].text;
      written.columns.set(name.toLowerCase(), readColumnConstraints(item, name, written));
    }
  }
  return written;
}

function readColumnConstraints(item: readonly Token[], name: string, written: WrittenTable): WrittenColumn {
  const { problems } = written;
  const column: WrittenColumn = {
    checks: [],
    autoincrement: false,
    notNull: false,
    defaultParenthesized: false,
    conflictClause: false,
    keyOrder: false,
  };
  let i = 1;
  // The declared type (possibly `VARCHAR(255)` or `DOUBLE PRECISION`) runs until the first constraint keyword.
  while (i < item.length && !isWord(item[i], ...columnConstraintStart)) i = item[i].text === "(" ? closingParen(item, i) + 1 || item.length : i + 1;
  const parenthesized = (at: number): { inner: Token[]; next: number } | undefined => {
    if (item[at]?.text !== "(") return undefined;
    const end = closingParen(item, at);
    return end === -1 ? undefined : { inner: item.slice(at + 1, end), next: end + 1 };
  };
  // `CONSTRAINT name` names the constraint after it; the model keeps the names of CHECKs and foreign keys.
  let constraintName: string | undefined;
  // The constraint an ON CONFLICT clause belongs to: the one just read.
  let last: "keyConflict" | "notNullConflict" | "uniqueConflict" | undefined;
  const nameFor = (kept: boolean, what: string) => {
    const named = constraintName;
    constraintName = undefined;
    if (named !== undefined && !kept)
      problems.push(`${name}: names its ${what} constraint ${named}, which the schema language cannot hold; the name is left out`);
    return kept ? named : undefined;
  };
  while (i < item.length) {
    const token = item[i];
    const word = token.type === "word" ? token.value.toUpperCase() : "";
    if (word !== "CONSTRAINT" && word !== "AUTOINCREMENT" && !(word === "ON" && isWord(item[i + 1], "CONFLICT")) && word !== "CHECK" && word !== "REFERENCES") {
      nameFor(false, word === "NOT" && isWord(item[i + 1], "NULL") ? "NOT NULL" : word === "AS" ? "GENERATED" : word === "PRIMARY" ? "PRIMARY KEY" : word);
    }
    if (word === "CONSTRAINT") {
      constraintName = item[i + 1]?.value;
      i += 2;
    } else if (word === "PRIMARY" && isWord(item[i + 1], "KEY")) {
      last = "keyConflict";
      i += 2;
      if (isWord(item[i], "ASC", "DESC")) {
        column.keyOrder = isWord(item[i], "DESC");
        i++;
      }
    } else if (word === "AUTOINCREMENT") {
      column.autoincrement = true;
      i++;
    } else if (word === "NOT" && isWord(item[i + 1], "NULL")) {
      column.notNull = true;
      last = "notNullConflict";
      i += 2;
    } else if (word === "NOT" && isWord(item[i + 1], "DEFERRABLE")) i += 2;
    else if (word === "NULL" || word === "UNIQUE") {
      last = word === "UNIQUE" ? "uniqueConflict" : undefined;
      i++;
    } else if (word === "ON" && isWord(item[i + 1], "CONFLICT")) {
      const algorithm = conflictAlgorithmAt(item, i + 2);
      if (last && algorithm) column[last] = algorithm;
      else column.conflictClause = true;
      last = undefined;
      i += 3;
    } else if (word === "CHECK" && parenthesized(i + 1)) {
      const { inner, next } = parenthesized(i + 1)!;
      column.checks.push(dropUndefined({ expression: joinTokens(inner), name: nameFor(true, "CHECK") }));
      i = next;
    } else if (word === "DEFAULT") {
      column.defaultParenthesized = item[i + 1]?.text === "(";
      const group = parenthesized(i + 1);
      i = group ? group.next : item[i + 1]?.text === "-" || item[i + 1]?.text === "+" ? i + 3 : i + 2;
    } else if (word === "COLLATE") {
      column.collate = item[i + 1]?.value;
      i += 2;
    } else if (word === "GENERATED" || word === "AS") {
      const at = word === "GENERATED" ? i + 3 : i + 1; // GENERATED ALWAYS AS (expr)
      const group = parenthesized(at);
      if (!group) break;
      column.generated = joinTokens(group.inner);
      i = group.next;
      if (isWord(item[i], "STORED", "VIRTUAL")) i++;
    } else if (word === "REFERENCES") {
      written.foreignKeyNames.push(nameFor(true, "REFERENCES"));
      const end = skipReferences(item, i);
      written.foreignKeyDeferred.push(isDeferred(item.slice(i, end)));
      i = end;
    } else {
      problems.push(`${name}: could not read "${joinTokens(item.slice(i))}" in its definition; the rest of it is not recovered`);
      break;
    }
  }
  return column;
}

function readTableConstraint(item: readonly Token[], written: WrittenTable): void {
  const start = isWord(item[0], "CONSTRAINT") ? 2 : 0;
  const name = start === 2 ? item[1]?.value : undefined;
  const text = joinTokens(item);
  if (isWord(item[start], "CHECK") && item[start + 1]?.text === "(") {
    const end = closingParen(item, start + 1);
    written.checks.push(dropUndefined({ expression: joinTokens(item.slice(start + 2, end)), name }));
    return;
  }
  if (isWord(item[start], "FOREIGN")) {
    written.foreignKeyNames.push(name);
    written.foreignKeyDeferred.push(isDeferred(item));
  } else if (name !== undefined) {
    written.problems.push(
      `"${text}" names a ${isWord(item[start], "PRIMARY") ? "PRIMARY KEY" : "UNIQUE"} constraint, which the schema language cannot hold; the name is left out`,
    );
  }
  const conflictAt = item.findIndex((token, index) => isWord(token, "ON") && isWord(item[index + 1], "CONFLICT"));
  const algorithm = conflictAt === -1 ? undefined : conflictAlgorithmAt(item, conflictAt + 2);
  const kind = isWord(item[start], "PRIMARY") ? "PRIMARY KEY" : isWord(item[start], "UNIQUE") ? "UNIQUE" : undefined;
  const open = item.findIndex((token) => token.text === "(");
  if (algorithm && kind && open !== -1 && closingParen(item, open) !== -1) {
    // Each part is a column name, perhaps followed by COLLATE or ASC/DESC.
    const columns = splitAtCommas(item.slice(open + 1, closingParen(item, open))).map((part) => part[0].value.toLowerCase());
    written.tableConflicts.push({ kind, columns, algorithm });
  } else if (conflictAt !== -1) {
    written.problems.push(`"${text}" has an ON CONFLICT clause, which the schema language cannot hold; it is left out`);
  }
  if (isWord(item[start], "PRIMARY") && item.some((token) => isWord(token, "DESC", "COLLATE"))) {
    written.problems.push(`"${text}" orders or collates a key column, which the schema language cannot hold; read as a plain PRIMARY KEY`);
  }
}

/** The ON CONFLICT algorithm named at `at`, or undefined. */
function conflictAlgorithmAt(tokens: readonly Token[], at: number): ConflictAlgorithm | undefined {
  const word = tokens[at]?.type === "word" ? tokens[at].value.toUpperCase() : "";
  return ["ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"].includes(word) ? (word as ConflictAlgorithm) : undefined;
}

/** The index after `REFERENCES parent [(columns)] [ON ... | MATCH ... | [NOT] DEFERRABLE ...]*`. */
function skipReferences(item: readonly Token[], at: number): number {
  let i = at + 2;
  if (item[i]?.text === "(") i = closingParen(item, i) + 1;
  while (i < item.length) {
    if (isWord(item[i], "ON") && isWord(item[i + 1], "DELETE", "UPDATE")) {
      i += isWord(item[i + 2], "SET", "NO") ? 4 : 3;
    } else if (isWord(item[i], "MATCH")) i += 2;
    else if (isWord(item[i], "NOT") && isWord(item[i + 1], "DEFERRABLE")) i += 2;
    else if (isWord(item[i], "DEFERRABLE")) i++;
    else if (isWord(item[i], "INITIALLY")) i += 2;
    else break;
  }
  return i;
}

/**
 * DEFERRABLE INITIALLY DEFERRED, the one spelling that changes when SQLite checks the key; NOT DEFERRABLE, DEFERRABLE
 * alone and DEFERRABLE INITIALLY IMMEDIATE all mean the default, an immediate key (sqlite.org/foreignkeys.html 4.2).
 */
function isDeferred(tokens: readonly Token[]): boolean {
  return tokens.some(
    (token, index) =>
      isWord(token, "DEFERRABLE") && !isWord(tokens[index - 1], "NOT") && isWord(tokens[index + 1], "INITIALLY") && isWord(tokens[index + 2], "DEFERRED"),
  );
}

/** An index's parts and WHERE as its CREATE INDEX writes them; undefined when the statement cannot be read. */
export function parseCreateIndex(sql: string): { parts: IndexPart[]; where?: string; orderedExpressions: boolean } | undefined {
  const tokens = tokenize(sql);
  const on = skipCreateHead(tokens, "INDEX");
  if (on === -1 || !isWord(tokens[on], "ON")) return undefined;
  const open = tokens[on + 2]?.text === "(" ? on + 2 : tokens[on + 2]?.text === "." && tokens[on + 4]?.text === "(" ? on + 4 : -1;
  const close = open === -1 ? -1 : closingParen(tokens, open);
  if (close === -1) return undefined;
  const read = splitAtCommas(tokens.slice(open + 1, close)).map(readIndexPart);
  const where = isWord(tokens[close + 1], "WHERE") ? joinTokens(tokens.slice(close + 2)) : undefined;
  return { parts: read.map((entry) => entry.part), where, orderedExpressions: read.some((entry) => entry.dropped) };
}

function readIndexPart(tokens: Token[]): { part: IndexPart; dropped: boolean } {
  let rest = tokens;
  let order: "ASC" | "DESC" | undefined;
  let collate: string | undefined;
  if (isWord(rest[rest.length - 1], "ASC", "DESC")) {
    order = rest[rest.length - 1].value.toUpperCase() as "ASC" | "DESC";
    rest = rest.slice(0, -1);
  }
  if (rest.length >= 3 && isWord(rest[rest.length - 2], "COLLATE")) {
    collate = rest[rest.length - 1].value;
    rest = rest.slice(0, -2);
  }
  if (rest.length === 1 && (rest[0].type === "word" || rest[0].type === "quoted")) {
    return { part: dropUndefined({ column: rest[0].value, order, collate }), dropped: false };
  }
  const wrapped = rest[0]?.text === "(" && closingParen(rest, 0) === rest.length - 1;
  // A collation stays part of the expression (`(lower(x) COLLATE NOCASE)` indexes the same); the model gives an
  // expression part no order, so DESC is lost.
  const expression = joinTokens(wrapped ? rest.slice(1, -1) : rest);
  return { part: { expression: collate ? `${expression} COLLATE ${collate}` : expression }, dropped: order === "DESC" };
}
