// SQLite keeps a column's declared type as the text between its first and last token, white space included, and
// reports it so (PRAGMA table_info): `DECIMAL(10,2)` and `DECIMAL(10, 2)` are different declarations to it. The
// formatter changes white space only, but it does so inside a type too (sql-formatter writes `DECIMAL(10, 2)` and
// `MyType (3)`), so the declared types of a CREATE TABLE or ADD COLUMN are put back as the statement wrote them.
import { endsDeclaredType } from "../model/declared-type.js";
import type { Database } from "../model/model.js";
import { scanSql, tokenize } from "../model/sql-lexer.js";

/** The model's declared types that hold white space or a parenthesis: the only ones a formatter can change. */
export function typesTheFormatterMayChange(database: Pick<Database, "tables">): string[] {
  const types = new Set<string>();
  for (const table of database.tables) {
    for (const column of table.columns) if (column.declaredType !== undefined && /[\s(]/.test(column.declaredType)) types.add(column.declaredType);
  }
  return [...types];
}

/** `formatted` (the statement with white space changed) with every declared type of `statement` as written there. */
export function withDeclaredTypesAsWritten(statement: string, formatted: string): string {
  const spans = declaredTypeSpans(statement).filter(([start, end]) => /[\s(]/.test(statement.slice(start, end)));
  if (spans.length === 0) return formatted;
  const positions = nonSpacePositions(formatted);
  const indexInStatement = nonSpaceIndexes(statement);
  let result = formatted;
  for (const [start, end] of spans.reverse()) {
    const from = positions[indexInStatement.get(start)!];
    const to = positions[indexInStatement.get(end - 1)!] + 1;
    result = result.slice(0, from) + statement.slice(start, end) + result.slice(to);
  }
  return result;
}

/** Where the declared types of the column definitions in a CREATE TABLE or ALTER TABLE ADD COLUMN stand: [start, end). */
function declaredTypeSpans(statement: string): [number, number][] {
  if (!/^\s*(CREATE|ALTER)\s+TABLE\b/i.test(statement)) return [];
  const pieces = scanSql(statement).filter((piece) => piece.type !== "space" && piece.type !== "comment");
  const tokens = tokenize(statement);
  const word = (index: number) => (tokens[index]?.type === "word" ? tokens[index].value.toUpperCase() : "");
  const spans: [number, number][] = [];
  /** The type of the column whose name is tokens[name], if it has one. */
  const typeAfter = (name: number) => {
    let last = name;
    while (tokens[last + 1]?.type === "word" && !endsDeclaredType(tokens[last + 1].value)) last += 1;
    if (last === name) return;
    if (tokens[last + 1]?.text === "(") {
      const close = tokens.findIndex((token, index) => index > last && token.text === ")");
      if (close > 0) last = close;
    }
    spans.push([pieces[name + 1].start, pieces[last].end]);
  };
  if (word(0) === "ALTER") {
    const add = tokens.findIndex((token, index) => index > 2 && word(index) === "ADD");
    if (add < 0) return [];
    typeAfter(word(add + 1) === "COLUMN" ? add + 2 : add + 1);
    return spans;
  }
  // CREATE TABLE name (column definitions …); not CREATE TABLE name AS SELECT (a rebuild's backup).
  const open = tokens.findIndex((token) => token.text === "(");
  if (open < 0 || tokens.slice(0, open).some((token, index) => word(index) === "AS")) return [];
  let depth = 0;
  let itemStart = open + 1;
  for (let index = open; index < tokens.length; index += 1) {
    const text = tokens[index].text;
    if (text === "(") depth += 1;
    if (text === ")") depth -= 1;
    if (depth === 1 && text === ",") itemStart = index + 1;
    if (depth === 1 && index === itemStart && !["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].includes(word(index))) typeAfter(index);
    if (depth === 0) break;
  }
  return spans;
}

/** The positions of the non-space characters of `text`, in order. */
function nonSpacePositions(text: string): number[] {
  const positions: number[] = [];
  for (let index = 0; index < text.length; index += 1) if (!/\s/.test(text[index])) positions.push(index);
  return positions;
}

/** Position → its rank among the non-space characters of `text`. */
function nonSpaceIndexes(text: string): Map<number, number> {
  const ranks = new Map<number, number>();
  for (let index = 0; index < text.length; index += 1) if (!/\s/.test(text[index])) ranks.set(index, ranks.size);
  return ranks;
}
