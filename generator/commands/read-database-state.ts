// What is on disk for one database: its snapshot and its migration files with their SQL.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readMigrationFolder } from "../io/migration-folder.js";
import { databaseMigrationsDir, snapshotPath, type ProjectPaths } from "../io/paths.js";
import { readSnapshot, type Snapshot } from "../io/snapshot.js";
import { readSum, sumFileName, type MigrationSum } from "../io/migration-sum.js";
import type { Database } from "../model/model.js";
import type { ExistingMigration } from "./generate-database.js";

export interface DatabaseState {
  snapshot?: Snapshot;
  migrations: ExistingMigration[];
  /** *.sql files that do not follow NNNN_name.sql; wrangler would still apply them. */
  otherSqlFiles: string[];
  sum?: MigrationSum;
}

export async function readDatabaseState(paths: ProjectPaths, model: Database): Promise<DatabaseState> {
  const dir = databaseMigrationsDir(paths, model.folder);
  const snapshot = await readSnapshot(snapshotPath(paths, model.folder), model.name);
  const { migrations, otherSqlFiles } = await readMigrationFolder(dir);
  const withSql = await Promise.all(
    migrations.map(async (migration) => ({ ...migration, sql: await readFile(path.join(dir, migration.fileName), "utf8") })),
  );
  const sum = await readSum(path.join(dir, sumFileName));
  return { snapshot, migrations: withSql, otherSqlFiles, sum };
}
