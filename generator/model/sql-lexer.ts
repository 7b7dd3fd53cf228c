// The one SQL lexer: SQLite's text cut into pieces the way SQLite cuts it, for every reader of SQL here: the
// statement splitter (schema-script.ts), the CREATE statement parser (create-parser.ts) and comparison keys. It
// knows strings ('it''s'), blobs (x'00'), quoted names ("a", `a`, [a]), numbers, words, operators, comments and
// white space; nothing about grammar. A string, quoted name or block comment the text ends inside is marked, so a
// reader that must be sure where a statement ends can give up.

export type SqlPieceType = "space" | "comment" | "word" | "quoted" | "string" | "blob" | "number" | "punct";

/** A stretch of the text: `sql.slice(start, end)`. A line comment includes its newline. */
export interface SqlPiece {
  type: SqlPieceType;
  start: number;
  end: number;
  /** A string, blob, quoted name or block comment whose closing quote or `*∕` never comes. */
  unterminated?: true;
}

/** A piece that is not white space or a comment. */
export interface Token {
  type: Exclude<SqlPieceType, "space" | "comment">;
  /** The token as written. */
  text: string;
  /** Words: the word; quoted identifiers: the name without quotes; others: the text. */
  value: string;
  /** White space or a comment separates it from the previous token. */
  spaceBefore: boolean;
}

const operators = ["->>", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"];
const operatorStarts = new Set(operators.map((operator) => operator[0]));
const closingQuote: Record<string, string> = { '"': '"', "`": "`", "[": "]" };

// Sticky patterns matched where the scan stands (no copy of the rest of the text): the lexer reads every squash
// and migration, megabytes at a thousand tables.
const spaceRun = /\s+/y;
const numberAt = /(?:0x[0-9a-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)/iy;
const wordAt = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** Where `pattern` stops matching at `start`, or start + 1 when it does not match there. */
function endOf(pattern: RegExp, sql: string, start: number): number {
  pattern.lastIndex = start;
  return pattern.test(sql) ? pattern.lastIndex : start + 1;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isSpace = (code: number, char: string) => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(char));

/** Every piece of `sql`, in order, covering all of it. */
export function scanSql(sql: string): SqlPiece[] {
  const pieces: SqlPiece[] = [];
  let i = 0;
  const push = (type: SqlPieceType, end: number, unterminated = false) => {
    pieces.push(unterminated ? { type, start: i, end, unterminated } : { type, start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const char = sql[i];
    const code = sql.charCodeAt(i);
    if (isSpace(code, char)) {
      push("space", endOf(spaceRun, sql, i));
    } else if (char === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      push("comment", end === -1 ? sql.length : end + 1);
    } else if (char === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      push("comment", end === -1 ? sql.length : end + 2, end === -1);
    } else if (char === "'" || ((char === "x" || char === "X") && sql[i + 1] === "'")) {
      let end = sql.indexOf("'", char === "'" ? i + 1 : i + 2);
      while (end !== -1 && sql[end + 1] === "'") end = sql.indexOf("'", end + 2);
      push(char === "'" ? "string" : "blob", end === -1 ? sql.length : end + 1, end === -1);
    } else if (char in closingQuote) {
      const close = closingQuote[char];
      let end = sql.indexOf(close, i + 1);
      while (close !== "]" && end !== -1 && sql[end + 1] === close) end = sql.indexOf(close, end + 2);
      push("quoted", end === -1 ? sql.length : end + 1, end === -1);
    } else if (isDigit(code) || (char === "." && isDigit(sql.charCodeAt(i + 1)))) {
      push("number", endOf(numberAt, sql, i));
    } else if (isWordStart(code)) {
      push("word", endOf(wordAt, sql, i));
    } else {
      const operator = operatorStarts.has(char) ? operators.find((candidate) => sql.startsWith(candidate, i)) : undefined;
      push("punct", i + (operator?.length ?? 1));
    }
  }
  return pieces;
}

/**
 * The statements of `sql` as its pieces (scanSql) make them: cut at each `;` that is punctuation, each comment a
 * space, trimmed, empty ones left out. Undefined when a string, quoted name or block comment never ends. Scanned
 * without piece objects: it reads every squash and migration, megabytes at a thousand tables, and only strings,
 * quoted names, comments and `;` decide where a statement ends.
 */
export function splitSqlStatements(sql: string): string[] | undefined {
  const statements: string[] = [];
  let current = "";
  let kept = 0; // where the text not yet added to `current` starts
  let i = 0;
  const finishStatement = (end: number) => {
    const statement = (current + sql.slice(kept, end)).trim();
    if (statement !== "") statements.push(statement);
    current = "";
  };
  while (i < sql.length) {
    const char = sql[i];
    if ((char === "-" && sql[i + 1] === "-") || (char === "/" && sql[i + 1] === "*")) {
      const line = char === "-";
      const close = line ? sql.indexOf("\n", i + 2) : sql.indexOf("*/", i + 2);
      if (close === -1 && !line) return undefined;
      current += `${sql.slice(kept, i)} `;
      i = close === -1 ? sql.length : close + (line ? 1 : 2);
      kept = i;
    } else if (char === "'" || char in closingQuote) {
      const close = char === "'" ? "'" : closingQuote[char];
      let end = sql.indexOf(close, i + 1);
      while (close !== "]" && end !== -1 && sql[end + 1] === close) end = sql.indexOf(close, end + 2);
      if (end === -1) return undefined;
      i = end + 1;
    } else if (char === ";") {
      finishStatement(i);
      i++;
      kept = i;
    } else {
      i++;
    }
  }
  finishStatement(sql.length);
  return statements;
}

/** The tokens of `sql`: its pieces without white space and comments, each knowing whether space came before it. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let space = false;
  for (const piece of scanSql(sql)) {
    if (piece.type === "space" || piece.type === "comment") {
      space = true;
      continue;
    }
    const text = sql.slice(piece.start, piece.end);
    tokens.push({ type: piece.type, text, value: piece.type === "quoted" ? unquote(text) : text, spaceBefore: space });
    space = false;
  }
  return tokens;
}

/** A quoted name without its quotes, doubled quotes made single (`[a]` has none to undouble). */
function unquote(text: string): string {
  const close = closingQuote[text[0]];
  return text.slice(1, -1).replaceAll(close + close, close);
}

/** The tokens as text with white space folded: one space where the source had any, none after `(` or before `)` and `,`. */
export function joinTokens(tokens: readonly Token[]): string {
  let text = "";
  tokens.forEach((token, index) => {
    if (index > 0 && token.spaceBefore && tokens[index - 1].text !== "(" && token.text !== ")" && token.text !== ",") text += " ";
    text += token.text;
  });
  return text;
}

/** `sql` with white space folded as joinTokens folds it, comments dropped. */
export function foldWhiteSpace(sql: string): string {
  return joinTokens(tokenize(sql));
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.type === "word" && words.includes(token.value.toUpperCase());
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === "(") depth++;
    if (tokens[i].text === ")" && --depth === 0) return i;
  }
  return -1;
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
