// What is on disk for one database: its snapshot and its migration files with their SQL, and which databases
// migrations/ holds at all.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { databaseMigrationsDir, displayPath, snapshotPath, type ProjectPaths } from "../io/paths.js";
import type { Database } from "../model/model.js";
import type { Snapshot } from "../model/snapshot.js";
import { listMigrationFolder, readMigrationFolder, type ExistingMigration } from "./migration-files.js";
import { readSum, sumFileName, type MigrationSum } from "./migration-sum.js";
import { readSnapshot, readSnapshotFile } from "./snapshot-file.js";

export interface DatabaseState extends MigrationFiles {
  snapshot?: Snapshot;
  /** The snapshot file's text, which the stamps of the squash and types rendered from it hash. */
  snapshotText?: string;
  sum?: MigrationSum;
}

export interface MigrationFiles {
  migrations: ExistingMigration[];
  /** *.sql files that do not follow NNNN_name.sql; wrangler would still apply them. */
  otherSqlFiles: string[];
}

export async function readDatabaseState(paths: ProjectPaths, model: Database): Promise<DatabaseState> {
  const read = await readSnapshotFile(snapshotPath(paths, model.folder), model.name);
  const files = await readMigrationFiles(paths, model.folder);
  return { snapshot: read?.snapshot, snapshotText: read?.text, ...files, sum: await readMigrationSum(paths, model) };
}

/** The folder's migrations.sum; undefined when there is none, a SchemaError naming the line when one is malformed. */
export async function readMigrationSum(paths: ProjectPaths, model: Database): Promise<MigrationSum | undefined> {
  const file = path.join(databaseMigrationsDir(paths, model.folder), sumFileName);
  return readSum(file, model.name, displayPath(paths, file));
}

/** The migration files of a database's folder with their SQL, without its sum (which `hash` rewrites). */
export async function readMigrationFiles(paths: ProjectPaths, folder: string): Promise<MigrationFiles> {
  const { migrations, otherSqlFiles } = await readMigrationFolder(databaseMigrationsDir(paths, folder));
  return { migrations, otherSqlFiles };
}

/** A database's folder under migrations/ and its snapshot (absent when generate never ran for it). */
export interface DatabaseFolder {
  folder: string;
  name: string;
  snapshot?: Snapshot;
}

/** Every folder under migrations/ that holds a snapshot or migrations (the squashes' `fresh/` left out). */
export async function readDatabaseFolders(paths: ProjectPaths): Promise<DatabaseFolder[]> {
  const entries = await readdir(paths.migrationsDir, { withFileTypes: true }).catch(() => []);
  const folders: DatabaseFolder[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory() && candidate.name !== "fresh").sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const snapshot = await readSnapshot(snapshotPath(paths, entry.name), entry.name);
    const { migrations } = await listMigrationFolder(databaseMigrationsDir(paths, entry.name));
    if (snapshot || migrations.length > 0) folders.push({ folder: entry.name, name: snapshot?.database.name ?? entry.name, snapshot });
  }
  return folders;
}
