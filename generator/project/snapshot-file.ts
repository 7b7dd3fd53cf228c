// A database's snapshot.json on disk (the format is model/snapshot.ts).
import { readFile } from "node:fs/promises";
import { parseSnapshot, type Snapshot } from "../model/snapshot.js";

/** The snapshot in `file`; undefined when there is none, a SchemaError when it cannot be read as one. */
export async function readSnapshot(file: string, databaseName: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  return parseSnapshot(text, databaseName, file);
}
