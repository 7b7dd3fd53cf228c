// Replaying a migrations folder in chunks of tables, when every statement in it acts on one table alone: CREATE
// TABLE, CREATE INDEX, ALTER TABLE … ADD COLUMN, DROP INDEX, DROP TABLE (and the foreign-key PRAGMAs, which change
// no shape). That is how most folders grow: new tables, new columns, new indexes. One database would take time
// quadratic in the statements (SQLite re-reads its schema table after every CREATE: 16 s for 5,000 tables); a
// chunk of 100 tables a database keeps it linear.
//
// It gives exactly what one database gives, or nothing: each such statement reads and changes only its own
// table's entries (a foreign key's parent need not exist to be named, and a folder replays without rows), and the
// one thing tables share, the namespace of table and index names, is simulated here: any statement whose outcome
// would depend on another table (a name already taken, a DROP INDEX of an index not created in the folder) and any
// other kind of statement (a rename, a rebuild's INSERT … SELECT, a view, a trigger) returns undefined, and the
// caller replays the folder in one database as before.
import { applyLikeD1 } from "./apply.js";
import type { MigrationFile } from "./replay.js";
import { createIndex, createTable, inChunks, splitStatements, sqlName, unquote } from "./schema-script.js";
import { inspectTables, type TableShape } from "./shape.js";

const addColumn = new RegExp(String.raw`^ALTER\s+TABLE\s+${sqlName}\s+ADD\s`, "i");
const dropIndex = new RegExp(String.raw`^DROP\s+INDEX\s+(IF\s+EXISTS\s+)?${sqlName}$`, "i");
const dropTable = new RegExp(String.raw`^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?${sqlName}$`, "i");
const foreignKeyPragma = /^PRAGMA\s+(?:defer_foreign_keys|foreign_keys)\s*=\s*\w+$/i;

/** One table's statements, each with the index of the file it comes from. */
interface TableHistory {
  table: string;
  statements: { file: number; sql: string }[];
}

/** Every table's shape after the files, sorted by name; undefined when the folder is not table-local throughout. */
export function shapesOfTableLocalFolder(files: readonly MigrationFile[]): TableShape[] | undefined {
  const histories = tableHistories(files);
  if (!histories) return undefined;
  const shapes: TableShape[] = [];
  try {
    inChunks(histories, (db, chunk) => {
      for (const [index] of files.entries()) {
        const statements = chunk.flatMap((history) => history.statements.filter((statement) => statement.file === index).map((statement) => statement.sql));
        if (statements.length > 0) applyLikeD1(db, statements.join(";\n"));
      }
      shapes.push(...inspectTables(db));
    });
  } catch {
    // SQLite rejected a statement. The chunks run files out of the folder's order (every file for one chunk, then
    // the next chunk), so the first file to fail is named by a replay in one database.
    return undefined;
  }
  return shapes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The folder's statements grouped by the table each acts on, in order; undefined at the first one that is not table-local. */
function tableHistories(files: readonly MigrationFile[]): TableHistory[] | undefined {
  const histories = new Map<string, TableHistory>();
  /** Names SQLite holds at this point of the replay: each table's, and each index's with its table's key. */
  const liveTables = new Set<string>();
  const liveIndexes = new Map<string, string>();
  const record = (key: string, table: string, file: number, sql: string) => {
    const history = histories.get(key) ?? { table, statements: [] };
    history.statements.push({ file, sql });
    histories.set(key, history);
  };
  for (const [file, { sql }] of files.entries()) {
    const statements = splitStatements(sql);
    if (!statements) return undefined;
    for (const statement of statements) {
      if (foreignKeyPragma.test(statement)) continue;
      const created = createTable.exec(statement);
      if (created) {
        const key = unquote(created[1]).toLowerCase();
        if (liveTables.has(key) || liveIndexes.has(key)) return undefined;
        liveTables.add(key);
        record(key, unquote(created[1]), file, statement);
        continue;
      }
      const index = createIndex.exec(statement);
      if (index) {
        const name = unquote(index[1]).toLowerCase();
        const table = unquote(index[2]).toLowerCase();
        if (liveTables.has(name) || liveIndexes.has(name) || !liveTables.has(table)) return undefined;
        liveIndexes.set(name, table);
        record(table, unquote(index[2]), file, statement);
        continue;
      }
      const added = addColumn.exec(statement);
      if (added) {
        const table = unquote(added[1]).toLowerCase();
        if (!liveTables.has(table)) return undefined;
        record(table, unquote(added[1]), file, statement);
        continue;
      }
      const droppedIndex = dropIndex.exec(statement);
      if (droppedIndex) {
        const name = unquote(droppedIndex[2]).toLowerCase();
        const table = liveIndexes.get(name);
        if (table === undefined) {
          if (droppedIndex[1] && !liveTables.has(name)) continue; // IF EXISTS of nothing: a no-op either way
          return undefined;
        }
        liveIndexes.delete(name);
        record(table, table, file, statement);
        continue;
      }
      const droppedTable = dropTable.exec(statement);
      if (droppedTable) {
        const table = unquote(droppedTable[2]).toLowerCase();
        if (!liveTables.has(table)) {
          if (droppedTable[1] && !liveIndexes.has(table)) continue;
          return undefined;
        }
        liveTables.delete(table);
        for (const [name, of] of liveIndexes) if (of === table) liveIndexes.delete(name);
        record(table, table, file, statement);
        continue;
      }
      return undefined;
    }
  }
  return [...histories.values()];
}
