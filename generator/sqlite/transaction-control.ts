// What a migration file must not say on D1. D1 applies each file as one transaction with foreign keys on, so a
// BEGIN, COMMIT, ROLLBACK, SAVEPOINT or RELEASE fails there or ends D1's transaction early, and PRAGMA foreign_keys
// does nothing inside a transaction (a rebuild that relies on it loses rows to ON DELETE CASCADE instead). `check`
// holds every migration to this; `generate` holds a custom migration to it before recording it.
import { scanSql } from "../model/sql-lexer.js";

const transactionControl = /^\s*(BEGIN|COMMIT|END\s+TRANSACTION|ROLLBACK|SAVEPOINT|RELEASE)\b|PRAGMA\s+foreign_keys\b/im;

/**
 * The first line of `sql` that controls transactions or foreign key enforcement, trimmed; undefined when none does.
 * Comments are not statements: a comment that mentions one is left alone.
 */
export function transactionControlStatement(sql: string): string | undefined {
  const code = scanSql(sql)
    .map((piece) => (piece.type === "comment" ? sql.slice(piece.start, piece.end).replace(/[^\n]/g, " ") : sql.slice(piece.start, piece.end)))
    .join("");
  const match = transactionControl.exec(code);
  if (!match) return undefined;
  const start = code.lastIndexOf("\n", match.index) + 1;
  const end = code.indexOf("\n", match.index + match[0].length);
  return code.slice(start, end === -1 ? code.length : end).trim();
}
