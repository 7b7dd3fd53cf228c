// migrations.sum: a hash of every migration file and one of the whole folder, like Atlas's atlas.sum. wrangler
// records only file names, so without it an edited, removed or renamed migration goes unnoticed until production
// and the local database disagree. The file sits beside the migrations; wrangler reads only *.sql files.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SchemaError } from "../model/errors.js";

export const sumFileName = "migrations.sum";

export interface MigrationSum {
  folderHash: string;
  files: Map<string, string>;
}

export function hashContent(content: string): string {
  return `h1:${createHash("sha256").update(content).digest("base64")}`;
}

/** The sum of migration files given in application order. */
export function computeSum(files: readonly { fileName: string; sql: string }[]): MigrationSum {
  const entries = files.map((file) => [file.fileName, hashContent(file.sql)] as const);
  return { folderHash: hashContent(entries.map(([name, hash]) => `${name} ${hash}\n`).join("")), files: new Map(entries) };
}

export function renderSum(sum: MigrationSum): string {
  return [sum.folderHash, ...[...sum.files].map(([name, hash]) => `${name} ${hash}`)].join("\n") + "\n";
}

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
  for (const [index, line] of lines.entries()) {
    const [name, hash, extra] = line.split(" ");
    if (!name || !hash?.startsWith("h1:") || extra !== undefined) throw malformed(index + 2, line);
    files.set(name, hash);
  }
  return { folderHash, files };
}
