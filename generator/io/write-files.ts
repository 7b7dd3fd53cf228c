// All-or-nothing writes: every file is first written next to its target under a temporary name, and only when
// all of them are written are they renamed into place. A failure leaves the previous files untouched.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface FileWrite {
  path: string;
  content: string;
}

export async function writeFilesAtomically(files: readonly FileWrite[]): Promise<void> {
  const temporary = files.map((file) => ({ ...file, temp: path.join(path.dirname(file.path), `.${path.basename(file.path)}.${process.pid}.tmp`) }));
  try {
    for (const file of temporary) {
      await mkdir(path.dirname(file.path), { recursive: true });
      await writeFile(file.temp, file.content);
    }
  } catch (error) {
    await Promise.all(temporary.map((file) => rm(file.temp, { force: true })));
    throw error;
  }
  for (const file of temporary) await rename(file.temp, file.path);
}
