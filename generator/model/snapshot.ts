// The snapshot: the model as of the last generated migration, one JSON file per database, rewritten in place.
// The next `generate` diffs the schema against it. Canonical JSON keeps it byte-stable and diff-friendly.
//
// Version 2 also records the digest of the migrations folder it describes (migrations.sum's folder hash, which
// covers every file's name and content in order). A snapshot is only as good as its agreement with the folder:
// one left behind by an interrupted run, a merge or a hand edit makes the next rebuild copy only the columns it
// knows. The digest lets `generate` and `check` tell such a snapshot from a current one without SQLite; version 1
// (no digest) is still read, and proved against a replay of the folder instead (project/snapshot-proof.ts).
//
// This file is the format; project/snapshot-file.ts reads it from disk.
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./canonical-json.js";
import { SchemaError } from "./errors.js";
import { database as databaseSchema, type Database } from "./model.js";

const snapshotSchema = z.discriminatedUnion("version", [
  z.object({
    version: z.literal(1),
    /** The migration file this snapshot is the result of. */
    lastMigration: z.string().optional(),
    database: databaseSchema,
  }),
  z.object({
    version: z.literal(2),
    lastMigration: z.string().optional(),
    /** computeSum(folder).folderHash of the migrations folder this snapshot describes (project/migration-sum.ts). */
    folderHash: z.string(),
    /**
     * snapshotDatabaseHash(database) when it was written: a snapshot whose content still has it is what a proven
     * generate wrote, so a new migration can be proved on the tables it touches (pipeline/touched-proof.ts).
     */
    databaseHash: z.string().optional(),
    database: databaseSchema,
  }),
]);
export type Snapshot = z.infer<typeof snapshotSchema>;

/** The version every snapshot is written in. */
export type CurrentSnapshot = Extract<Snapshot, { version: 2 }>;

export function parseSnapshot(text: string, databaseName: string, file = "snapshot.json"): Snapshot {
  const parsed = snapshotSchema.safeParse(safeJsonParse(text));
  if (!parsed.success) {
    throw new SchemaError(
      { database: databaseName },
      `has an unreadable snapshot ${file}: ${parsed.error.issues[0]?.message ?? "not JSON"}`,
      `restore it from git (git checkout -- <file>), or rebuild it from the migrations folder: npx d1-schema snapshot --database ${databaseName}`,
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

/** The digest of a snapshot's database as written: a hand edit or a merge that changes it no longer matches. */
export function snapshotDatabaseHash(database: Database): string {
  return `h1:${createHash("sha256").update(canonicalJson(database)).digest("base64url")}`;
}
