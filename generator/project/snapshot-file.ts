// A database's snapshot.json on disk (the format is model/snapshot.ts).
import { readFile } from "node:fs/promises";
import { parseSnapshot, type Snapshot } from "../model/snapshot.js";

/** The snapshot in `file`; undefined when there is none, a SchemaError when it cannot be read as one. */
export async function readSnapshot(file: string, databaseName: string): Promise<Snapshot | undefined> {
  return (await readSnapshotFile(file, databaseName))?.snapshot;
}

/** readSnapshot, with the file's text (what the derived files' stamps were computed from). */
export async function readSnapshotFile(file: string, databaseName: string): Promise<{ snapshot: Snapshot; text: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  return { snapshot: parseSnapshot(text, databaseName, file), text };
}
