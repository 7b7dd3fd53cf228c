// A database's shape as SQLite itself reports it (PRAGMA table_xinfo, foreign_key_list, index_list, index_xinfo),
// in one canonical JSON form, so that "the migrations give the same schema as the squash" is a string comparison.
import { isReservedTableName, backupPrefix } from "../model/identifiers.js";
import type { SqliteDatabase } from "./apply.js";

export interface TableShape {
  name: string;
  sql: { withoutRowid: boolean; strict: boolean };
  columns: unknown[];
  foreignKeys: unknown[];
  indexes: unknown[];
}

export function inspectTables(db: SqliteDatabase): TableShape[] {
  const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
  return tables
    .filter((table) => !isReservedTableName(table.name) && !table.name.startsWith(backupPrefix))
    .map((table) => inspectTable(db, table.name, table.sql));
}

function inspectTable(db: SqliteDatabase, name: string, sql: string): TableShape {
  const pragma = (query: string) => db.prepare(`SELECT * FROM pragma_${query}(?)`).all(name) as Record<string, unknown>[];
  const tail = sql.slice(sql.lastIndexOf(")")).toUpperCase();
  const foreignKeys = pragma("foreign_key_list").map(({ id, seq, table, from, to, on_update, on_delete, match }) => ({
    id,
    seq,
    table,
    from,
    to,
    on_update,
    on_delete,
    match,
  }));
  const indexes = pragma("index_list")
    .map((index) => ({
      name: String(index.name).startsWith("sqlite_autoindex_") ? `(auto) ${String(index.origin)}` : index.name,
      unique: index.unique,
      origin: index.origin,
      partial: index.partial,
      where: index.partial ? normalizeWhere(indexSql(db, String(index.name))) : null,
      columns: db.prepare("SELECT seqno, cid, name, desc, coll, key FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno").all(index.name),
    }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return {
    name,
    sql: { withoutRowid: tail.includes("WITHOUT ROWID"), strict: tail.includes("STRICT") },
    columns: pragma("table_xinfo").map(({ cid, name: column, type, notnull, dflt_value, pk, hidden }) => ({
      cid,
      name: column,
      type,
      notnull,
      dflt_value,
      pk,
      hidden,
    })),
    foreignKeys,
    indexes,
  };
}

function indexSql(db: SqliteDatabase, name: string): string {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) as { sql: string } | undefined;
  return row?.sql ?? "";
}

/** The WHERE clause of a partial index with white space folded, since formatting differs between files. */
function normalizeWhere(sql: string): string {
  const at = sql.search(/\bWHERE\b/i);
  return at === -1
    ? ""
    : sql
        .slice(at + 5)
        .replace(/\s+/g, " ")
        .trim();
}
