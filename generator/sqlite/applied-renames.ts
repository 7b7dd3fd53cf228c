// Which renames a migrations folder applied, read from its ALTER TABLE ... RENAME statements. A rebuilt snapshot
// cannot see renames in the shapes (a swap of two columns builds the same tables), yet `renamedFrom` hints count
// as applied exactly when the snapshot carries them (diff/pairing.ts): a hint the folder applied but the snapshot
// lacks would be applied again (a swap swapped back), and one the snapshot carries but the folder never applied
// would be skipped. So `snapshot` keeps a hint only where the folder renamed the object from that name.
import { toolPrefix } from "../model/identifiers.js";
import { splitStatements } from "./schema-script.js";

export interface AppliedRenames {
  /** Current table name (lower case) → the names it was renamed from, latest first (temporary names left out). */
  tables: Map<string, string[]>;
  /** Current table name (lower case) → current column name (lower case) → the names it was renamed from. */
  columns: Map<string, Map<string, string[]>>;
}

const identifier = String.raw`"(?:[^"]|"")*"|\x60(?:[^\x60]|\x60\x60)*\x60|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_$]*`;
const alterTable = new RegExp(
  String.raw`^ALTER\s+TABLE\s+(${identifier})\s+(?:RENAME\s+TO\s+(${identifier})|RENAME\s+(?:COLUMN\s+)?(${identifier})\s+TO\s+(${identifier})|DROP\s+(?:COLUMN\s+)?(${identifier}))\s*$`,
  "i",
);

function unquote(name: string): string {
  const first = name[0];
  if (first === '"') return name.slice(1, -1).replace(/""/g, '"');
  if (first === "`") return name.slice(1, -1).replace(/``/g, "`");
  if (first === "[") return name.slice(1, -1);
  return name;
}

export function appliedRenames(files: readonly { sql: string }[]): AppliedRenames {
  const renames: AppliedRenames = { tables: new Map(), columns: new Map() };
  for (const file of files) {
    const statements = splitStatements(file.sql) ?? file.sql.split(";");
    for (const statement of statements) {
      const match = alterTable.exec(statement.trim());
      if (!match) continue;
      const table = unquote(match[1]).toLowerCase();
      if (match[2] !== undefined) renameTable(renames, table, unquote(match[2]));
      else if (match[3] !== undefined) renameColumn(renames, table, unquote(match[3]), unquote(match[4]));
      else renames.columns.get(table)?.delete(unquote(match[5]).toLowerCase());
    }
  }
  return renames;
}

/** `from` → `to` in `names` (lower-case keys): the history of `to` becomes `from` (unless temporary), then from's. */
function move(names: Map<string, string[]>, from: string, to: string): void {
  const before = names.get(from.toLowerCase()) ?? [];
  names.delete(from.toLowerCase());
  names.set(to.toLowerCase(), from.startsWith(toolPrefix) ? before : [from, ...before]);
}

function renameTable(renames: AppliedRenames, table: string, to: string): void {
  move(renames.tables, table, to);
  const columns = renames.columns.get(table);
  renames.columns.delete(table);
  if (columns) renames.columns.set(to.toLowerCase(), columns);
}

function renameColumn(renames: AppliedRenames, table: string, from: string, to: string): void {
  const columns = renames.columns.get(table) ?? new Map<string, string[]>();
  renames.columns.set(table, columns);
  move(columns, from, to);
}

/** True when the folder renamed the table now called `table` from `hint` at some point. */
export function tableRenamedFrom(renames: AppliedRenames, table: string, hint: string): boolean {
  return (renames.tables.get(table.toLowerCase()) ?? []).some((name) => name.toLowerCase() === hint.toLowerCase());
}

/** True when the folder renamed column `column` of the table now called `table` from `hint` at some point. */
export function columnRenamedFrom(renames: AppliedRenames, table: string, column: string, hint: string): boolean {
  return (renames.columns.get(table.toLowerCase())?.get(column.toLowerCase()) ?? []).some((name) => name.toLowerCase() === hint.toLowerCase());
}
