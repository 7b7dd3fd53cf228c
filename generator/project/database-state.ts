// What is on disk for one database: its snapshot and its migration files with their SQL.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readMigrationFolder } from "../io/migration-folder.js";
import { databaseMigrationsDir, displayPath, snapshotPath, type ProjectPaths } from "../io/paths.js";
import { readSnapshot, type Snapshot } from "../io/snapshot.js";
import { readSum, sumFileName, type MigrationSum } from "../io/migration-sum.js";
import type { Database } from "../model/model.js";
import type { ExistingMigration } from "./generate-database.js";

export interface DatabaseState extends MigrationFiles {
  snapshot?: Snapshot;
  sum?: MigrationSum;
}

export interface MigrationFiles {
  migrations: ExistingMigration[];
  /** *.sql files that do not follow NNNN_name.sql; wrangler would still apply them. */
  otherSqlFiles: string[];
}

export async function readDatabaseState(paths: ProjectPaths, model: Database): Promise<DatabaseState> {
  const snapshot = await readSnapshot(snapshotPath(paths, model.folder), model.name);
  const files = await readMigrationFiles(paths, model.folder);
  return { snapshot, ...files, sum: await readMigrationSum(paths, model) };
}

/** The folder's migrations.sum; undefined when there is none, a SchemaError naming the line when one is malformed. */
export async function readMigrationSum(paths: ProjectPaths, model: Database): Promise<MigrationSum | undefined> {
  const file = path.join(databaseMigrationsDir(paths, model.folder), sumFileName);
  return readSum(file, model.name, displayPath(paths, file));
}

/** The migration files of a database's folder with their SQL, without its sum (which `hash` rewrites). */
export async function readMigrationFiles(paths: ProjectPaths, folder: string): Promise<MigrationFiles> {
  const dir = databaseMigrationsDir(paths, folder);
  const { migrations, otherSqlFiles } = await readMigrationFolder(dir);
  const withSql = await Promise.all(migrations.map(async (migration) => ({ ...migration, sql: await readFile(path.join(dir, migration.fileName), "utf8") })));
  return { migrations: withSql, otherSqlFiles };
}
