// The squash and types files of a database as they are on disk, read once a run: whether each is what generate
// would write now (its stamp), and whether it is what generate wrote from the snapshot on disk, with this same code.
// Such a file is the earlier rendering of that snapshot: the next rendering takes the unchanged tables' text from
// it (render/fresh.ts, types/render-types.ts) instead of laying out every table again.
import { readFile } from "node:fs/promises";
import { inputsHash, readStamp, type Stamp } from "../io/fingerprint.js";
import { derivedFiles, type ProjectPaths } from "../io/paths.js";
import type { DatabaseState } from "./database-state.js";

export interface DerivedFile {
  kind: "fresh" | "types";
  path: string;
  comment: "--" | "//";
  stamp?: Stamp;
  /** The content (without the stamp) when the file is exactly what generate rendered from the snapshot on disk. */
  renderedFromSnapshot?: string;
}

export async function readDerivedFiles(paths: ProjectPaths, folder: string, state: Pick<DatabaseState, "snapshotText">): Promise<DerivedFile[]> {
  return Promise.all(
    derivedFiles(paths, folder).map(async (file) => {
      const text = await readFile(file.path, "utf8").catch(() => undefined);
      const stamp = text === undefined ? undefined : readStamp(text);
      const fromSnapshot = stamp !== undefined && state.snapshotText !== undefined && stamp.inputs === (await inputsHash(file.kind, state.snapshotText));
      return { ...file, stamp, renderedFromSnapshot: fromSnapshot && stamp.intact() ? stamp.content : undefined };
    }),
  );
}

/** Whether `file` is what generate writes for `inputs`: its stamp says so and its content is intact. */
export function isCurrent(file: DerivedFile, inputs: string): boolean {
  if (file.stamp?.inputs !== inputs) return false;
  return file.renderedFromSnapshot !== undefined || file.stamp.intact();
}
