// Triggers a migrations folder leaves in a database. The schema language does not hold triggers, but a folder
// adopted with `pull` (or written by hand before) may create them, and a rebuild must not run over them: it empties
// and refills the table (its DELETE and INSERT fire the table's triggers, which may change other tables' rows) and
// drops the table, which drops its triggers. Read only when a file of the folder mentions CREATE TRIGGER.
import { SchemaError } from "../model/errors.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { MigrationReplayError, replayMigrations } from "../sqlite/replay.js";
import { unheldObjects, type UnheldObject } from "../sqlite/unheld-objects.js";
import type { ExistingMigration } from "./migration-files.js";

export function folderTriggers(database: string, migrations: readonly ExistingMigration[]): UnheldObject[] {
  if (!migrations.some((migration) => /\bcreate\s+(?:temp(?:orary)?\s+)?trigger\b/i.test(migration.sql))) return [];
  const db = openMemoryDatabase();
  try {
    replayMigrations(
      db,
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
    );
    return unheldObjects(db).filter((object) => object.type === "trigger");
  } catch (error) {
    if (!(error instanceof MigrationReplayError)) throw error;
    throw new SchemaError(
      { database },
      `${error.file} fails when the migrations folder is replayed the D1 way: ${error.reason}`,
      "fix the folder first (d1-schema check)",
    );
  } finally {
    db.close();
  }
}
