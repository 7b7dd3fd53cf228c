// A live SQLite database → the normalized model, the shape `drift` compares with the schema and `pull` writes as
// schema files. SQLite's PRAGMAs are the authority for what they report (columns, types, NOT NULL, defaults, keys,
// UNIQUE, foreign keys, index columns, STRICT, WITHOUT ROWID); what only the CREATE statements hold (CHECKs,
// COLLATE, generated expressions, AUTOINCREMENT, index expressions and WHERE) is read from sqlite_schema with a
// small tokenizer. Expressions come back with white space folded (one space where the source had any, none inside
// parentheses), so a squash that sql-formatter spread over lines reads as the one-line fragment the schema wrote.
//
// What the model cannot hold is reported as a note, never guessed: declared types other than the five (kept as
// their affinity), ON CONFLICT clauses, DEFERRABLE foreign keys, DESC or COLLATE in a PRIMARY KEY, a second CHECK
// on one column (kept as a table CHECK), views, triggers and virtual tables.
import { isReservedTableName, toolPrefix } from "../model/identifiers.js";
import {
  sqlTypes,
  type Column,
  type Database,
  type ForeignKey,
  type Index,
  type IndexPart,
  type ReferentialAction,
  type SqlType,
  type Table,
} from "../model/model.js";
import { compareNames, dropUndefined } from "../model/normalize.js";
import { normalizeDefaultSql } from "../model/sql-fragment.js";
import type { SqliteDatabase } from "./apply.js";
import type { TableXInfoRow } from "./pragma-rows.js";

export interface Introspection {
  database: Database;
  /** What the model cannot hold or the tokenizer could not read, as `table.column: what`. */
  notes: string[];
}

/** The database's identity, which SQLite does not know: taken from the schema (drift) or the command line (pull). */
export type DatabaseIdentity = Omit<Database, "tables">;

export function introspectDatabase(db: SqliteDatabase, identity: DatabaseIdentity): Introspection {
  const notes: string[] = [];
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name").all() as SchemaRow[];
  const kinds = new Map(
    (db.prepare("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'").all() as TableListRow[]).map((row) => [row.name, row]),
  );
  const tables: Table[] = [];
  for (const object of objects) {
    if (isReservedTableName(object.tbl_name) || object.tbl_name.toLowerCase().startsWith(toolPrefix)) continue;
    if (object.type === "view" || object.type === "trigger") {
      notes.push(
        `${object.type} ${object.name}${object.type === "trigger" ? ` on ${object.tbl_name}` : ""}: not part of the schema language; keep it in a hand-written migration`,
      );
      continue;
    }
    if (object.type !== "table") continue;
    const kind = kinds.get(object.name);
    if (kind?.type === "shadow") continue;
    if (kind?.type === "virtual" || /^\s*CREATE\s+VIRTUAL\b/i.test(object.sql)) {
      notes.push(`virtual table ${object.name}: not part of the schema language (D1 cannot export it either); left out`);
      continue;
    }
    tables.push(introspectTable(db, object.name, object.sql, { withoutRowid: kind?.wr === 1, strict: kind?.strict === 1 }, notes));
  }
  return { database: { ...identity, tables: tables.sort((a, b) => compareNames(a.name, b.name)) }, notes };
}

/**
 * An SQL fragment as a comparison key: tokens without white space, words and identifiers in upper case (SQLite
 * compares both without case), outer parentheses dropped. `lower(hex (x))` and `LOWER(hex(x))` get one key.
 */
export function sqlComparisonKey(sql: string): string {
  let tokens = tokenize(sql);
  while (tokens.length >= 2 && tokens[0].text === "(" && closingParen(tokens, 0) === tokens.length - 1) tokens = tokens.slice(1, -1);
  return tokens.map((token) => (token.type === "word" || token.type === "quoted" ? token.value.toUpperCase() : token.text)).join(" ");
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

interface TableListRow {
  name: string;
  type: string;
  wr: number;
  strict: number;
}

function introspectTable(db: SqliteDatabase, name: string, sql: string, options: { withoutRowid: boolean; strict: boolean }, notes: string[]): Table {
  const pragma = <T>(query: string, argument = name) => db.prepare(`SELECT * FROM pragma_${query}(?)`).all(argument) as T[];
  const parsed = parseCreateTable(sql);
  notes.push(...parsed.problems.map((problem) => `${name}: ${problem}`));
  const xinfo = pragma<TableXInfoRow>("table_xinfo").filter((row) => row.hidden !== 1);
  const checks = [...parsed.checks];
  const columns = xinfo.map((row) => {
    const written = parsed.columns.get(row.name.toLowerCase());
    const note = (what: string) => notes.push(`${name}.${row.name}: ${what}`);
    if (written && written.checks.length > 1) {
      note("has more than one CHECK; the first stays on the column, the others become table CHECKs (same effect)");
      checks.push(...written.checks.slice(1));
    }
    return introspectColumn(row, written, options.withoutRowid || options.strict, note);
  });

  const keyColumns = xinfo.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk);
  if (
    keyColumns.length === 1 &&
    !options.withoutRowid &&
    columns.find((column) => column.name === keyColumns[0].name)?.type === "INTEGER" &&
    keyColumns[0].type.trim().toUpperCase() !== "INTEGER"
  ) {
    notes.push(
      `${name}.${keyColumns[0].name}: is ${keyColumns[0].type} PRIMARY KEY, a key apart from the rowid; the schema's INTEGER PRIMARY KEY is the rowid itself (it then takes integers only)`,
    );
  }
  const autoincrement = keyColumns.length === 1 && (parsed.columns.get(keyColumns[0].name.toLowerCase())?.autoincrement ?? false);
  const positionOf = new Map(xinfo.map((row) => [row.name.toLowerCase(), row.cid]));
  const position = (column: string) => positionOf.get(column.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  const indexList = pragma<{ seq: number; name: string; unique: number; origin: string; partial: number }>("index_list");

  // Single-column constraints first in column order, then composite ones in declaration order: the order the
  // model gives a table whose single-column constraints are written on the columns.
  const uniques = indexList
    .filter((index) => index.origin === "u")
    .map((index) => ({
      columns: pragma<{ seqno: number; name: string }>("index_info", index.name)
        .sort((a, b) => a.seqno - b.seqno)
        .map((row) => row.name),
      number: autoindexNumber(index.name),
    }))
    .sort((a, b) => singleFirst(a.columns, b.columns, position) || a.number - b.number)
    .map(({ columns: names }) => ({ columns: names }));

  const foreignKeys = introspectForeignKeys(db, name, pragma, notes).sort(
    (a, b) => singleFirst(a.foreignKey.columns, b.foreignKey.columns, position) || b.id - a.id,
  );
  const indexes = indexList
    .filter((index) => index.origin === "c")
    .flatMap((index) => introspectIndex(db, name, index.name, index.unique === 1, notes))
    .sort((a, b) => compareNames(a.name, b.name));

  return dropUndefined({
    name,
    columns,
    primaryKey: keyColumns.length > 0 ? { columns: keyColumns.map((row) => row.name), autoincrement } : undefined,
    uniques,
    checks: checks.map((expression) => ({ expression })),
    foreignKeys: foreignKeys.map((entry) => entry.foreignKey),
    indexes,
    withoutRowid: options.withoutRowid,
    strict: options.strict,
  });
}

function introspectColumn(row: TableXInfoRow, written: WrittenColumn | undefined, impliedKeyNotNull: boolean, note: (what: string) => void): Column {
  const type = columnType(row.type, note);
  // WITHOUT ROWID and STRICT tables make their key columns NOT NULL whether or not the statement says so; the
  // model records what was written.
  const notNull = impliedKeyNotNull && row.pk > 0 && written ? written.notNull : row.notnull === 1;
  let defaultValue: Column["default"];
  if (row.dflt_value !== null) {
    // SQLite reports a parenthesized default without its parentheses; the statement says whether it had them.
    const text = foldWhiteSpace(row.dflt_value);
    defaultValue = normalizeDefaultSql(written?.defaultParenthesized ? `(${text})` : text);
  }
  let generated: Column["generated"];
  if (row.hidden === 2 || row.hidden === 3) {
    if (written?.generated) generated = { expression: written.generated, stored: row.hidden === 3 };
    else note("is a generated column whose expression could not be read from the CREATE TABLE statement");
  }
  if (written?.conflictClause) note("has an ON CONFLICT clause, which the schema language cannot hold; it is left out");
  if (written?.deferrable) note("has a DEFERRABLE foreign key, which the schema language cannot hold; it is read as immediate");
  if (written?.keyOrder) note("has PRIMARY KEY DESC, which the schema language cannot hold; read as PRIMARY KEY");
  return dropUndefined({
    name: row.name,
    type,
    logical: type.toLowerCase() as Column["logical"],
    notNull,
    default: defaultValue,
    check: written?.checks[0],
    collate: written?.collate?.toUpperCase(),
    generated,
  });
}

/** The declared type as one of the five: itself, or the affinity SQLite gives it (sqlite.org/datatype3.html 3.1). */
function columnType(declared: string, note: (what: string) => void): SqlType {
  const upper = declared.trim().toUpperCase();
  if ((sqlTypes as readonly string[]).includes(upper)) return upper as SqlType;
  const affinity: SqlType = upper.includes("INT")
    ? "INTEGER"
    : /CHAR|CLOB|TEXT/.test(upper)
      ? "TEXT"
      : upper === "" || upper.includes("BLOB")
        ? "BLOB"
        : /REAL|FLOA|DOUB/.test(upper)
          ? "REAL"
          : "NUMERIC";
  note(`${upper === "" ? "has no declared type" : `is declared ${declared.trim()}`}; read as ${affinity}, the affinity SQLite gives it`);
  return affinity;
}

function introspectForeignKeys(
  db: SqliteDatabase,
  table: string,
  pragma: <T>(query: string, argument?: string) => T[],
  notes: string[],
): { id: number; foreignKey: ForeignKey }[] {
  const rows = pragma<{ id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }>("foreign_key_list");
  const ids = [...new Set(rows.map((row) => row.id))];
  return ids.flatMap((id) => {
    const parts = rows.filter((row) => row.id === id).sort((a, b) => a.seq - b.seq);
    const parent = parts[0].table;
    let refColumns = parts.map((row) => row.to);
    if (refColumns.some((column) => column === null)) {
      // `REFERENCES parent` without columns means the parent's primary key.
      const key = (db.prepare("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk").all(parent) as { name: string }[]).map((row) => row.name);
      if (key.length !== parts.length) {
        notes.push(
          `${table}(${parts.map((row) => row.from).join(", ")}): references ${parent} without naming columns, and ${parent} has no matching primary key; the foreign key is left out`,
        );
        return [];
      }
      refColumns = key;
    }
    return [
      {
        id,
        foreignKey: {
          columns: parts.map((row) => row.from),
          table: parent,
          refColumns: refColumns as string[],
          onDelete: parts[0].on_delete.toUpperCase() as ReferentialAction,
          onUpdate: parts[0].on_update.toUpperCase() as ReferentialAction,
        },
      },
    ];
  });
}

function introspectIndex(db: SqliteDatabase, table: string, name: string, unique: boolean, notes: string[]): Index[] {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) as { sql: string | null } | undefined;
  const parsed = row?.sql ? parseCreateIndex(row.sql) : undefined;
  const keyColumns = db.prepare("SELECT 1 FROM pragma_index_xinfo(?) WHERE key = 1").all(name).length;
  if (!parsed || parsed.parts.length !== keyColumns) {
    notes.push(`index ${name} on ${table}: its CREATE INDEX statement could not be read; left out`);
    return [];
  }
  if (parsed.orderedExpressions) {
    notes.push(`index ${name} on ${table}: orders an expression DESC, which the schema language cannot hold; read as ascending`);
  }
  return [dropUndefined({ name, unique, parts: parsed.parts, where: parsed.where })];
}

function autoindexNumber(name: string): number {
  return Number(/_(\d+)$/.exec(name)?.[1] ?? 0);
}

function singleFirst(a: string[], b: string[], position: (column: string) => number): number {
  const rank = (columns: string[]) => (columns.length === 1 ? position(columns[0]) : Number.MAX_SAFE_INTEGER);
  return rank(a) - rank(b);
}

// ---- The tokenizer and the two statements it reads --------------------------------------------------------------

interface Token {
  type: "word" | "quoted" | "string" | "blob" | "number" | "punct";
  /** The token as written. */
  text: string;
  /** Words: the word; quoted identifiers: the name without quotes; others: the text. */
  value: string;
  /** White space or a comment separates it from the previous token. */
  spaceBefore: boolean;
}

const operators = ["->>", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"];
const closingQuote: Record<string, string> = { '"': '"', "`": "`", "[": "]" };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let space = false;
  let i = 0;
  const push = (type: Token["type"], end: number, value?: string) => {
    const text = sql.slice(i, end);
    tokens.push({ type, text, value: value ?? text, spaceBefore: space });
    space = false;
    i = end;
  };
  while (i < sql.length) {
    const char = sql[i];
    if (/\s/.test(char)) {
      space = true;
      i++;
    } else if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end;
      space = true;
    } else if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
      space = true;
    } else if (char === "'" || ((char === "x" || char === "X") && sql[i + 1] === "'")) {
      let end = sql.indexOf("'", char === "'" ? i + 1 : i + 2);
      while (end !== -1 && sql[end + 1] === "'") end = sql.indexOf("'", end + 2);
      push(char === "'" ? "string" : "blob", end === -1 ? sql.length : end + 1);
    } else if (char in closingQuote) {
      const close = closingQuote[char];
      let end = sql.indexOf(close, i + 1);
      while (close !== "]" && end !== -1 && sql[end + 1] === close) end = sql.indexOf(close, end + 2);
      const stop = end === -1 ? sql.length : end + 1;
      push("quoted", stop, sql.slice(i + 1, stop - 1).replaceAll(close + close, close));
    } else if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const match = /^(?:0x[0-9a-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)/i.exec(sql.slice(i));
      push("number", i + (match?.[0].length ?? 1));
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      push("word", i + match[0].length);
    } else {
      const operator = operators.find((candidate) => sql.startsWith(candidate, i));
      push("punct", i + (operator?.length ?? 1));
    }
  }
  return tokens;
}

/** The tokens as text with white space folded: one space where the source had any, none after `(` or before `)` and `,`. */
function joinTokens(tokens: readonly Token[]): string {
  let text = "";
  tokens.forEach((token, index) => {
    if (index > 0 && token.spaceBefore && tokens[index - 1].text !== "(" && token.text !== ")" && token.text !== ",") text += " ";
    text += token.text;
  });
  return text;
}

function foldWhiteSpace(sql: string): string {
  return joinTokens(tokenize(sql));
}

function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.type === "word" && words.includes(token.value.toUpperCase());
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === "(") depth++;
    if (tokens[i].text === ")" && --depth === 0) return i;
  }
  return -1;
}

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

interface WrittenColumn {
  checks: string[];
  collate?: string;
  generated?: string;
  autoincrement: boolean;
  notNull: boolean;
  defaultParenthesized: boolean;
  conflictClause: boolean;
  deferrable: boolean;
  keyOrder: boolean;
}

interface WrittenTable {
  columns: Map<string, WrittenColumn>;
  checks: string[];
  problems: string[];
}

const columnConstraintStart = ["CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"];
const tableConstraintStart = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

function parseCreateTable(sql: string): WrittenTable {
  const written: WrittenTable = { columns: new Map(), checks: [], problems: [] };
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
      written.columns.set(name.toLowerCase(), readColumnConstraints(item, name, written.problems));
    }
  }
  return written;
}

function readColumnConstraints(item: readonly Token[], name: string, problems: string[]): WrittenColumn {
  const column: WrittenColumn = {
    checks: [],
    autoincrement: false,
    notNull: false,
    defaultParenthesized: false,
    conflictClause: false,
    deferrable: false,
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
  while (i < item.length) {
    const token = item[i];
    const word = token.type === "word" ? token.value.toUpperCase() : "";
    if (word === "CONSTRAINT") i += 2;
    else if (word === "PRIMARY" && isWord(item[i + 1], "KEY")) {
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
      i += 2;
    } else if (word === "NOT" && isWord(item[i + 1], "DEFERRABLE")) i += 2;
    else if (word === "NULL" || word === "UNIQUE") i++;
    else if (word === "ON" && isWord(item[i + 1], "CONFLICT")) {
      column.conflictClause = true;
      i += 3;
    } else if (word === "CHECK" && parenthesized(i + 1)) {
      const { inner, next } = parenthesized(i + 1)!;
      column.checks.push(joinTokens(inner));
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
      const end = skipReferences(item, i);
      column.deferrable ||= isDeferred(item.slice(i, end));
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
  const text = joinTokens(item);
  if (isWord(item[start], "CHECK") && item[start + 1]?.text === "(") {
    const end = closingParen(item, start + 1);
    written.checks.push(joinTokens(item.slice(start + 2, end)));
    return;
  }
  if (item.some((token, index) => isWord(token, "ON") && isWord(item[index + 1], "CONFLICT"))) {
    written.problems.push(`"${text}" has an ON CONFLICT clause, which the schema language cannot hold; it is left out`);
  }
  if (isWord(item[start], "PRIMARY") && item.some((token) => isWord(token, "DESC", "COLLATE"))) {
    written.problems.push(`"${text}" orders or collates a key column, which the schema language cannot hold; read as a plain PRIMARY KEY`);
  }
  if (isWord(item[start], "FOREIGN") && isDeferred(item)) {
    written.problems.push(`"${text}" is DEFERRABLE, which the schema language cannot hold; read as immediate`);
  }
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

/** DEFERRABLE INITIALLY DEFERRED, the one combination that changes when SQLite checks the key. */
function isDeferred(tokens: readonly Token[]): boolean {
  return tokens.some(
    (token, index) =>
      isWord(token, "DEFERRABLE") && !isWord(tokens[index - 1], "NOT") && isWord(tokens[index + 1], "INITIALLY") && isWord(tokens[index + 2], "DEFERRED"),
  );
}

function parseCreateIndex(sql: string): { parts: IndexPart[]; where?: string; orderedExpressions: boolean } | undefined {
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
