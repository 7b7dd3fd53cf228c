// One database through the pipeline, the work generate, baseline and pull share: snapshot × schema → diff → plan →
// migration, squash, snapshot, types.
// Pure apart from SQLite in memory: the caller reads the folder and writes the files.
import type { Change } from "../diff/changes.js";
import { diffSchemas } from "../diff/diff.js";
import { emptyDatabase, renderCurrentSnapshot, renderSnapshot, snapshotVouches, type Snapshot } from "../model/snapshot.js";
import { provenOnTouchedTables } from "./touched-proof.js";
import { inBuiltColumnOrder } from "../diff/physical-order.js";
import { nextMigrationFileName, sanitizeMigrationName, type ExistingMigration } from "../project/migration-files.js";
import { SchemaError } from "../model/errors.js";
import { sameValue } from "../model/same-value.js";
import type { Database } from "../model/model.js";
import { planMigrationFromNothing } from "../plan/from-nothing.js";
import { describeLoss } from "../plan/losses.js";
import { planMigration } from "../plan/plan.js";
import type { MigrationPlan, RebuiltTables } from "../plan/steps.js";
import type { SchemaDiff } from "../diff/diff.js";
import { folderTriggers } from "../project/folder-triggers.js";
import { renderFreshSchema, type PreviousFresh } from "../render/fresh.js";
import { baselineMarker, renderMigration } from "../render/migration.js";
import { deriveMigrationName } from "../render/migration-name.js";
import { computeSum } from "../project/migration-sum.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { inspectTables } from "../sqlite/shape.js";
import { proveSchemaInSqlite, shapeOfDatabase, shapeOfSquash } from "../sqlite/prove.js";
import { objectShapes, readObjects } from "../sqlite/objects.js";
import { replayMigrations } from "../sqlite/replay.js";
import { sameStatementsAsSquash } from "../sqlite/schema-script.js";
import { describeShapeDisagreement, isStale, snapshotShapeDifferences, snapshotStanding, staleSnapshotError } from "../project/snapshot-proof.js";

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
  /**
   * Tables (by name) whose columns take their declared order physically, by a rebuild; any other table keeps the
   * order its migrations built and adds a column at the end, wherever it is declared (diff/physical-order.ts).
   */
  reorderColumns?: ReadonlySet<string>;
  /** The squash on disk, when it is what an earlier run rendered: unchanged tables keep their sections from it. */
  previousFresh?: PreviousFresh;
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
  declared: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  options: GenerateOptions,
): DatabaseGeneration {
  if (options.baselineNumber !== undefined) return generateBaseline(declared, snapshot, existing, options.baselineNumber, options.name);
  const model = snapshot ? inBuiltColumnOrder(declared, snapshot.database, options.reorderColumns) : declared;
  // Before anything is planned from it: a snapshot written for another folder (or none beside migrations) would
  // plan from the wrong tables. Its digest says so without SQLite; its shape is proved below when the folder is replayed.
  const standing = snapshotStanding(snapshot, existing);
  if (isStale(standing)) throw staleSnapshotError(model, standing);
  const previous = snapshot?.database ?? emptyDatabase(model);
  const diff = diffSchemas(previous, model);
  const changes = diff.changes;
  let migration: DatabaseGeneration["migration"];
  if (changes.length > 0) {
    const plan = planMigration(diff);
    if (plan.losses.length > 0 && !options.allowDestructive) {
      throw new SchemaError(
        { database: model.name },
        `the next migration would destroy data:\n${plan.losses.map((loss) => `    - ${describeLoss(loss)}`).join("\n")}`,
        "if a table or column was renamed, say so with renamedFrom; if the loss is intended, run generate --allow-destructive",
      );
    }
    if (plan.rebuild) refuseRebuildOverTriggers(previous, existing, plan.rebuild, diff.kept);
    const name = options.name === undefined ? deriveMigrationName(changes) : sanitizeMigrationName(options.name);
    const fileName = nextMigrationFileName(existing, model.continueFrom, name);
    migration = { fileName, sql: renderMigration(model, fileName, changes, plan), plan };
  }
  return finish(model, snapshot, existing, changes, migration, options.previousFresh);
}

/**
 * A rebuild empties, refills and drops the tables it rebuilds or carries. It sets aside the triggers the snapshot
 * holds (plan/objects.ts), but a trigger the folder made that the snapshot does not hold (a folder adopted before
 * the schema language held triggers, or written by hand) would fire on the rows moving (changing other tables) and
 * then be gone: such a migration is refused with the way through.
 */
function refuseRebuildOverTriggers(snapshot: Database, existing: readonly ExistingMigration[], rebuild: RebuiltTables, kept: SchemaDiff["kept"]): void {
  const emptied = new Set([...rebuild.rebuilt, ...rebuild.carried]);
  const newName = new Map(kept.map((pair) => [pair.from.name, pair.to.name]));
  const held = new Set((snapshot.triggers ?? []).map((trigger) => trigger.name.toLowerCase()));
  const hit = folderTriggers(snapshot.name, existing).filter(
    (trigger) => !held.has(trigger.name.toLowerCase()) && emptied.has(newName.get(trigger.table) ?? trigger.table),
  );
  if (hit.length === 0) return;
  const first = hit[0];
  throw new SchemaError(
    { database: snapshot.name, table: first.table },
    `the next migration rebuilds ${[...new Set(hit.map((trigger) => trigger.table))].join(", ")}, which ${hit.length === 1 ? "has trigger" : "have triggers"} ${hit.map((trigger) => `${trigger.name} (on ${trigger.table})`).join(", ")} from the migrations folder: the rebuild's DELETE and INSERT would fire ${hit.length === 1 ? "it" : "them"} while the rows move, and dropping the table drops ${hit.length === 1 ? "it" : "them"}; the snapshot does not hold ${hit.length === 1 ? "it" : "them"}, so the rebuild cannot set ${hit.length === 1 ? "it" : "them"} aside`,
    `set the schema change aside, drop the trigger in a custom migration (\`npx d1-schema generate --custom drop_${first.name}\` holding \`DROP TRIGGER ${first.name};\`, then \`generate\` to record it), make the schema change and generate it, then describe the trigger in schema/ (\`trigger("${first.name}", "…")\`) and generate, which creates it again and sets it aside in every later rebuild`,
  );
}

function finish(
  model: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  changes: Change[],
  migration: DatabaseGeneration["migration"],
  previousFresh?: PreviousFresh,
): DatabaseGeneration {
  const lastMigration = migration?.fileName ?? snapshot?.lastMigration;
  const fresh = migration && renderFreshSchema(model, lastMigration, previousFresh);
  // A version-1 snapshot has no digest: the replay proves it once, and it is rewritten with one. A run with nothing
  // to migrate and a digest that matches does no SQLite work. A snapshot that vouches for itself lets the new
  // migration be proved on the tables it touches; the whole replay is the proof otherwise (and when that cannot vouch).
  const provenOnTouched =
    migration !== undefined && snapshot !== undefined && snapshotVouches(snapshot) && provenOnTouchedTables(snapshot.database, model, migration, changes);
  if ((migration && !provenOnTouched) || snapshot?.version === 1)
    proveAgainstFolder(model, snapshot, existing, migration && fresh ? { ...migration, fresh } : undefined);
  const folder = [...existing, ...(migration ? [migration] : [])];
  const folderHash = computeSum(folder).folderHash;
  // The snapshot on disk stays as it is when it already says all this and vouches for itself (whichever digest it has).
  const unchanged =
    snapshot?.version === 2 &&
    snapshot.lastMigration === lastMigration &&
    snapshot.folderHash === folderHash &&
    sameValue(snapshot.database, model) &&
    snapshotVouches(snapshot);
  const text = unchanged ? renderSnapshot(snapshot) : renderCurrentSnapshot({ version: 2, lastMigration, folderHash, database: model }, snapshot);
  return { database: model, changes, migration, snapshotChanged: !unchanged, snapshot: text, fresh };
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
  const adopted = { ...model, ifNotExists: true };
  const changes = diffSchemas(emptyDatabase(adopted), adopted).changes;
  const plan = planMigrationFromNothing(adopted);
  const fileName = nextMigrationFileName([], number - 1, sanitizeMigrationName(name ?? "production_baseline"));
  const sql = renderMigration(adopted, fileName, changes, plan, [
    `${baselineMarker} IF NOT EXISTS makes it a no-op on a database that already has it`,
    "and builds a new one from nothing.",
  ]);
  return finish(model, snapshot, existing, changes, { fileName, sql, plan });
}

/**
 * Replays the folder once: its shape must be the snapshot's (what the diff was planned from), and with the new
 * migration applied on top, the squash's. A difference is a stale snapshot, a hand-edited migration or a bug in this
 * tool; either way nothing may be written. (This is `replayAgainstSquash` (sqlite/prove.ts) with the snapshot proved half-way
 * through the same replay, and the squash built with the model so its defaults are proved too: one replay, not two.)
 */
function proveAgainstFolder(
  model: Database,
  snapshot: Snapshot | undefined,
  existing: readonly ExistingMigration[],
  next: { fileName: string; sql: string; fresh: string } | undefined,
): void {
  const db = openMemoryDatabase();
  let replayed: string | undefined;
  let squashed: string | undefined;
  try {
    // The squash holds the whole schema, so building it is also the schema's proof in SQLite (with its defaults).
    if (next) squashed = shapeOfSquash(next.fresh, model);
    replayMigrations(
      db,
      existing.map((file) => ({ name: file.fileName, sql: file.sql })),
    );
    const differences = snapshot ? snapshotShapeDifferences(snapshot.database, inspectTables(db), objectShapes(readObjects(db))) : [];
    if (differences.length > 0) {
      const { problem, fix } = describeShapeDisagreement(model, differences);
      throw new SchemaError({ database: model.name }, problem, fix);
    }
    if (next && existing.length === 0 && sameStatementsAsSquash(next.sql, next.fresh)) {
      // The first migration is the squash's own statements in the squash's order: on an empty database they build
      // what the squash builds (just proved, in chunks), without one database of every table (quadratic in SQLite).
      replayed = squashed;
    } else if (next) {
      replayMigrations(db, [{ name: next.fileName, sql: next.sql }]);
      replayed = shapeOfDatabase(db);
    }
  } catch (error) {
    // When the schema itself is what SQLite rejects, say which table; otherwise the failing file is the news.
    if (!(error instanceof SchemaError)) proveSchemaInSqlite(model);
    throw error;
  } finally {
    db.close();
  }
  if (next && replayed !== squashed) {
    throw new SchemaError(
      { database: model.name },
      `replaying migrations/${model.folder}/ with ${next.fileName} does not give the schema of the fresh squash`,
      "run `d1-schema check` to see which migration disagrees; if none was edited by hand, report this as a bug",
    );
  }
}
