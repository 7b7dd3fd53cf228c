// SQL text for files: the one place that formats SQL (sql-formatter, SQLite dialect) and writes comments.
import { format } from "sql-formatter";
import { SchemaError } from "../model/errors.js";

/** D1 rejects statements longer than this many bytes. */
export const maxStatementBytes = 100_000;

export interface SqlSection {
  /** Why the statements are there; may span lines. */
  comment: string;
  statements: string[];
}

/** A formatted SQL file: header comment lines, then each section's comment and statements. */
export function renderSqlFile(database: string, header: string[], sections: readonly SqlSection[]): string {
  const parts = [header.map(commentLine).join("\n")];
  for (const section of sections) {
    const statements = section.statements.map((statement) => formatStatement(database, statement));
    parts.push([...section.comment.split("\n").map(commentLine), ...statements].join("\n"));
  }
  return `${parts.join("\n\n")}\n`;
}

function formatStatement(database: string, statement: string): string {
  const bytes = Buffer.byteLength(statement);
  if (bytes > maxStatementBytes) {
    throw new SchemaError(
      { database },
      `would need a statement of ${bytes} bytes: ${statement.slice(0, 80)}…`,
      `D1 rejects statements over ${maxStatementBytes} bytes; split the table or shorten its expressions`,
    );
  }
  return `${format(statement, { language: "sqlite", tabWidth: 2, keywordCase: "preserve" })};`;
}

/** A comment line that cannot end early or carry a statement: descriptions are user text. */
function commentLine(text: string): string {
  return `-- ${text.replace(/[\r\n]+/g, " ")}`.trimEnd();
}
