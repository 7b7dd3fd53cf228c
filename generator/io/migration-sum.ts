// migrations.sum: a hash of every migration file and one of the whole folder, like Atlas's atlas.sum. wrangler
// records only file names, so without it an edited, removed or renamed migration goes unnoticed until production
// and the local database disagree. The file sits beside the migrations; wrangler reads only *.sql files.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

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

/** The sum file of a folder, or undefined when there is none; a malformed line is an error naming it. */
export async function readSum(file: string): Promise<MigrationSum | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const [folderHash = "", ...lines] = text.trimEnd().split("\n");
  const files = new Map<string, string>();
  for (const line of lines) {
    const [name, hash, extra] = line.split(" ");
    if (!name || !hash?.startsWith("h1:") || extra !== undefined) throw new Error(`${file}: malformed line "${line}"`);
    files.set(name, hash);
  }
  return { folderHash, files };
}
