// `hash`: record the migration files as they are in migrations.sum, after a deliberate change (adopting a folder
// of hand-written migrations, resolving a merge). `check` trusts the sum from then on.
import { computeSum, renderSum } from "../io/migration-sum.js";
import { displayPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { writeFilesAtomically } from "../io/write-files.js";
import { selectDatabases } from "./generate.js";
import { loadModels } from "./load-models.js";
import { readDatabaseState } from "./read-database-state.js";

export async function runHash(paths: ProjectPaths, only: string | undefined): Promise<string[]> {
  const models = selectDatabases(await loadModels(paths.schemaDir), only);
  const writes = [];
  for (const model of models) {
    const state = await readDatabaseState(paths, model);
    if (state.migrations.length === 0) continue;
    writes.push({ path: sumPath(paths, model.folder), content: renderSum(computeSum(state.migrations)) });
  }
  await writeFilesAtomically(writes);
  return writes.map((write) => `wrote ${displayPath(paths, write.path)}`);
}
