// A wrangler migrations folder: `NNNN_descriptive_name.sql` files applied in name order. Gaps are allowed.
//
// The one numbering rule. wrangler reads a file's number as the integer before its first underscore (its
// getNextMigrationNumber and the order `migrations apply` lists pending files in: `parseInt(name.split("_")[0])`),
// whatever the rest of the name; that is the number `status` reasons about for any *.sql file it finds, and the one
// names recorded in d1_migrations carry. d1-schema itself writes and reads only `NNNN_lower_case_name.sql`.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const migrationFileName = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The highest number a d1-schema file name carries (four digits). */
export const highestMigrationNumber = 9999;

export interface MigrationFile {
  number: number;
  name: string;
  fileName: string;
}

/** A migration file as the folder holds it: its name and its SQL. */
export interface ExistingMigration extends MigrationFile {
  sql: string;
}

/** The migration files of a folder and the other *.sql files wrangler would apply with them. */
export interface MigrationFolder<Migration extends MigrationFile = MigrationFile> {
  migrations: Migration[];
  /** *.sql files that do not follow NNNN_name.sql; wrangler would still apply them. */
  otherSqlFiles: string[];
  /** Every *.sql file, in the order wrangler applies them (name order). */
  sqlFiles: string[];
}

/** The number wrangler gives a file name (the integer before its first underscore); undefined when it has none. */
export function migrationNumber(fileName: string): number | undefined {
  const number = Number.parseInt(fileName.split("_")[0], 10);
  return Number.isNaN(number) ? undefined : number;
}

/** A migration file's number and name; undefined for a name that is not `NNNN_name.sql` (lower case). */
export function parseMigrationFileName(fileName: string): MigrationFile | undefined {
  const match = migrationFileName.exec(fileName);
  return match ? { number: migrationNumber(fileName)!, name: match[2], fileName } : undefined;
}

/** A number as files carry it: four digits, `0007`. */
export function formatMigrationNumber(number: number): string {
  return String(number).padStart(4, "0");
}

/** The next file name: one past the highest number in the folder (or the database's continue-from number). */
export function nextMigrationFileName(existing: readonly MigrationFile[], continueFrom: number, name: string): string {
  const highest = Math.max(continueFrom, ...existing.map((migration) => migration.number));
  return `${formatMigrationNumber(highest + 1)}_${name}.sql`;
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

/**
 * Files that share a number, in the order their numbers first appear (two branches that each added a migration).
 * wrangler applies both, in name order. Names without a number count as sharing one, as `status` always read them.
 */
export function filesSharingANumber(fileNames: readonly string[]): { number: number | undefined; fileNames: string[] }[] {
  const byNumber = new Map<number | undefined, string[]>();
  for (const fileName of fileNames) {
    const number = migrationNumber(fileName);
    byNumber.set(number, [...(byNumber.get(number) ?? []), fileName]);
  }
  return [...byNumber].filter(([, names]) => names.length > 1).map(([number, names]) => ({ number, fileNames: names }));
}

/** The file names of a folder, in the order wrangler applies them; a missing folder has none. */
export async function listMigrationFolder(dir: string): Promise<MigrationFolder> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const sqlFiles = files.filter((file) => file.endsWith(".sql")).sort();
  const migrations: MigrationFile[] = [];
  const otherSqlFiles: string[] = [];
  for (const fileName of sqlFiles) {
    const migration = parseMigrationFileName(fileName);
    if (migration) migrations.push(migration);
    else otherSqlFiles.push(fileName);
  }
  return { migrations, otherSqlFiles, sqlFiles };
}

/** The folder's migration files with their SQL (the other *.sql files by name only). */
export async function readMigrationFolder(dir: string): Promise<MigrationFolder<ExistingMigration>> {
  const listed = await listMigrationFolder(dir);
  const migrations = await Promise.all(
    listed.migrations.map(async (migration) => ({ ...migration, sql: await readFile(path.join(dir, migration.fileName), "utf8") })),
  );
  return { ...listed, migrations };
}

/** Every *.sql file of the folder with its SQL, in name order, as wrangler reads the folder. */
export async function readSqlFiles(dir: string): Promise<Map<string, string>> {
  const { sqlFiles } = await listMigrationFolder(dir);
  return new Map(await Promise.all(sqlFiles.map(async (file) => [file, await readFile(path.join(dir, file), "utf8")] as const)));
}
