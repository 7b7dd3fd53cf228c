import type { Finding, FindingKind } from "./finding.js";

/** Where a problem sits: as much of database.table.column as is known. */
export interface ErrorLocation {
  database?: string;
  table?: string;
  column?: string;
}

/**
 * The one error type of the tool. It names the place (database.table.column) and a hint that says how to fix
 * it; the CLI prints it and exits 2, tests assert on its fields.
 */
export class SchemaError extends Error {
  readonly database?: string;
  readonly table?: string;
  readonly column?: string;
  readonly hint: string;
  readonly problem: string;

  constructor(location: ErrorLocation, problem: string, hint: string) {
    super(`${formatLocation(location)}: ${problem}\n  fix: ${hint}`);
    this.name = "SchemaError";
    this.database = location.database;
    this.table = location.table;
    this.column = location.column;
    this.problem = problem;
    this.hint = hint;
  }

  /** The same problem reported instead of thrown: by a command that can go on and list it with the others. */
  toFinding<Kind extends FindingKind>(kind: Kind): Finding<Kind> {
    const place = { database: this.database, table: this.table, column: this.column };
    const defined = Object.fromEntries(Object.entries(place).filter(([, value]) => value !== undefined));
    return { severity: "error", kind, ...defined, message: this.problem, fix: this.hint };
  }
}

export function formatLocation(location: ErrorLocation): string {
  return [location.database, location.table, location.column].filter(Boolean).join(".") || "schema";
}

/** Several errors found in one pass, reported together so a user fixes them all in one round. */
export class SchemaErrors extends Error {
  constructor(readonly errors: SchemaError[]) {
    super(errors.map((error) => error.message).join("\n"));
    this.name = "SchemaErrors";
  }
}
