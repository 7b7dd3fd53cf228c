// A live SQLite database → the normalized model, the shape `drift` compares with the schema and `pull` writes as
// schema files. SQLite's PRAGMAs are the authority for what they report (columns, types, NOT NULL, defaults, keys,
// UNIQUE, foreign keys, index columns, STRICT, WITHOUT ROWID); what only the CREATE statements hold (CHECKs,
// COLLATE, generated expressions, AUTOINCREMENT, index expressions and WHERE) is read from sqlite_schema by
// create-parser.ts. Expressions come back with white space folded (one space where the source had any, none inside
// parentheses), so a squash that sql-formatter spread over lines reads as the one-line fragment the schema wrote.
//
// Declared types are kept as SQLite reports them (`BIGINT`, `VARCHAR(255)`, none at all). What the model cannot hold
// is reported as a note, never guessed: a declared type the schema language cannot write (kept as its affinity's
// name), DESC or COLLATE in a table PRIMARY KEY, a second CHECK
// on one column (kept as a table CHECK) and virtual tables other than FTS5. Views, triggers and FTS5 tables are read
// with their SQL as SQLite keeps it (model/objects.ts); FTS5's shadow tables are SQLite's own, never read.
import { isReservedTableName, toolPrefix } from "../model/identifiers.js";
import { affinityOf, declaredTypeProblem, normalizeDeclaredType } from "../model/declared-type.js";
import type { Column, Database, ForeignKey, Index, ReferentialAction, Table, Trigger, View, VirtualTable } from "../model/model.js";
import { parseCreateObject, virtualModule, withObjects } from "../model/objects.js";
import { compareNames, dropUndefined } from "../model/normalize.js";
import { normalizeDefaultSql } from "../model/sql-fragment.js";
import type { SqliteDatabase } from "./apply.js";
import { parseCreateIndex, parseCreateTable, type WrittenColumn, type WrittenTable } from "./create-parser.js";
import type { TableXInfoRow } from "./pragma-rows.js";
import { foldWhiteSpace } from "../model/sql-lexer.js";

export interface Introspection {
  database: Database;
  /** What the model cannot hold or the parser could not read, as `table.column: what`. */
  notes: string[];
}

/** The database's identity, which SQLite does not know: taken from the schema (drift) or the command line (pull). */
export type DatabaseIdentity = Omit<Database, "tables">;

export function introspectDatabase(db: SqliteDatabase, identity: DatabaseIdentity): Introspection {
  const notes: string[] = [];
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name").all() as SchemaRow[];
  const kinds = new Map(
    (db.prepare("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'").all() as TableListRow[]).map((row) => [row.name, row]),
  );
  const tables: Table[] = [];
  const views: View[] = [];
  const triggers: Trigger[] = [];
  const virtualTables: VirtualTable[] = [];
  for (const object of objects) {
    if (isReservedTableName(object.tbl_name) || object.tbl_name.toLowerCase().startsWith(toolPrefix)) continue;
    if (object.type === "view" || object.type === "trigger") {
      const read = parseCreateObject(object.sql);
      if (read?.type === "view") views.push(read.view);
      else if (read?.type === "trigger") triggers.push(read.trigger);
      else notes.push(`${object.type} ${object.name}: its CREATE statement could not be read; left out`);
      continue;
    }
    if (object.type !== "table") continue;
    const kind = kinds.get(object.name);
    if (kind?.type === "shadow") continue;
    if (kind?.type === "virtual" || /^\s*CREATE\s+VIRTUAL\b/i.test(object.sql)) {
      const read = parseCreateObject(object.sql);
      if (read?.type === "virtualTable" && virtualModule(read.virtualTable) === "fts5") virtualTables.push(read.virtualTable);
      else notes.push(`virtual table ${object.name}: not part of the schema language (only FTS5 is); left out`);
      continue;
    }
    tables.push(introspectTable(db, object.name, object.sql, { withoutRowid: kind?.wr === 1, strict: kind?.strict === 1 }, notes));
  }
  const { views: _views, triggers: _triggers, virtualTables: _virtualTables, ...named } = identity;
  return { database: withObjects({ ...named, tables: tables.sort((a, b) => compareNames(a.name, b.name)) }, views, triggers, virtualTables), notes };
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

interface TableListRow {
  name: string;
  type: string;
  wr: number;
  strict: number;
}

function introspectTable(db: SqliteDatabase, name: string, sql: string, options: { withoutRowid: boolean; strict: boolean }, notes: string[]): Table {
  const pragma = <T>(query: string, argument = name) => db.prepare(`SELECT * FROM pragma_${query}(?)`).all(argument) as T[];
  const parsed = parseCreateTable(sql);
  notes.push(...parsed.problems.map((problem) => `${name}: ${problem}`));
  const xinfo = pragma<TableXInfoRow>("table_xinfo").filter((row) => row.hidden !== 1);
  const checks = [...parsed.checks];
  const columns = xinfo.map((row) => {
    const written = parsed.columns.get(row.name.toLowerCase());
    const note = (what: string) => notes.push(`${name}.${row.name}: ${what}`);
    if (written && written.checks.length > 1) {
      note("has more than one CHECK; the first stays on the column, the others become table CHECKs (same effect)");
      checks.push(...written.checks.slice(1));
    }
    return introspectColumn(row, written, options.withoutRowid || options.strict, note);
  });

  const keyColumns = xinfo.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk);
  const keyWritten = keyColumns.length === 1 ? parsed.columns.get(keyColumns[0].name.toLowerCase()) : undefined;
  // A constraint's ON CONFLICT clause, written on its one column or on a table constraint over the same columns.
  const conflictOf = (kind: "PRIMARY KEY" | "UNIQUE", names: readonly string[]) => {
    const onColumn = names.length === 1 ? parsed.columns.get(names[0].toLowerCase()) : undefined;
    const written = kind === "PRIMARY KEY" ? onColumn?.keyConflict : onColumn?.uniqueConflict;
    const key = (columns: readonly string[]) => columns.map((name) => name.toLowerCase()).join(",");
    return written ?? parsed.tableConflicts.find((entry) => entry.kind === kind && key(entry.columns) === key(names))?.algorithm;
  };
  const autoincrement = keyWritten?.autoincrement ?? false;
  const positionOf = new Map(xinfo.map((row) => [row.name.toLowerCase(), row.cid]));
  const position = (column: string) => positionOf.get(column.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  const indexList = pragma<{ seq: number; name: string; unique: number; origin: string; partial: number }>("index_list");

  // Single-column constraints first in column order, then composite ones in declaration order: the order the
  // model gives a table whose single-column constraints are written on the columns.
  const uniques = indexList
    .filter((index) => index.origin === "u")
    .map((index) => ({
      columns: pragma<{ seqno: number; name: string }>("index_info", index.name)
        .sort((a, b) => a.seqno - b.seqno)
        .map((row) => row.name),
      number: autoindexNumber(index.name),
    }))
    .sort((a, b) => singleFirst(a.columns, b.columns, position) || a.number - b.number)
    .map(({ columns: names }) => dropUndefined({ columns: names, onConflict: conflictOf("UNIQUE", names) }));

  const foreignKeys = introspectForeignKeys(db, name, pragma, parsed, notes).sort(
    (a, b) => singleFirst(a.foreignKey.columns, b.foreignKey.columns, position) || b.id - a.id,
  );
  const indexes = indexList
    .filter((index) => index.origin === "c")
    .flatMap((index) => introspectIndex(db, name, index.name, index.unique === 1, notes))
    .sort((a, b) => compareNames(a.name, b.name));

  return dropUndefined({
    name,
    columns,
    primaryKey:
      keyColumns.length > 0
        ? dropUndefined({
            columns: keyColumns.map((row) => row.name),
            autoincrement,
            desc: keyWritten?.keyOrder ? (true as const) : undefined,
            onConflict: conflictOf(
              "PRIMARY KEY",
              keyColumns.map((row) => row.name),
            ),
          })
        : undefined,
    uniques,
    checks,
    foreignKeys: foreignKeys.map((entry) => entry.foreignKey),
    indexes,
    withoutRowid: options.withoutRowid,
    strict: options.strict,
  });
}

function introspectColumn(row: TableXInfoRow, written: WrittenColumn | undefined, impliedKeyNotNull: boolean, note: (what: string) => void): Column {
  const declared = declaredType(row.type, note);
  const type = affinityOf(declared);
  // WITHOUT ROWID and STRICT tables make their key columns NOT NULL whether or not the statement says so; the
  // model records what was written.
  const notNull = impliedKeyNotNull && row.pk > 0 && written ? written.notNull : row.notnull === 1;
  let defaultValue: Column["default"];
  if (row.dflt_value !== null) {
    // SQLite reports a parenthesized default without its parentheses; the statement says whether it had them.
    const text = foldWhiteSpace(row.dflt_value);
    defaultValue = normalizeDefaultSql(written?.defaultParenthesized ? `(${text})` : text);
  }
  let generated: Column["generated"];
  if (row.hidden === 2 || row.hidden === 3) {
    if (written?.generated) generated = { expression: written.generated, stored: row.hidden === 3 };
    else note("is a generated column whose expression could not be read from the CREATE TABLE statement");
  }
  if (written?.conflictClause) note("has an ON CONFLICT clause after a constraint that takes none (SQLite ignores it); it is left out");
  return dropUndefined({
    name: row.name,
    type,
    declaredType: declared === type ? undefined : declared,
    logical: type.toLowerCase() as Column["logical"],
    notNull,
    notNullOnConflict: notNull ? written?.notNullConflict : undefined,
    default: defaultValue,
    check: written?.checks[0]?.expression,
    checkName: written?.checks[0]?.name,
    collate: written?.collate?.toUpperCase(),
    generated,
  });
}

/** The declared type as SQLite reports it, or its affinity's name when the schema language cannot declare it so. */
function declaredType(reported: string, note: (what: string) => void): string {
  const declared = normalizeDeclaredType(reported);
  const problem = declaredTypeProblem(declared);
  if (problem === undefined) return declared;
  note(`is declared ${declared}, which the schema language cannot write (it ${problem}); read as ${affinityOf(declared)}, the affinity SQLite gives it`);
  return affinityOf(declared);
}

function introspectForeignKeys(
  db: SqliteDatabase,
  table: string,
  pragma: <T>(query: string, argument?: string) => T[],
  written: Pick<WrittenTable, "foreignKeyNames" | "foreignKeyDeferred">,
  notes: string[],
): { id: number; foreignKey: ForeignKey }[] {
  const names = written.foreignKeyNames;
  const rows = pragma<{ id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }>("foreign_key_list");
  const ids = [...new Set(rows.map((row) => row.id))];
  // SQLite numbers foreign keys from the last declared (id 0) to the first: the statement's names in reverse.
  const nameOf = (id: number) => (names.length === ids.length ? names[ids.length - 1 - id] : undefined);
  if (names.length !== ids.length && names.some((name) => name !== undefined)) {
    notes.push(`${table}: the names of its foreign keys could not be matched with them; left out`);
  }
  const deferred = written.foreignKeyDeferred;
  const deferredOf = (id: number) => deferred.length === ids.length && deferred[ids.length - 1 - id];
  if (deferred.length !== ids.length && deferred.some(Boolean)) {
    notes.push(`${table}: which of its foreign keys are DEFERRABLE INITIALLY DEFERRED could not be matched with them; read as immediate`);
  }
  return ids.flatMap((id) => {
    const parts = rows.filter((row) => row.id === id).sort((a, b) => a.seq - b.seq);
    const parent = parts[0].table;
    let refColumns = parts.map((row) => row.to);
    if (refColumns.some((column) => column === null)) {
      // `REFERENCES parent` without columns means the parent's primary key.
      const key = (db.prepare("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk").all(parent) as { name: string }[]).map((row) => row.name);
      if (key.length !== parts.length) {
        notes.push(
          `${table}(${parts.map((row) => row.from).join(", ")}): references ${parent} without naming columns, and ${parent} has no matching primary key; the foreign key is left out`,
        );
        return [];
      }
      refColumns = key;
    }
    return [
      {
        id,
        foreignKey: {
          columns: parts.map((row) => row.from),
          table: parent,
          refColumns: refColumns as string[],
          onDelete: parts[0].on_delete.toUpperCase() as ReferentialAction,
          onUpdate: parts[0].on_update.toUpperCase() as ReferentialAction,
          ...(nameOf(id) === undefined ? {} : { name: nameOf(id) }),
          ...(deferredOf(id) ? { deferred: true as const } : {}),
        },
      },
    ];
  });
}

function introspectIndex(db: SqliteDatabase, table: string, name: string, unique: boolean, notes: string[]): Index[] {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) as { sql: string | null } | undefined;
  const parsed = row?.sql ? parseCreateIndex(row.sql) : undefined;
  const keyColumns = db.prepare("SELECT 1 FROM pragma_index_xinfo(?) WHERE key = 1").all(name).length;
  if (!parsed || parsed.parts.length !== keyColumns) {
    notes.push(`index ${name} on ${table}: its CREATE INDEX statement could not be read; left out`);
    return [];
  }
  if (parsed.orderedExpressions) {
    notes.push(`index ${name} on ${table}: orders an expression DESC, which the schema language cannot hold; read as ascending`);
  }
  return [dropUndefined({ name, unique, parts: parsed.parts, where: parsed.where })];
}

function autoindexNumber(name: string): number {
  return Number(/_(\d+)$/.exec(name)?.[1] ?? 0);
}

function singleFirst(a: string[], b: string[], position: (column: string) => number): number {
  const rank = (columns: string[]) => (columns.length === 1 ? position(columns[0]) : Number.MAX_SAFE_INTEGER);
  return rank(a) - rank(b);
}
