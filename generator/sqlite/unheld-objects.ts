// What a database holds beside its tables: views, triggers and virtual tables, by name. A custom migration may not
// create a virtual table the schema language cannot hold (only FTS5 is), and a rebuild may not run over a trigger the
// snapshot does not hold (it could not set it aside).
import type { SqliteDatabase } from "./apply.js";

export interface UnheldObject {
  type: "view" | "trigger" | "virtual table";
  name: string;
  /** The table a trigger is on (a view's or virtual table's own name). */
  table: string;
  /** Its CREATE statement as SQLite keeps it. */
  sql: string;
}

export function unheldObjects(db: SqliteDatabase): UnheldObject[] {
  return db
    .prepare(
      `SELECT CASE WHEN type = 'table' THEN 'virtual table' ELSE type END AS type, name, tbl_name AS "table", sql FROM sqlite_schema
       WHERE type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') ORDER BY type, name`,
    )
    .all() as UnheldObject[];
}
