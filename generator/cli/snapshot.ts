import { runRebuildSnapshot } from "../commands/rebuild-snapshot.js";
import { loadProjectPaths } from "../io/project-config.js";
import { endProgress, progressLine, useProgress } from "../io/progress.js";
import { defineCommand, exitCodes } from "./command.js";

export const snapshotCommand = defineCommand({
  command: "snapshot",
  describe: "rebuild each snapshot.json from what its migrations folder builds (after an interrupted run, a merge or a hand edit)",
  options: (yargs) => yargs.option("database", { type: "string", describe: "only this database (name or folder)" }),
  writes: () => true,
  run: async (args) => {
    useProgress(progressLine(process.stderr));
    const lines = await runRebuildSnapshot(await loadProjectPaths(args.root), args.database).finally(endProgress);
    console.log(lines.join("\n"));
    return exitCodes.ok;
  },
});
