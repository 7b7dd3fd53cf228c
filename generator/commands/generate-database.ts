// One database through the pipeline: snapshot × schema → diff → plan → migration, squash, snapshot, types.
// Pure apart from SQLite in memory: the caller reads the folder and writes the files.
import type { Change } from "../diff/changes.js";
import { diffDatabases } from "../diff/diff.js";
import { emptyDatabase, renderSnapshot, type Snapshot } from "../io/snapshot.js";
import { nextMigrationFileName, sanitizeMigrationName, type MigrationFile } from "../io/migration-folder.js";
import { SchemaError } from "../model/errors.js";
import { sameValue } from "../model/same-value.js";
import type { Database } from "../model/model.js";
import { planMigration } from "../plan/plan.js";
import type { MigrationPlan } from "../plan/steps.js";
import { renderFreshSchema } from "../render/fresh.js";
import { baselineMarker, renderMigration } from "../render/migration.js";
import { deriveMigrationName } from "../render/migration-name.js";
import { proveSchemaInSqlite, shapeAfterMigrations, shapeOfSquash } from "../sqlite/prove.js";

export interface ExistingMigration extends MigrationFile {
  sql: string;
}

export interface GenerateOptions {
  allowDestructive: boolean;
  /** The migration's name instead of one derived from its changes. */
  name?: string;
  /**
   * Adopt a database that already exists in production: the first migration holds the whole schema with
   * IF NOT EXISTS (a no-op where production has it, a full build elsewhere) and takes this number, the last
   * migration production has applied.
   */
  baselineNumber?: number;
}

export interface DatabaseGeneration {
  database: Database;
  changes: Change[];
  /** The new migration, when the schema changed, and its plan (what lint looks at). */
  migration?: { fileName: string; sql: string; plan: MigrationPlan };
  /** True when the snapshot must be rewritten (a migration, or only descriptions and other metadata changed). */
  snapshotChanged: boolean;
  snapshot: string;
  /** The fresh squash, when proving a new migration needed it rendered. */
  fresh?: string;
}

export function generateDatabase(
  model: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  options: GenerateOptions,
): DatabaseGeneration {
  if (options.baselineNumber !== undefined) return generateBaseline(model, snapshot, existing, options.baselineNumber, options.name);
  const previous = snapshot?.database ?? emptyDatabase(model);
  const changes = diffDatabases(previous, model);
  let migration: DatabaseGeneration["migration"];
  if (changes.length > 0) {
    const plan = planMigration(previous, model, changes);
    if (plan.destructive.length > 0 && !options.allowDestructive) {
      throw new SchemaError(
        { database: model.name },
        `the next migration would destroy data:\n${plan.destructive.map((loss) => `    - ${loss}`).join("\n")}`,
        "if a table or column was renamed, say so with renamedFrom; if the loss is intended, run generate --allow-destructive",
      );
    }
    const name = options.name === undefined ? deriveMigrationName(changes) : sanitizeMigrationName(options.name);
    const fileName = nextMigrationFileName(existing, model.continueFrom, name);
    migration = { fileName, sql: renderMigration(model, fileName, changes, plan), plan };
  }
  return finish(model, snapshot, existing, changes, migration);
}

function finish(
  model: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  changes: Change[],
  migration: DatabaseGeneration["migration"],
): DatabaseGeneration {
  const lastMigration = migration?.fileName ?? snapshot?.lastMigration;
  const fresh = migration && renderFreshSchema(model, lastMigration);
  if (migration && fresh) proveMigrationMatchesSquash(model, existing, migration, fresh);
  const nextSnapshot: Snapshot = { version: 1, lastMigration, database: model };
  const snapshotChanged = !snapshot || !sameValue(snapshot, nextSnapshot);
  return { database: model, changes, migration, snapshotChanged, snapshot: renderSnapshot(nextSnapshot), fresh };
}

function generateBaseline(
  model: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  number: number,
  name: string | undefined,
): DatabaseGeneration {
  if (snapshot || existing.length > 0) {
    throw new SchemaError(
      { database: model.name },
      `already has ${snapshot ? "a snapshot" : `migrations (${existing[0].fileName} ...)`}, so it cannot take a baseline`,
      "a baseline starts a database's history; use generate for the next change",
    );
  }
  const changes = diffDatabases(emptyDatabase(model), model);
  const adopted = { ...model, ifNotExists: true };
  const plan = planMigration(emptyDatabase(adopted), adopted, changes);
  const fileName = nextMigrationFileName([], number - 1, sanitizeMigrationName(name ?? "production_baseline"));
  const sql = renderMigration(adopted, fileName, changes, plan, [
    `${baselineMarker} IF NOT EXISTS makes it a no-op on a database that already has it`,
    "and builds a new one from nothing.",
  ]);
  return finish(model, snapshot, existing, changes, { fileName, sql, plan });
}

/**
 * Replays the folder plus the new migration and compares the result with the squash. A difference is a bug in
 * this tool or a hand-edited migration; either way nothing may be written.
 */
function proveMigrationMatchesSquash(
  model: Database,
  existing: readonly ExistingMigration[],
  migration: { fileName: string; sql: string },
  fresh: string,
): void {
  let replayed: string;
  let squashed: string;
  try {
    // The squash holds the whole schema, so building it is also the schema's proof in SQLite (with its defaults).
    squashed = shapeOfSquash(fresh, model);
    replayed = shapeAfterMigrations([...existing.map((file) => ({ name: file.fileName, sql: file.sql })), { name: migration.fileName, sql: migration.sql }]);
  } catch (error) {
    // When the schema itself is what SQLite rejects, say which table; otherwise the failing file is the news.
    proveSchemaInSqlite(model);
    throw error;
  }
  if (replayed !== squashed) {
    throw new SchemaError(
      { database: model.name },
      `replaying migrations/${model.folder}/ with ${migration.fileName} does not give the schema of the fresh squash`,
      "run `d1-schema check` to see which migration disagrees; if none was edited by hand, report this as a bug",
    );
  }
}
