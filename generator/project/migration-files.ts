// A wrangler migrations folder: `NNNN_descriptive_name.sql` files applied in name order. Gaps are allowed.
import { readdir } from "node:fs/promises";

const migrationFileName = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
  number: number;
  name: string;
  fileName: string;
}

/** The migration files of a folder, in the order wrangler applies them; a missing folder has none. */
export async function readMigrationFolder(dir: string): Promise<{ migrations: MigrationFile[]; otherSqlFiles: string[] }> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const sqlFiles = files.filter((file) => file.endsWith(".sql")).sort();
  const migrations: MigrationFile[] = [];
  const otherSqlFiles: string[] = [];
  for (const fileName of sqlFiles) {
    const migration = parseMigrationFileName(fileName);
    if (migration) migrations.push(migration);
    else otherSqlFiles.push(fileName);
  }
  return { migrations, otherSqlFiles };
}

/** A migration file's number and name; undefined for a name that is not `NNNN_name.sql`. */
export function parseMigrationFileName(fileName: string): MigrationFile | undefined {
  const match = migrationFileName.exec(fileName);
  return match ? { number: Number(match[1]), name: match[2], fileName } : undefined;
}

/** The next file name: one past the highest number in the folder (or the database's continue-from number). */
export function nextMigrationFileName(existing: readonly MigrationFile[], continueFrom: number, name: string): string {
  const highest = Math.max(continueFrom, ...existing.map((migration) => migration.number));
  return `${String(highest + 1).padStart(4, "0")}_${name}.sql`;
}

/** A user-given --name as a file-name part: lower case words joined by underscores. */
export function sanitizeMigrationName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 60) || "migration"
  );
}
