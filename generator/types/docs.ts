// JSDoc of generated declarations: descriptions, what a logical type means for the value, and `@deprecated` with
// the reason, so editors show them wherever app code touches a table or column.
import type { Column, Table } from "../model/model.js";
import { jsonParserName } from "./names.js";

/** The text of one JSDoc block, lines separated by "\n"; undefined for none. */
export type Docs = string | undefined;

export function tableDocs(table: Pick<Table, "description" | "deprecated">, ...notes: string[]): Docs {
  return docs([table.description, ...notes, table.deprecated && `@deprecated ${table.deprecated}`]);
}

export function columnDocs(table: Table, column: Column): Docs {
  return docs([
    column.description,
    logicalNote(table, column),
    column.generated && `Generated (${column.generated.stored ? "STORED" : "VIRTUAL"}) as \`${column.generated.expression}\`; read-only.`,
    column.default && `Defaults to \`${column.default.sql}\`.`,
    column.deprecated && `@deprecated ${column.deprecated}`,
  ]);
}

/** Only the description and `@deprecated`: for the Kysely table, whose value notes the row type already gives. */
export function columnSummaryDocs(column: Column): Docs {
  return docs([column.description, column.deprecated && `@deprecated ${column.deprecated}`]);
}

function logicalNote(table: Table, column: Column): string | undefined {
  switch (column.logical) {
    case "boolean":
      return "A boolean stored as 0 or 1; inserts and updates also take true and false.";
    case "json":
      return `JSON text of \`${column.tsType ?? "unknown"}\`; \`${jsonParserName(table, column)}(row)\` parses it.`;
    case "timestamp_iso":
      return "An ISO-8601 timestamp (TEXT).";
    case "timestamp_unix":
      return "A Unix time in seconds.";
    case "blob":
      return "Bytes, read as an array of byte values; inserts and updates take an ArrayBuffer or a typed array.";
    default:
      return undefined;
  }
}

// One JSDoc block of the lines given, or none. A "*" + "/" inside a description would end the comment early.
export function docs(lines: (string | false | undefined)[]): Docs {
  const present = lines.filter((line): line is string => typeof line === "string" && line.length > 0);
  return present.length > 0 ? present.join("\n").replaceAll("*/", "*\\/") : undefined;
}
