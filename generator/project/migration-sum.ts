// migrations.sum: a hash of every migration file and one of the whole folder, like Atlas's atlas.sum. wrangler
// records only file names, so without it an edited, removed or renamed migration goes unnoticed until production
// and the local database disagree. The file sits beside the migrations; wrangler reads only *.sql files.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SchemaError } from "../model/errors.js";
import { startsAsCustomMigration } from "./custom-migration-file.js";

export const sumFileName = "migrations.sum";

export interface MigrationSum {
  folderHash: string;
  files: Map<string, string>;
  /**
   * The files marked custom (`name hash custom`): written by `generate --custom` for hand-written SQL, editable while
   * no migration follows them (custom-migration-file.ts). The mark is not part of the folder hash: the file's first
   * line, which its content hash covers, carries it too.
   */
  custom: Set<string>;
}

export function hashContent(content: string): string {
  return `h1:${createHash("sha256").update(content).digest("base64")}`;
}

/** The sum of migration files given in application order; a file whose first line is the custom mark is marked custom. */
export function computeSum(files: readonly { fileName: string; sql: string }[]): MigrationSum {
  const entries = files.map((file) => [file.fileName, hashContent(file.sql)] as const);
  return {
    folderHash: folderHashOf(entries),
    files: new Map(entries),
    custom: new Set(files.filter((file) => startsAsCustomMigration(file.sql)).map((file) => file.fileName)),
  };
}

/** The hash of a whole folder from its files' names and hashes, in application order. */
export function folderHashOf(entries: readonly (readonly [string, string])[]): string {
  return hashContent(entries.map(([name, hash]) => `${name} ${hash}\n`).join(""));
}

export function renderSum(sum: MigrationSum): string {
  return [sum.folderHash, ...[...sum.files].map(([name, hash]) => `${name} ${hash}${sum.custom.has(name) ? ` ${customMark}` : ""}`)].join("\n") + "\n";
}

/** The word after a custom migration's hash in the sum. */
const customMark = "custom";

/**
 * The sum file of a folder, or undefined when there is none. A malformed line (a merge conflict marker, a hand
 * edit) is a SchemaError naming the database, the file and the line: what the sum should say cannot be guessed.
 */
export async function readSum(file: string, database?: string, shownAs = file): Promise<MigrationSum | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const [folderHash = "", ...lines] = text.trimEnd().split("\n");
  const malformed = (number: number, line: string) =>
    new SchemaError(
      { database },
      `${shownAs} line ${number} is malformed: ${JSON.stringify(line)}`,
      `look at \`git diff -- ${path.dirname(shownAs)}\` (a merge can leave conflict markers; a migration may have changed with it), then \`npx d1-schema hash${database ? ` --database ${database}` : ""}\` records the folder as it is`,
    );
  if (!folderHash.startsWith("h1:") || folderHash.includes(" ")) throw malformed(1, folderHash);
  const files = new Map<string, string>();
  const custom = new Set<string>();
  for (const [index, line] of lines.entries()) {
    const [name, hash, mark, extra] = line.split(" ");
    if (!name || !hash?.startsWith("h1:") || (mark !== undefined && mark !== customMark) || extra !== undefined) throw malformed(index + 2, line);
    files.set(name, hash);
    if (mark === customMark) custom.add(name);
  }
  return { folderHash, files, custom };
}
