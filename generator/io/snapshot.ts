// The snapshot: the model as of the last generated migration, one JSON file per database, rewritten in place.
// The next `generate` diffs the schema against it. Canonical JSON keeps it byte-stable and diff-friendly.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { canonicalJson } from "../model/canonical-json.js";
import { SchemaError } from "../model/errors.js";
import { database as databaseSchema, type Database } from "../model/model.js";

const snapshotSchema = z.object({
  version: z.literal(1),
  /** The migration file this snapshot is the result of. */
  lastMigration: z.string().optional(),
  database: databaseSchema,
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export async function readSnapshot(file: string, databaseName: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  const parsed = snapshotSchema.safeParse(safeJsonParse(text));
  if (!parsed.success) {
    throw new SchemaError(
      { database: databaseName },
      `has an unreadable snapshot ${file}: ${parsed.error.issues[0]?.message ?? "not JSON"}`,
      "restore it from git (git checkout -- <file>); it is written only by generate",
    );
  }
  return parsed.data;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function renderSnapshot(snapshot: Snapshot): string {
  return `${canonicalJson(snapshot, 2)}\n`;
}

/** The model a database has before its first migration. */
export function emptyDatabase(like: Database): Database {
  return { ...like, tables: [] };
}
