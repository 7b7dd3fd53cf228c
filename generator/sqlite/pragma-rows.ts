// The rows SQLite's schema PRAGMAs return (https://sqlite.org/pragma.html), typed once for every reader.

/** PRAGMA table_xinfo: one row a column, hidden (generated) columns included. */
export interface TableXInfoRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

/** PRAGMA foreign_key_list: one row a column of each foreign key; `to` is null when REFERENCES names no column. */
export interface ForeignKeyListRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
  match: string;
}

/** PRAGMA index_list: origin is "c" (CREATE INDEX), "u" (UNIQUE) or "pk". */
export interface IndexListRow {
  seq: number;
  name: string;
  unique: number;
  origin: string;
  partial: number;
}

/** PRAGMA index_xinfo: key columns (key = 1) and the auxiliary ones; name is null for an expression or rowid. */
export interface IndexXInfoRow {
  seqno: number;
  cid: number;
  name: string | null;
  desc: number;
  coll: string;
  key: number;
}
