// Raw SQL that users write (defaults, CHECKs, index expressions, WHERE clauses, generated columns) is pasted into
// statements. A fragment must be one expression: no statement separator and no comment that could hide the rest
// of a statement. Whether it is a valid expression is proved later by building the schema in SQLite.
import { closingParen, scanSql, tokenize } from "./sql-lexer.js";

/** Why `sql` cannot be used as an expression, or undefined when it can. */
export function sqlFragmentProblem(sql: string): string | undefined {
  if (sql.trim() === "") return "is empty";
  let depth = 0;
  for (const piece of scanSql(sql)) {
    const text = sql.slice(piece.start, piece.end);
    if (piece.type === "comment") return "contains an SQL comment";
    if (piece.unterminated) return `has an unterminated ${piece.type === "blob" ? "'" : text[0]} quote`;
    if (text === ";") return "contains ';' (a statement separator)";
    if (text === "(") depth++;
    if (text === ")" && --depth < 0) return "has an unmatched ')'";
  }
  return depth === 0 ? undefined : "has an unmatched '('";
}

const literalDefault = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+|'(?:[^']|'')*'|[xX]'[0-9a-fA-F]*'|NULL|TRUE|FALSE)$/i;
const currentTimeDefault = /^CURRENT_(?:TIME|DATE|TIMESTAMP)$/i;

/**
 * A default written as SQL, in the form SQLite stores it: literals and CURRENT_* as written, any other
 * expression wrapped in parentheses (SQLite requires them). `constant` marks what ALTER TABLE ADD COLUMN accepts.
 */
export function normalizeDefaultSql(sql: string): { sql: string; constant: boolean } {
  const trimmed = sql.trim();
  if (literalDefault.test(trimmed)) return { sql: trimmed, constant: true };
  if (currentTimeDefault.test(trimmed)) return { sql: trimmed.toUpperCase(), constant: false };
  if (isWrappedInParentheses(trimmed)) return { sql: trimmed, constant: false };
  return { sql: `(${trimmed})`, constant: false };
}

/** True when the outermost parentheses enclose the whole text: `(a) + (b)` is not wrapped, `((a) + (b))` is. */
function isWrappedInParentheses(sql: string): boolean {
  const tokens = tokenize(sql);
  return tokens.length >= 2 && tokens[0].text === "(" && closingParen(tokens, 0) === tokens.length - 1;
}

/** True when a constant default is NULL (or absent): what a REFERENCES column added by ALTER TABLE needs. */
export function isNullDefault(defaultValue: { sql: string } | undefined): boolean {
  return defaultValue === undefined || defaultValue.sql.toUpperCase() === "NULL";
}

/** Conservative: true when `name` appears as a word in `sql`, quoted or not. A false positive only costs a rebuild. */
export function mentionsIdentifier(sql: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`, "i").test(sql);
}
