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
import { unchangedTables } from "./unchanged-tables.js";

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
  const asWritten = writtenAsIs(text);
  if (asWritten) return asWritten;
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

/**
 * Snapshots read from text whose database is byte for byte what generate wrote (their digest says so), with that
 * text: the next snapshot reuses the text of every table that did not change.
 */
const vouched = new WeakMap<Snapshot, string>();

/**
 * The snapshot in `text` when its database is exactly as a generate wrote it: its recorded h2 digest is the digest of
 * the database's text in the file, and the few fields around it have their written form. Such a file needs neither
 * a schema check nor a second serialization to be trusted (at 1,000 tables both cost a tenth of a second each).
 */
function writtenAsIs(text: string): Snapshot | undefined {
  const hash = /,\n {2}"databaseHash": "(h2:[\w-]{43})",\n/.exec(text);
  if (!hash || !text.startsWith(databaseOpening)) return undefined;
  const region = text.slice(databaseOpening.length, hash.index);
  if (digestOfRegion(region) !== hash[1]) return undefined;
  const snapshot = safeJsonParse(text) as Record<string, unknown> | undefined;
  const { version, folderHash, lastMigration, ...rest } = snapshot ?? {};
  const fields = Object.keys(rest).sort().join(",");
  if (
    version !== 2 ||
    typeof folderHash !== "string" ||
    (lastMigration !== undefined && typeof lastMigration !== "string") ||
    fields !== "database,databaseHash"
  ) {
    return undefined;
  }
  vouched.set(snapshot as Snapshot, text);
  return snapshot as Snapshot;
}

/**
 * Whether the snapshot's recorded digest is its database's: it is what a proven generate (or `snapshot`) wrote,
 * untouched since. h1 digests (written before 2026-12) hash the compact canonical JSON of the model.
 */
export function snapshotVouches(snapshot: Snapshot | undefined): boolean {
  if (snapshot?.version !== 2 || snapshot.databaseHash === undefined) return false;
  if (vouched.has(snapshot)) return true;
  if (snapshot.databaseHash.startsWith("h1:")) return snapshot.databaseHash === snapshotDatabaseHash(snapshot.database);
  return snapshot.databaseHash === digestOfRegion(databaseRegion(snapshot.database));
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The file's text: canonical JSON, two spaces. */
export function renderSnapshot(snapshot: Snapshot): string {
  return frame(snapshot, databaseRegion(snapshot.database));
}

/** A version-2 snapshot with its databaseHash: the h2 digest of its database as the file will hold it. */
export function currentSnapshot(snapshot: Omit<CurrentSnapshot, "databaseHash">): CurrentSnapshot {
  return { ...snapshot, databaseHash: digestOfRegion(databaseRegion(snapshot.database)) };
}

/**
 * currentSnapshot's text, serializing the database once. `previous`, the snapshot read from the file this one
 * replaces: the text of each table it has unchanged is taken from that file instead of serialized again.
 */
export function renderCurrentSnapshot(snapshot: Omit<CurrentSnapshot, "databaseHash">, previous?: Snapshot): string {
  const region = databaseRegion(snapshot.database, previous);
  return frame({ ...snapshot, databaseHash: digestOfRegion(region) }, region);
}

/** Where the database starts in every snapshot file: it is the first key of the canonical JSON. */
const databaseOpening = '{\n  "database": ';
const databasePlaceholder = "\u0000database";

/** The database's text as it stands in the file: canonical JSON, indented one level. */
function databaseRegion(database: Database, previous?: Snapshot): string {
  const earlier = previous && database.tables.length > 0 ? tableTexts(previous) : undefined;
  if (!earlier) return canonicalJson(database, 2).replaceAll("\n", "\n  ");
  const unchanged = unchangedTables(previous!.database, database);
  const tables = database.tables.map(
    (table) => (unchanged.has(table.name) ? earlier.get(table.name) : undefined) ?? canonicalJson(table, 2).replaceAll("\n", tableIndent),
  );
  const shell = canonicalJson({ ...database, tables: [tablesPlaceholder] }, 2).replaceAll("\n", "\n  ");
  return shell.replace(JSON.stringify(tablesPlaceholder), () => tables.join(`,${tableIndent}`));
}

/** A table's lines in the file: the tables array is the database's, which is the file's first key. */
const tableIndent = "\n      ";
const tablesPlaceholder = "\u0000tables";
const nameKey = '\n        "name": ';

/**
 * Each table's text in a vouched snapshot's file, by name. The file is canonical JSON (its digest says so), where a
 * string never holds a line break: a line of six spaces and `{` or `}` can only open or close an item of the
 * database's tables array, and its `"name"` is the one line of eight spaces with that key. Undefined for a snapshot
 * that was not read from a vouched file, or (never, for such a file) one whose text is not laid out this way.
 */
function tableTexts(snapshot: Snapshot): ReadonlyMap<string, string> | undefined {
  const text = vouched.get(snapshot);
  if (text === undefined) return undefined;
  const opening = '\n    "tables": [';
  let position = text.indexOf(opening);
  if (position < 0) return undefined;
  position += opening.length;
  const texts = new Map<string, string>();
  while (text.startsWith(`${tableIndent}{`, position)) {
    const end = text.indexOf(`${tableIndent}}`, position);
    if (end < 0) return undefined;
    const table = text.slice(position + tableIndent.length, end + tableIndent.length + 1);
    const nameAt = table.indexOf(nameKey);
    if (nameAt < 0) return undefined;
    const nameEnd = table.indexOf("\n", nameAt + nameKey.length);
    texts.set(JSON.parse(table.slice(nameAt + nameKey.length, nameEnd).replace(/,$/, "")) as string, table);
    position = end + tableIndent.length + 1;
    if (text[position] === ",") position++;
  }
  const names = snapshot.database.tables.map((table) => table.name);
  if (texts.size !== names.length || names.some((name) => !texts.has(name))) return undefined;
  return texts;
}

/** canonicalJson(snapshot, 2) with the database's text (already serialized) put in its place. */
function frame(snapshot: Snapshot, region: string): string {
  return `${canonicalJson({ ...snapshot, database: databasePlaceholder }, 2).replace(JSON.stringify(databasePlaceholder), () => region)}\n`;
}

function digestOfRegion(region: string): string {
  return `h2:${createHash("sha256").update(region).digest("base64url")}`;
}

/** The model a database has before its first migration. */
export function emptyDatabase(like: Database): Database {
  const { name, folder, bindings, continueFrom, ifNotExists } = like;
  return { name, folder, bindings, continueFrom, ifNotExists, tables: [] };
}

/** The h1 digest of a snapshot's database (the compact canonical JSON of the model), read in older snapshots. */
function snapshotDatabaseHash(database: Database): string {
  return `h1:${createHash("sha256").update(canonicalJson(database)).digest("base64url")}`;
}
