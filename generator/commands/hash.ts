// `hash`: record the migration files as they are in migrations.sum, after a deliberate change (adopting a folder
// of hand-written migrations, resolving a merge). `check` trusts the sum from then on. The snapshot is not the
// sum's to vouch for: one that no longer describes the folder (it was written for another one, or there is none
// beside migrations) is named with the command that rebuilds it, and generate refuses it until then. hash does not
// rebuild it itself: hash records files, while a rebuild replays the folder and merges schema/'s metadata into what
// it builds, which deserves its own run and its own review (`d1-schema snapshot` prints what it changed).
import { computeSum, renderSum } from "../project/migration-sum.js";
import { displayPath, snapshotPath, sumPath, type ProjectPaths } from "../io/paths.js";
import { writeFilesAtomically } from "../io/write-files.js";
import { selectDatabases } from "../project/select-databases.js";
import { loadModels } from "../project/load-models.js";
import { readMigrationFiles } from "../project/database-state.js";
import { readSnapshot } from "../project/snapshot-file.js";
import { describeStanding, isStale, snapshotStanding } from "../project/snapshot-proof.js";

export async function runHash(paths: ProjectPaths, only: string | undefined): Promise<string[]> {
  const models = selectDatabases(await loadModels(paths.schemaDir), only);
  const writes = [];
  const stale: string[] = [];
  for (const model of models) {
    // Not the sum: it is what hash replaces, and one with a malformed line is a reason to run hash.
    const { migrations } = await readMigrationFiles(paths, model.folder);
    if (migrations.length === 0) continue;
    writes.push({ path: sumPath(paths, model.folder), content: renderSum(computeSum(migrations)) });
    const standing = snapshotStanding(await readSnapshot(snapshotPath(paths, model.folder), model.name), migrations);
    if (isStale(standing)) {
      const { problem, fix } = describeStanding(model, standing);
      stale.push(`${model.name}: ${problem}\n  fix: ${fix}`);
    }
  }
  await writeFilesAtomically(paths.root, writes);
  return [...writes.map((write) => `wrote ${displayPath(paths, write.path)}`), ...stale];
}
