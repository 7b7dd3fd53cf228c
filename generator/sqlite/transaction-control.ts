// What a migration file must not say on D1. D1 applies each file as one transaction with foreign keys on, so a
// BEGIN, COMMIT, ROLLBACK, SAVEPOINT or RELEASE fails there or ends D1's transaction early, and PRAGMA foreign_keys
// does nothing inside a transaction (a rebuild that relies on it loses rows to ON DELETE CASCADE instead). `check`
// holds every migration to this; `generate` holds a custom migration to it before recording it.
import { scanSql } from "../model/sql-lexer.js";

const controlWords = new Set(["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]);

/**
 * The first line of `sql` holding a statement that controls transactions or foreign key enforcement, trimmed;
 * undefined when none does. Read by statements: comments are not statements, and the BEGIN … END of a CREATE TRIGGER
 * (its statements run when the trigger fires) is part of one.
 */
export function transactionControlStatement(sql: string): string | undefined {
  const code = scanSql(sql)
    .map((piece) => (piece.type === "comment" ? sql.slice(piece.start, piece.end).replace(/[^\n]/g, " ") : sql.slice(piece.start, piece.end)))
    .join("");
  const tokens = scanSql(code)
    .filter((piece) => piece.type !== "space" && piece.type !== "comment")
    .map((piece) => ({
      start: piece.start,
      word: piece.type === "word" ? code.slice(piece.start, piece.end).toUpperCase() : code.slice(piece.start, piece.end),
    }));
  let statement: string[] = [];
  // Inside a trigger's BEGIN … END: the CASE expressions open (each closes with an END of its own).
  let body: { cases: number } | undefined;
  for (const [index, token] of tokens.entries()) {
    if (body) {
      if (token.word === "CASE") body.cases++;
      else if (token.word === "END" && body.cases-- === 0) body = undefined;
      continue;
    }
    if (token.word === ";") {
      statement = [];
      continue;
    }
    statement.push(token.word);
    const [first, second] = statement;
    if (statement.length === 1 && controlWords.has(first)) return lineAt(code, token.start);
    if (statement.length === 2 && ((first === "END" && second === "TRANSACTION") || (first === "PRAGMA" && second === "FOREIGN_KEYS"))) {
      return lineAt(code, tokens[index - 1].start);
    }
    if (token.word === "BEGIN" && first === "CREATE" && statement.includes("TRIGGER")) body = { cases: 0 };
  }
  return undefined;
}

function lineAt(code: string, at: number): string {
  const start = code.lastIndexOf("\n", at) + 1;
  const end = code.indexOf("\n", at);
  return code.slice(start, end === -1 ? code.length : end).trim();
}
