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

/**
 * Every table's shape. Read with one query a PRAGMA for all tables at once (pragma table-valued functions joined to
 * sqlite_schema): a query a PRAGMA a table cost a second at 1,000 tables, and proofs inspect whole databases.
 */
/** The shapes of the database's tables, by name; `only` limits them to those tables (the others are not read). */
export function inspectTables(db: SqliteDatabase, only?: ReadonlySet<string>): TableShape[] {
  // One JSON parameter, so that any number of names is one statement.
  const names = only === undefined ? [] : [JSON.stringify([...only])];
  const limit = only === undefined ? "" : " AND m.name IN (SELECT value FROM json_each(?))";
  const all = db.prepare(`SELECT name, sql FROM sqlite_schema m WHERE type = 'table'${limit} ORDER BY name`).all(...names) as { name: string; sql: string }[];
  // A virtual table is compared by its SQL (objects.ts), and SQLite makes and keeps its shadow tables.
  const virtual = all.some((table) => /^CREATE\s+VIRTUAL\b/i.test(table.sql));
  const shadow = new Set(
    virtual
      ? (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')").all() as { name: string }[]).map(
          (row) => row.name,
        )
      : [],
  );
  const tables = all.filter((table) => !isReservedTableName(table.name) && !table.name.startsWith(backupPrefix) && !shadow.has(table.name));
  const perTable = (query: string) => groupBy(db.prepare(`${query}${limit}`).all(...names) as Record<string, unknown>[], (row) => String(row.of_table));
  const columns = perTable(
    `SELECT m.name AS of_table, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden FROM sqlite_schema m, pragma_table_xinfo(m.name) p WHERE m.type = 'table'`,
  );
  const foreignKeys = perTable(
    `SELECT m.name AS of_table, p.id, p.seq, p."table", p."from", p."to", p.on_update, p.on_delete, p."match" FROM sqlite_schema m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'`,
  );
  const indexes = perTable(
    `SELECT m.name AS of_table, p.name, p."unique", p.origin, p.partial FROM sqlite_schema m, pragma_index_list(m.name) p WHERE m.type = 'table'`,
  );
  const indexColumns = groupBy(
    db
      .prepare(
        `SELECT i.name AS of_index, x.seqno, x.cid, x.name, x."desc", x.coll, x."key" FROM sqlite_schema m, pragma_index_list(m.name) i, pragma_index_xinfo(i.name) x WHERE m.type = 'table' AND x."key" = 1${limit}`,
      )
      .all(...names) as Record<string, unknown>[],
    (row) => String(row.of_index),
  );
  const indexSql = new Map(
    (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index'").all() as { name: string; sql: string | null }[]).map((row) => [
      row.name,
      row.sql ?? "",
    ]),
  );
  return tables.map(({ name, sql }) => {
    const tail = sql.slice(sql.lastIndexOf(")")).toUpperCase();
    return {
      name,
      sql: { withoutRowid: tail.includes("WITHOUT ROWID"), strict: tail.includes("STRICT") },
      columns: (columns.get(name) ?? []).map(({ cid, name: column, type, notnull, dflt_value, pk, hidden }) => ({
        cid,
        name: column,
        type,
        notnull,
        dflt_value,
        pk,
        hidden,
      })),
      foreignKeys: (foreignKeys.get(name) ?? []).map(({ id, seq, table, from, to, on_update, on_delete, match }) => ({
        id,
        seq,
        table,
        from,
        to,
        on_update,
        on_delete,
        match,
      })),
      indexes: (indexes.get(name) ?? [])
        .map((index) => ({
          name: String(index.name).startsWith("sqlite_autoindex_") ? `(auto) ${String(index.origin)}` : index.name,
          unique: index.unique,
          origin: index.origin,
          partial: index.partial,
          where: index.partial ? normalizeWhere(indexSql.get(String(index.name)) ?? "") : null,
          columns: (indexColumns.get(String(index.name)) ?? [])
            .map(({ seqno, cid, name: column, desc, coll, key }) => ({ seqno, cid, name: column, desc, coll, key }))
            .sort((a, b) => Number(a.seqno) - Number(b.seqno)),
        }))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    };
  });
}

/** Rows by key, each group in the order the rows came (a PRAGMA's own order within one table). */
function groupBy(rows: readonly Record<string, unknown>[], key: (row: Record<string, unknown>) => string): Map<string, Record<string, unknown>[]> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
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
