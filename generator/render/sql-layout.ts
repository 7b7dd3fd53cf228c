// The statements this tool writes, laid out exactly as sql-formatter (SQLite dialect, tabWidth 2, keywordCase
// preserve) lays them out, without loading it: sql-formatter parses every statement with a nearley grammar, which
// cost seconds a generate at 1,000 tables. Only the shapes our renderers produce are laid out here (CREATE TABLE
// and INDEX, ALTER TABLE, DROP, PRAGMA, INSERT … SELECT, DELETE, UPDATE) over a small set of tokens; anything else
// (a user's expression with CASE, a subquery, an unknown function, odd spacing around a sign, a comment) returns
// undefined and sql-file.ts asks sql-formatter. test/render/sql-layout.test.ts holds the layout to its output.

import { scanSql, tokenize as tokenizeSql } from "../model/sql-lexer.js";

/** sql-formatter's expressionWidth: a parenthesized group at least this long inline is broken over lines. */
const expressionWidth = 50;
const indentUnit = "  ";

type TokenKind = "word" | "quoted" | "string" | "number" | "operator" | "(" | ")" | "," | ".";
interface Token {
  kind: TokenKind;
  text: string;
  /** Whether white space preceded the token in the input (sql-formatter's tokenizer reads a few things by it). */
  spaced: boolean;
}
interface Group {
  kind: "group";
  nodes: Node[];
  spaced: boolean;
}
type Node = Token | Group;

/**
 * Functions sql-formatter's SQLite dialect knows (its `sqlite.functions`), written glued to their parenthesis. A
 * name it does not know is written `name (…)`, which we leave to sql-formatter.
 */
export const knownFunctions = new Set(
  `ABS CHANGES CHAR COALESCE FORMAT GLOB HEX IFNULL IIF INSTR LAST_INSERT_ROWID LENGTH LIKE LIKELIHOOD LIKELY
  LOAD_EXTENSION LOWER LTRIM NULLIF PRINTF QUOTE RANDOM RANDOMBLOB REPLACE ROUND RTRIM SIGN SOUNDEX
  SQLITE_COMPILEOPTION_GET SQLITE_COMPILEOPTION_USED SQLITE_OFFSET SQLITE_SOURCE_ID SQLITE_VERSION SUBSTR SUBSTRING
  TOTAL_CHANGES TRIM TYPEOF UNICODE UNLIKELY UPPER ZEROBLOB AVG COUNT GROUP_CONCAT MAX MIN SUM TOTAL DATE TIME DATETIME
  JULIANDAY UNIXEPOCH STRFTIME ROW_NUMBER RANK DENSE_RANK PERCENT_RANK CUME_DIST NTILE LAG LEAD FIRST_VALUE LAST_VALUE
  NTH_VALUE ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CEIL CEILING COS COSH DEGREES EXP FLOOR LN LOG LOG10 LOG2 MOD PI POW
  POWER RADIANS SIN SINH SQRT TAN TANH TRUNC JSON JSON_ARRAY JSON_ARRAY_LENGTH JSON_EXTRACT JSON_INSERT JSON_OBJECT
  JSON_PATCH JSON_REMOVE JSON_REPLACE JSON_SET JSON_TYPE JSON_VALID JSON_QUOTE JSON_GROUP_ARRAY JSON_GROUP_OBJECT
  JSON_EACH JSON_TREE CAST`.split(/\s+/),
);
/**
 * Words sql-formatter reads as the start of a clause, a join or a CASE: where they appear outside the places the
 * statement layouts below expect them, the statement is left to sql-formatter.
 */
const clauseWords = new Set(
  `WITH SELECT FROM WHERE GROUP HAVING WINDOW PARTITION ORDER LIMIT OFFSET INSERT REPLACE VALUES SET RETURNING CREATE
  UPDATE CONFLICT DELETE DROP ALTER ADD RENAME JOIN LEFT RIGHT FULL INNER CROSS NATURAL ROWS RANGE GROUPS DO UNION
  EXCEPT INTERSECT CASE WHEN THEN ELSE END VIEW TRIGGER`.split(/\s+/),
);
/** Words after which a sign belongs to the number that follows (`DEFAULT -1`, `>= -5`). */
const operatorWords = new Set("AND OR NOT IS IN LIKE GLOB BETWEEN DEFAULT CHECK AS ESCAPE MATCH REGEXP".split(" "));
const binaryOperators = new Set(["||", "<<", ">>", "<=", ">=", "==", "!=", "<>", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|"]);

/** The statement (no trailing semicolon) as sql-formatter would print it, or undefined when not sure. */
export function layoutStatement(sql: string): string | undefined {
  const tokens = tokenize(sql);
  if (!tokens) return undefined;
  const nodes = nest(tokens);
  if (!nodes) return undefined;
  const words = nodes.map((node) => (node.kind === "word" ? node.text.toUpperCase() : ""));
  const at = (...expected: string[]) => expected.every((word, position) => words[position] === word);
  const clauseAt = (word: string, from = 0) => words.indexOf(word, from);
  try {
    if (at("CREATE", "TABLE")) {
      const as = words.indexOf("AS");
      if (as < 0) return head(nodes, 2);
      if (words[as + 1] !== "SELECT") return undefined;
      return [head(nodes.slice(0, as + 1), 2), ...selectClauses(nodes.slice(as + 1), words.slice(as + 1))].join("\n");
    }
    if (at("CREATE", "INDEX") || at("CREATE", "UNIQUE", "INDEX")) {
      const where = clauseAt("WHERE");
      if (where < 0) return head(nodes, 2);
      return [head(nodes.slice(0, where), 2), indentedClause("WHERE", nodes.slice(where + 1))].join("\n");
    }
    if (at("ALTER", "TABLE")) {
      const action = words.findIndex((word, position) => position > 2 && ["ADD", "DROP", "RENAME"].includes(word));
      if (action !== 3) return undefined;
      return [head(nodes.slice(0, action), 2), head(nodes.slice(action), 2)].join("\n");
    }
    if (at("DROP", "TABLE") || at("DROP", "INDEX")) return head(nodes, 2);
    if (at("PRAGMA")) return head(nodes, 1);
    if (at("DELETE", "FROM")) {
      const where = clauseAt("WHERE");
      if (where < 0) return head(nodes, 2);
      return [head(nodes.slice(0, where), 2), indentedClause("WHERE", nodes.slice(where + 1))].join("\n");
    }
    if (at("INSERT", "INTO")) {
      const select = clauseAt("SELECT");
      if (select < 0) return undefined;
      return [indentedClause("INSERT INTO", nodes.slice(2, select)), ...selectClauses(nodes.slice(select), words.slice(select))].join("\n");
    }
    if (at("UPDATE")) {
      const set = clauseAt("SET");
      const where = clauseAt("WHERE");
      if (set !== 2) return undefined;
      return [
        head(nodes.slice(0, set), 1),
        indentedClause("SET", nodes.slice(set + 1, where < 0 ? undefined : where)),
        ...(where < 0 ? [] : [indentedClause("WHERE", nodes.slice(where + 1))]),
      ].join("\n");
    }
    return undefined;
  } catch (error) {
    if (error instanceof NotSure) return undefined;
    throw error;
  }
}

class NotSure extends Error {}

function selectClauses(nodes: Node[], words: string[]): string[] {
  const from = words.indexOf("FROM");
  const where = words.indexOf("WHERE");
  if (from < 0) throw new NotSure();
  return [
    indentedClause("SELECT", nodes.slice(1, from)),
    indentedClause("FROM", nodes.slice(from + 1, where < 0 ? undefined : where)),
    ...(where < 0 ? [] : [indentedClause("WHERE", nodes.slice(where + 1))]),
  ];
}

/** A clause printed on its first line: the statement's own words, then the rest at the top level. */
function head(nodes: Node[], leadingWords: number): string {
  return `${nodes
    .slice(0, leadingWords)
    .map((node) => (node as Token).text)
    .join(" ")} ${body(nodes.slice(leadingWords), 0, true)}`.trimEnd();
}

/** `KEYWORD` on its own line, its body indented on the next (SELECT, FROM, WHERE, SET, INSERT INTO). */
function indentedClause(keyword: string, nodes: Node[]): string {
  return `${keyword}\n${indentUnit}${body(nodes, 1, false)}`;
}

/**
 * Nodes printed at an indentation level, outside any inline group: a comma ends the line, AND and OR start one.
 * `clauseWordsAllowed` is false where no word may start a clause (a clause body); the heads above check their own.
 */
function body(nodes: Node[], level: number, clauseWordsAllowed: boolean): string {
  let text = "";
  let betweenPending = false;
  nodes.forEach((node, position) => {
    if (node.kind === "group") {
      text += spaceBefore(nodes, position) + group(node, level);
      return;
    }
    const upper = node.text.toUpperCase();
    if (node.kind === "word" && !clauseWordsAllowed && clauseWords.has(upper)) throw new NotSure();
    if (node.kind === "word" && upper === "BETWEEN") betweenPending = true;
    if (node.kind === "," && !betweenPending) {
      text += `,\n${indentUnit.repeat(level)}`;
      return;
    }
    if (node.kind === "word" && (upper === "AND" || upper === "OR") && !(upper === "AND" && betweenPending)) {
      if (text.trim() === "" || text.endsWith(",\n" + indentUnit.repeat(level))) throw new NotSure(); // AND with nothing before it
      text = `${text.trimEnd()}\n${indentUnit.repeat(level)}${node.text}`;
      return;
    }
    if (node.kind === "word" && upper === "AND") betweenPending = false;
    text += (text === "" || text.endsWith("\n" + indentUnit.repeat(level)) ? "" : spaceBefore(nodes, position)) + node.text;
  });
  return text;
}

/** A parenthesized group: inline when it can be and is short enough, else one item a line one level deeper. */
function group(node: Group, level: number): string {
  const inline = inlineText(node.nodes);
  if (inline !== undefined && inline.length < expressionWidth) return `(${inline})`;
  return `(\n${indentUnit.repeat(level + 1)}${body(node.nodes, level + 1, false)}\n${indentUnit.repeat(level)})`;
}

/** The nodes on one line, or undefined when something in them forces a line break (AND, OR outside BETWEEN). */
function inlineText(nodes: Node[]): string | undefined {
  let text = "";
  let betweenPending = false;
  for (const [position, node] of nodes.entries()) {
    if (node.kind === "group") {
      const inner = inlineText(node.nodes);
      if (inner === undefined || inner.length >= expressionWidth) return undefined;
      text += `${spaceBefore(nodes, position)}(${inner})`;
      continue;
    }
    const upper = node.text.toUpperCase();
    if (node.kind === "word" && clauseWords.has(upper)) throw new NotSure();
    if (node.kind === "word" && upper === "BETWEEN") betweenPending = true;
    else if (node.kind === "word" && upper === "AND") {
      if (!betweenPending) return undefined;
      betweenPending = false;
    } else if (node.kind === "word" && upper === "OR") return undefined;
    text += (position === 0 ? "" : spaceBefore(nodes, position)) + node.text;
  }
  return text;
}

/** The space (or none) sql-formatter puts before nodes[position], given what comes before it. */
function spaceBefore(nodes: Node[], position: number): string {
  if (position === 0) return "";
  const node = nodes[position];
  const previous = nodes[position - 1];
  if (node.kind === "." || previous.kind === ".") {
    // a qualified name (`t.x`); a dot anywhere else (`.5`) is sql-formatter's to read
    const [before, after] = node.kind === "." ? [previous, nodes[position + 1]] : [nodes[position - 2], node];
    if (!before || !after || !["word", "quoted"].includes(before.kind) || !["word", "quoted"].includes(after.kind)) throw new NotSure();
    return "";
  }
  if (node.kind === ",") return "";
  if (node.kind === "group") {
    if (previous.kind !== "word") return " ";
    const known = knownFunctions.has(previous.text.toUpperCase());
    if (known !== !node.spaced) throw new NotSure(); // `lower (a)` or `my_func(a)`: sql-formatter's call, not ours
    return known ? "" : " ";
  }
  if (previous.kind === "operator" && (previous.text === "-" || previous.text === "+") && isSign(nodes, position - 1)) return "";
  return " ";
}

/** Whether the + or - at nodes[position] is a sign (glued to the number after it) rather than an operator. */
function isSign(nodes: Node[], position: number): boolean {
  const previous = nodes[position - 1];
  const operand =
    previous !== undefined &&
    (previous.kind === "group" ||
      previous.kind === "quoted" ||
      previous.kind === "string" ||
      previous.kind === "number" ||
      (previous.kind === "word" && !operatorWords.has(previous.text.toUpperCase())));
  const next = nodes[position + 1];
  if (operand) {
    // sql-formatter's tokenizer reads `2-1` as 2 and -1: leave a sign glued to a number after an operand to it.
    if (next?.kind === "number" && !next.spaced) throw new NotSure();
    return false;
  }
  if (next?.kind !== "number" || next.spaced) throw new NotSure();
  return true;
}

/** The statement's tokens (model/sql-lexer.ts) in the kinds laid out here; undefined for what is sql-formatter's. */
function tokenize(sql: string): Token[] | undefined {
  const pieces = scanSql(sql);
  // comments and unterminated strings: sql-formatter's to place
  if (pieces.some((piece) => piece.type === "comment" || piece.unterminated)) return undefined;
  const tokens: Token[] = [];
  for (const token of tokenizeSql(sql)) {
    if (token.type === "string" && token.text.includes("\n")) return undefined;
    if (token.type === "number" && !/^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(token.text)) return undefined; // 0x1F, .5, 1.
    const kind: TokenKind =
      token.type === "blob"
        ? "string"
        : token.type === "punct"
          ? ["(", ")", ",", "."].includes(token.text)
            ? (token.text as "(" | ")" | "," | ".")
            : "operator"
          : token.type;
    tokens.push({ kind, text: token.text, spaced: token.spaceBefore });
  }
  return mergeActionPhrases(tokens);
}

/**
 * `ON DELETE SET NULL` and the like are one keyword phrase to sql-formatter, never a clause: one word here. So is a
 * constraint's `ON CONFLICT REPLACE` (see conflictPhrasesAsWords).
 */
function mergeActionPhrases(tokens: Token[]): Token[] {
  const merged: Token[] = [];
  const upper = (position: number) => (tokens[position]?.kind === "word" ? tokens[position].text.toUpperCase() : "");
  for (let position = 0; position < tokens.length; position++) {
    if (upper(position) === "ON" && upper(position + 1) === "CONFLICT" && conflictAlgorithms.has(upper(position + 2))) {
      merged.push({
        kind: "word",
        text: tokens
          .slice(position, position + 3)
          .map((token) => token.text)
          .join(" "),
        spaced: tokens[position].spaced,
      });
      position += 2;
    } else if (upper(position) === "ON" && ["DELETE", "UPDATE"].includes(upper(position + 1))) {
      const length = upper(position + 2) === "SET" && ["NULL", "DEFAULT"].includes(upper(position + 3)) ? 4 : 2;
      const words = tokens.slice(position, position + length);
      merged.push({ kind: "word", text: words.map((token) => token.text).join(" "), spaced: tokens[position].spaced });
      position += length - 1;
    } else merged.push(tokens[position]);
  }
  return merged;
}

/** Tokens → nodes with parenthesized groups nested; undefined for unbalanced parentheses or a stray `*`. */
function nest(tokens: Token[]): Node[] | undefined {
  const stack: Node[][] = [[]];
  const opened: boolean[] = [];
  for (const token of tokens) {
    if (token.kind === "(") {
      stack.push([]);
      opened.push(token.spaced);
    } else if (token.kind === ")") {
      if (stack.length === 1) return undefined;
      const nodes = stack.pop()!;
      stack[stack.length - 1].push({ kind: "group", nodes, spaced: opened.pop()! });
    } else {
      if (token.kind === "operator" && !binaryOperators.has(token.text)) return undefined;
      stack[stack.length - 1].push(token);
    }
  }
  return stack.length === 1 ? stack[0] : undefined;
}

const conflictAlgorithms = new Set(["ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"]);
const conflictWord = /^(ON)_(CONFLICT)_(ROLLBACK|ABORT|FAIL|IGNORE|REPLACE)$/i;

/**
 * sql-formatter reads every `ON CONFLICT` as an upsert's clause and starts a line with it, so a constraint's
 * `PRIMARY KEY (a, b) ON CONFLICT REPLACE` came out over two lines (and a short column list broken over several).
 * The layout keeps the phrase on its constraint's line, and what is left to sql-formatter is laid out the same way:
 * each phrase becomes one word of the same length (`ON_CONFLICT_REPLACE`) before sql-formatter and the phrase again
 * after (conflictWordsAsPhrases). Undefined when the statement has no such phrase, or already holds such a word.
 */
export function conflictPhrasesAsWords(sql: string): string | undefined {
  const pieces = scanSql(sql).filter((piece) => piece.type !== "space" && piece.type !== "comment");
  const word = (index: number) => (pieces[index]?.type === "word" ? sql.slice(pieces[index].start, pieces[index].end) : "");
  if (pieces.some((_, index) => conflictWord.test(word(index)))) return undefined;
  let text = "";
  let from = 0;
  for (let index = 0; index + 2 < pieces.length; index++) {
    const [on, conflict, algorithm] = [pieces[index], pieces[index + 1], pieces[index + 2]];
    const phrase = sql.slice(on.start, algorithm.end);
    if (word(index).toUpperCase() !== "ON" || word(index + 1).toUpperCase() !== "CONFLICT" || !conflictAlgorithms.has(word(index + 2).toUpperCase())) continue;
    if (conflict.start !== on.end + 1 || algorithm.start !== conflict.end + 1) continue; // one space apart: same length
    text += sql.slice(from, on.start) + phrase.replaceAll(" ", "_");
    from = algorithm.end;
    index += 2;
  }
  return from === 0 ? undefined : text + sql.slice(from);
}

/** The phrases conflictPhrasesAsWords made words, as phrases again. */
export function conflictWordsAsPhrases(sql: string): string {
  let text = "";
  let from = 0;
  for (const piece of scanSql(sql)) {
    const match = piece.type === "word" ? conflictWord.exec(sql.slice(piece.start, piece.end)) : null;
    if (!match) continue;
    text += `${sql.slice(from, piece.start)}${match[1]} ${match[2]} ${match[3]}`;
    from = piece.end;
  }
  return text + sql.slice(from);
}
