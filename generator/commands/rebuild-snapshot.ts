// `snapshot`: rebuild each snapshot from what its migrations folder really builds, after an interrupted run, a
// merge or a hand edit left one that does not describe the folder (project/snapshot-proof.ts). The folder is
// replayed the D1 way and read back into the model; what SQLite cannot say (logical types, TypeScript types,
// descriptions, deprecations, createdIn, lint silencers, renamedFrom) is kept from the old snapshot, then from
// schema/, wherever they describe the same table, or the same column. The result is proved like a generated one:
// its squash builds exactly what the folder builds. Then `generate` diffs schema/ against the truth, and the
// migration it writes keeps every column the folder has.
import { computeSum } from "../project/migration-sum.js";
import { databaseMigrationsDir, displayPath, snapshotPath, type ProjectPaths } from "../io/paths.js";
import { currentSnapshot, renderSnapshot, type CurrentSnapshot, type Snapshot } from "../model/snapshot.js";
import { readSnapshot } from "../project/snapshot-file.js";
import { writeFilesAtomically, type FileWrite } from "../io/write-files.js";
import { reportPhase } from "../io/progress.js";
import { canonicalJson } from "../model/canonical-json.js";
import { SchemaError } from "../model/errors.js";
import type { Column, Database, Table, Trigger, View, VirtualTable } from "../model/model.js";
import { objectsOf, sameTrigger, sameView, sameVirtualTable, withObjects } from "../model/objects.js";
import { readObjects } from "../sqlite/objects.js";
import { compareNames, dropUndefined } from "../model/normalize.js";
import { validateDatabase } from "../model/validate.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { sqlComparisonKey } from "../model/sql-lexer.js";
import { replayMigrations } from "../sqlite/replay.js";
import { appliedRenames, columnRenamedFrom, tableRenamedFrom, type AppliedRenames } from "../sqlite/applied-renames.js";
import {
  builtTables,
  builtTablesOfModel,
  columnDefinitionKey,
  describeBuiltTableChanges,
  indexDefinitionKey,
  sameBuiltTable,
  type BuiltTable,
  type BuiltTables,
} from "../sqlite/table-definitions.js";
import type { ExistingMigration } from "../project/migration-files.js";
import { selectDatabases } from "../project/select-databases.js";
import { integrityFindings } from "../project/integrity.js";
import { renderFinding } from "../model/finding.js";
import { loadModels } from "../project/load-models.js";
import { readMigrationFiles, readMigrationSum } from "../project/database-state.js";

export interface RebuiltSnapshot {
  snapshot: CurrentSnapshot;
  /** From the old snapshot's tables to the folder's, in words (empty: the same tables). */
  changes: string[];
}

export async function runRebuildSnapshot(paths: ProjectPaths, only: string | undefined): Promise<string[]> {
  const models = selectDatabases(await loadModels(paths.schemaDir), only);
  const writes: FileWrite[] = [];
  const lines: string[] = [];
  for (const model of models) {
    const file = snapshotPath(paths, model.folder);
    const shown = displayPath(paths, file);
    const folder = `${displayPath(paths, databaseMigrationsDir(paths, model.folder))}/`;
    // An unreadable snapshot is one more that does not describe its folder: rebuilt like a missing one.
    const { snapshot, unreadable } = await readSnapshot(file, model.name).then(
      (found) => ({ snapshot: found, unreadable: false }),
      (error: unknown) => {
        if (!(error instanceof SchemaError)) throw error;
        return { snapshot: undefined, unreadable: true };
      },
    );
    const state = { snapshot, ...(await readMigrationFiles(paths, model.folder)), sum: await readMigrationSum(paths, model) };
    if (!unreadable && !state.snapshot && state.migrations.length === 0) {
      lines.push(`${model.name}: ${folder} holds no migration yet; nothing to describe (generate writes the first snapshot)`);
      continue;
    }
    // The folder must be right first: a snapshot rebuilt from an edited or half-merged folder would describe it.
    const broken = state.sum ? integrityFindings(model.folder, state.migrations, state.sum) : [];
    if (broken.length > 0) {
      throw new SchemaError(
        { database: model.name },
        `has a migrations folder that changed since it was generated, so what it builds is not what databases applied:\n${broken.map((finding) => `    - ${renderFinding(finding)}`).join("\n")}`,
        "fix the folder first (each finding says how; `d1-schema check` lists them too), then rebuild the snapshot",
      );
    }
    reportPhase(`${model.name}: replaying ${folder} and reading it back`);
    const rebuilt = rebuildSnapshot(model, state.snapshot, state.migrations);
    const content = renderSnapshot(rebuilt.snapshot);
    const through = rebuilt.snapshot.lastMigration ? ` (through ${rebuilt.snapshot.lastMigration})` : "";
    if (state.snapshot && renderSnapshot(state.snapshot) === content) {
      lines.push(`${model.name}: ${shown} already describes what ${folder} builds${through}; unchanged`);
      continue;
    }
    writes.push({ path: file, content });
    const described = unreadable
      ? [`the old snapshot was unreadable; it now holds ${rebuilt.snapshot.database.tables.length} tables`]
      : describeRebuild(state.snapshot, rebuilt);
    lines.push(`${model.name}: ${shown} rebuilt from what ${folder} builds${through}`, ...described.map((line) => `  ${line}`));
  }
  await writeFilesAtomically(paths.root, writes);
  if (writes.length > 0) lines.push("next: run generate; it diffs schema/ against the rebuilt snapshot");
  return lines;
}

function describeRebuild(old: Snapshot | undefined, rebuilt: RebuiltSnapshot): string[] {
  if (!old) return [`there was no snapshot; it now holds ${rebuilt.snapshot.database.tables.length} tables`];
  if (rebuilt.changes.length > 0) return rebuilt.changes.map((change) => `the old snapshot → the folder: ${change}`);
  if (old.version === 1 && canonicalJson(old.database) === canonicalJson(rebuilt.snapshot.database))
    return ["the same tables; it now records the folder's digest"];
  return ["the same tables; metadata (types, descriptions) taken from the old snapshot and schema/ where they agree"];
}

/**
 * The snapshot of what `migrations` build, with the metadata of `old` and `schema` kept where they describe the
 * same table or column. Throws a SchemaError naming the database when a migration fails or when the folder builds
 * something the model cannot describe.
 */
export function rebuildSnapshot(schema: Database, old: Snapshot | undefined, migrations: readonly ExistingMigration[]): RebuiltSnapshot {
  const identity = identityOf(old?.database ?? schema);
  const replayed = replayFolder(identity, migrations);
  const candidates = [old?.database, schema].flatMap((database) => {
    if (!database) return [];
    try {
      return [{ model: database, built: builtTablesOfModel(database) }];
    } catch (error) {
      // An old snapshot edited into what SQLite rejects describes nothing; schema/ was proven when it was loaded.
      if (database === schema) throw error;
      return [];
    }
  });
  const tables: Table[] = [];
  for (const [name, built] of replayed.tables) {
    const sources = candidates.flatMap(({ model, built: others }) => {
      const table = model.tables.find((candidate) => candidate.name === name);
      const other = others.tables.get(name);
      return table && other ? [{ table, built: other }] : [];
    });
    tables.push(sources.find((source) => sameBuiltTable(source.built, built))?.table ?? keepMetadata(built.table, sources));
  }
  const hinted = withAppliedHints(tables, appliedRenames(migrations), [schema, old?.database]);
  const database = withObjects(
    { ...identity, tables: hinted.sort((a, b) => compareNames(a.name, b.name)) },
    ...objectsWithMetadata(replayed.objects, [schema, old?.database]),
  );
  proveRebuilt(database, replayed);
  const last = migrations.at(-1)?.fileName;
  return {
    snapshot: dropUndefined(
      currentSnapshot({
        version: 2 as const,
        lastMigration: last,
        folderHash: computeSum(migrations).folderHash,
        database,
      }),
    ),
    changes: old && candidates[0].model === old.database ? describeBuiltTableChanges(candidates[0].built, replayed) : [],
  };
}

/**
 * A `renamedFrom` hint counts as applied exactly when the snapshot carries it (diff/pairing.ts), and the shapes
 * cannot tell whether the folder made a rename (a swap builds the same tables). So each table and column carries
 * the hint schema/ (or the old snapshot) gives it only when the folder renamed it from that name; otherwise none,
 * and the next generate applies the hint.
 */
function withAppliedHints(tables: readonly Table[], renames: AppliedRenames, sources: readonly (Database | undefined)[]): Table[] {
  const hintsOf = (table: string) => sources.flatMap((source) => source?.tables.find((candidate) => candidate.name === table) ?? []);
  return tables.map((table) => {
    const described = hintsOf(table.name);
    const tableHint = described.map((candidate) => candidate.renamedFrom).find((hint) => hint !== undefined && tableRenamedFrom(renames, table.name, hint));
    const columns = table.columns.map((column) => {
      const columnHint = described
        .map((candidate) => candidate.columns.find((other) => other.name === column.name)?.renamedFrom)
        .find((hint) => hint !== undefined && columnRenamedFrom(renames, table.name, column.name, hint));
      return dropUndefined({ ...column, renamedFrom: columnHint });
    });
    return dropUndefined({ ...table, renamedFrom: tableHint, columns });
  });
}

function identityOf(database: Database): Database {
  const { name, folder, bindings, continueFrom, ifNotExists } = database;
  return { name, folder, bindings, continueFrom, ifNotExists, tables: [] };
}

/** The folder's views, triggers and virtual tables, each the first source's where it has the same one (its description). */
function objectsWithMetadata(replayed: ReturnType<typeof readObjects>, sources: readonly (Database | undefined)[]): [View[], Trigger[], VirtualTable[]] {
  const described = sources.flatMap((source) => (source ? [objectsOf(source)] : []));
  return [
    replayed.views.map((view) => described.flatMap((source) => source.views).find((other) => sameView(other, view)) ?? view),
    replayed.triggers.map((trigger) => described.flatMap((source) => source.triggers).find((other) => sameTrigger(other, trigger)) ?? trigger),
    replayed.virtualTables.map((table) => described.flatMap((source) => source.virtualTables).find((other) => sameVirtualTable(other, table)) ?? table),
  ];
}

function replayFolder(identity: Database, migrations: readonly ExistingMigration[]): BuiltTables & { objects: ReturnType<typeof readObjects> } {
  const db = openMemoryDatabase();
  try {
    replayMigrations(
      db,
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
    );
    return { ...builtTables(db, identity), objects: readObjects(db) };
  } catch (error) {
    throw new SchemaError(
      { database: identity.name },
      `migrations/${identity.folder}/ does not replay on an empty database the D1 way: ${(error as Error).message}`,
      "the snapshot describes what the folder builds, so the folder must build: restore the failing file from git",
    );
  } finally {
    db.close();
  }
}

/**
 * The table as the folder builds it, with the metadata of the first source that describes it: per column, the
 * source's column whose definition is the same (it is then the same column: its logical type, TypeScript type,
 * description); per CHECK and index, the source's spelling of the same one; the table's own metadata.
 */
function keepMetadata(replayed: Table, sources: readonly { table: Table; built: BuiltTable }[]): Table {
  const sameColumn = (column: Column) => {
    for (const source of sources) {
      const built = source.built.table.columns.find((candidate) => candidate.name === column.name);
      const written = source.table.columns.find((candidate) => candidate.name === column.name);
      if (built && written && columnDefinitionKey(built) === columnDefinitionKey(column)) return written;
    }
    return column;
  };
  const sourceChecks = sources.flatMap((source) => source.table.checks);
  const sourceIndexes = sources.flatMap((source) => source.table.indexes);
  const described = sources[0]?.table;
  return dropUndefined({
    ...replayed,
    columns: replayed.columns.map(sameColumn),
    checks: replayed.checks.map(
      (check) => sourceChecks.find((candidate) => sqlComparisonKey(candidate.expression) === sqlComparisonKey(check.expression)) ?? check,
    ),
    indexes: replayed.indexes.map((index) => sourceIndexes.find((candidate) => indexDefinitionKey(candidate) === indexDefinitionKey(index)) ?? index),
    description: described?.description,
    deprecated: described?.deprecated,
    createdIn: described?.createdIn,
    renamedFrom: described?.renamedFrom,
    lint: described?.lint,
  });
}

/**
 * The rebuilt snapshot is proved like a generated one: valid, and its squash builds exactly what the folder builds
 * (PRAGMA shapes and read-back definitions). Otherwise the folder holds what the schema language cannot say.
 */
function proveRebuilt(database: Database, replayed: BuiltTables): void {
  const problems = validateDatabase(database).map((error) => error.message.replace(/\n\s*fix:.*$/s, ""));
  const built = builtTablesOfModel(database);
  const differing = [...replayed.tables].filter(([name, table]) => {
    const other = built.tables.get(name);
    return !other || !sameBuiltTable(other, table);
  });
  if (problems.length === 0 && differing.length === 0) return;
  const names = new Set(differing.map(([name]) => name));
  const notes = replayed.notes.filter((note) => names.has(note.split(/[.:(]/)[0]));
  throw new SchemaError(
    { database: database.name },
    `migrations/${database.folder}/ builds what a snapshot cannot describe:\n${[
      ...problems,
      ...(differing.length > 0
        ? [`rebuilt from the folder, ${[...names].join(", ")} would not build as the folder builds ${names.size > 1 ? "them" : "it"}`]
        : []),
      ...notes,
    ]
      .map((line) => `    - ${line}`)
      .join("\n")}`,
    "fix the folder (a hand-written migration the schema language cannot express) or restore the snapshot from git",
  );
}
