// Recording an edited custom migration (custom-migration-file.ts). The file holds SQL a person wrote, so before
// generate records it in migrations.sum and in the snapshot's folder digest, it is held to what every migration must
// be: its statements pass D1's rules (no transaction control), the folder still replays the D1 way, and what the
// folder builds is still what the snapshot says, because the next migration is planned from the snapshot (a custom
// CREATE INDEX the snapshot does not know would be created again, or a column it added copied away by a rebuild).
// The one way through for a schema change in a custom migration is for schema/ to describe it too: then the
// folder builds schema/, the snapshot becomes schema/, and generate has nothing left to write.
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { MigrationReplayError, replayMigrations } from "../sqlite/replay.js";
import { builtTables, builtTablesOfModel, describeBuiltTableChanges, sameBuiltTable, type BuiltTables } from "../sqlite/table-definitions.js";
import { transactionControlStatement } from "../sqlite/transaction-control.js";
import { unheldObjects, type UnheldObject } from "../sqlite/unheld-objects.js";
import { describeObjectDifferences, objectShapes, readObjects } from "../sqlite/objects.js";
import { objectsOf, parseCreateObject, virtualModule } from "../model/objects.js";
import { startsAsCustomMigration } from "./custom-migration-file.js";
import type { ExistingMigration } from "./migration-files.js";
import { computeSum, type MigrationSum } from "./migration-sum.js";
import { recordedFolderHash } from "./integrity.js";
import { staleSnapshotError } from "./snapshot-proof.js";
import { currentSnapshot, type CurrentSnapshot, type Snapshot } from "../model/snapshot.js";
import { inBuiltColumnOrder } from "../diff/physical-order.js";

/** What the folder builds, once the edited custom migrations are proved: the snapshot's schema, or schema/'s. */
export type CustomProof = { builds: "snapshot" } | { builds: "schema" };

/**
 * Proves the folder with its edited custom migrations (`edited`) against `snapshot` (what the recorded folder built)
 * and, failing that, against `schema` (schema/ in the column order the migrations built). Throws a SchemaError naming
 * the file and what is wrong: a lost first line, transaction control, a file SQLite rejects, a schema change.
 */
export function proveCustomMigrations(
  schema: Database,
  snapshot: Database,
  migrations: readonly ExistingMigration[],
  edited: readonly ExistingMigration[],
): CustomProof {
  const where = (file: ExistingMigration) => `migrations/${schema.folder}/${file.fileName}`;
  for (const file of edited) {
    if (!startsAsCustomMigration(file.sql)) {
      throw new SchemaError(
        { database: schema.name },
        `${where(file)} is a custom migration whose first line is gone; that line is how \`hash\` and readers know it is custom`,
        "put the first line back as `generate --custom` wrote it (restore it from git), then run generate",
      );
    }
    const statement = transactionControlStatement(file.sql);
    if (statement !== undefined) {
      throw new SchemaError(
        { database: schema.name },
        `${where(file)} controls transactions or foreign keys (\`${statement}\`), which fails or does nothing on D1: D1 applies each migration file as one transaction with foreign keys on`,
        "remove that statement; the file is already all or nothing",
      );
    }
  }
  const { tables: replayed, objects, virtualTables } = replayFolder(schema, migrations);
  const before = replayFolder(schema, migrations.slice(0, migrations.length - edited.length)).virtualTables;
  // FTS5 tables are schema like views; another module (rtree, …) the schema language cannot describe.
  const created = virtualTables.filter((object) => !before.some((old) => old.name === object.name) && !isFts5(object.sql));
  if (created.length > 0) {
    const names = edited.map((file) => file.fileName).join(", ");
    throw new SchemaError(
      { database: schema.name },
      `the custom migration ${names} creates ${created.map((object) => `${object.type} ${object.name}`).join(", ")}, which the schema language does not hold yet: the fresh squash would not build ${created.length === 1 ? "it" : "them"}, so a new database would differ from one that applied the folder`,
      'take the virtual table out of the custom migration (the schema language holds FTS5 tables only: virtualTable(name, "fts5(…)")); the rest of the file is recorded as it is',
    );
  }
  // Views and triggers are schema like tables: the folder must build the ones the snapshot (or schema/) describes.
  const described = builtTablesOfModel(snapshot);
  const describedObjects = objectShapes(objectsOf(snapshot));
  if (sameTables(described, replayed) && sameObjects(describedObjects, objects)) return { builds: "snapshot" };
  if (sameTables(builtTablesOfModel(schema), replayed) && sameObjects(objectShapes(objectsOf(schema)), objects)) return { builds: "schema" };
  const names = edited.map((file) => file.fileName).join(", ");
  const tableChanges = sameTables(described, replayed) ? [] : describeBuiltTableChanges(described, replayed);
  const differences = [...tableChanges, ...describeObjectDifferences(describedObjects, objects)];
  throw new SchemaError(
    { database: schema.name },
    `the custom migration ${names} changes the schema (from the snapshot to the folder: ${differences.join("; ") || "column details differ"}), and neither the snapshot nor schema/${schema.folder}/ has that change; the next migration is planned from the snapshot, so it would not know it`,
    `describe the same change in schema/${schema.folder}/ (then generate finds no difference and records the file), or take the schema change out of the custom migration and put it in schema/, so that generate writes it as a migration of its own`,
  );
}

function isFts5(sql: string): boolean {
  const read = parseCreateObject(sql);
  return read?.type === "virtualTable" && virtualModule(read.virtualTable) === "fts5";
}

function sameObjects(expected: readonly string[], replayed: readonly string[]): boolean {
  return expected.length === replayed.length && expected.every((shape, index) => shape === replayed[index]);
}

function replayFolder(schema: Database, migrations: readonly ExistingMigration[]): { tables: BuiltTables; objects: string[]; virtualTables: UnheldObject[] } {
  const db = openMemoryDatabase();
  try {
    replayMigrations(
      db,
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
    );
    const { name, folder, bindings, continueFrom, ifNotExists } = schema;
    return {
      tables: builtTables(db, { name, folder, bindings, continueFrom, ifNotExists }),
      objects: objectShapes(readObjects(db)),
      virtualTables: unheldObjects(db).filter((object) => object.type === "virtual table"),
    };
  } catch (error) {
    if (!(error instanceof MigrationReplayError)) throw error;
    throw new SchemaError(
      { database: schema.name },
      `migrations/${schema.folder}/${error.file} fails on SQLite, applied the D1 way after the migrations before it: ${error.reason}`,
      "fix the SQL of the custom migration (wrangler would stop at the same statement and roll the file back)",
    );
  } finally {
    db.close();
  }
}

function sameTables(expected: BuiltTables, replayed: BuiltTables): boolean {
  if (expected.tables.size !== replayed.tables.size) return false;
  return [...replayed.tables].every(([name, table]) => {
    const other = expected.tables.get(name);
    return other !== undefined && sameBuiltTable(other, table);
  });
}

/**
 * The snapshot once the edited custom migrations are proved and recorded: the folder's digest and last file, and
 * schema/'s tables when the custom migrations made schema/'s change. The snapshot must describe the folder as the sum
 * recorded it (else it is stale, as generate says for any folder).
 */
export function recordCustomMigrations(
  declared: Database,
  snapshot: Snapshot | undefined,
  migrations: readonly ExistingMigration[],
  sum: MigrationSum,
  edited: readonly ExistingMigration[],
): { snapshot: CurrentSnapshot; proof: CustomProof } {
  const folderEndsAt = migrations.at(-1)?.fileName;
  if (!snapshot) throw staleSnapshotError(declared, { kind: "missing", folderEndsAt: folderEndsAt ?? "" });
  if (snapshot.version === 2 && snapshot.folderHash !== recordedFolderHash(migrations, sum)) {
    throw staleSnapshotError(declared, { kind: "otherFolder", writtenAfter: snapshot.lastMigration, folderEndsAt });
  }
  const schema = inBuiltColumnOrder(declared, snapshot.database);
  const proof = proveCustomMigrations(schema, snapshot.database, migrations, edited);
  return {
    snapshot: currentSnapshot({
      version: 2,
      lastMigration: folderEndsAt,
      folderHash: computeSum(migrations).folderHash,
      database: proof.builds === "schema" ? schema : snapshot.database,
    }),
    proof,
  };
}
