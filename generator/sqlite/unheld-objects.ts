// What a database holds that the schema language does not: views, triggers and virtual tables. A custom migration
// may not create them (the squash would not build them), and a rebuild may not run over a table with a trigger.
import type { SqliteDatabase } from "./apply.js";

export interface UnheldObject {
  type: "view" | "trigger" | "virtual table";
  name: string;
  /** The table a trigger is on (a view's or virtual table's own name). */
  table: string;
}

export function unheldObjects(db: SqliteDatabase): UnheldObject[] {
  return db
    .prepare(
      `SELECT CASE WHEN type = 'table' THEN 'virtual table' ELSE type END AS type, name, tbl_name AS "table" FROM sqlite_schema
       WHERE type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') ORDER BY type, name`,
    )
    .all() as UnheldObject[];
}
