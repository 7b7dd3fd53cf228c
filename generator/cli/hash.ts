import { runHash } from "../commands/hash.js";
import { loadProjectPaths } from "../io/project-config.js";
import { defineCommand, exitCodes } from "./command.js";

export const hashCommand = defineCommand({
  command: "hash",
  describe: "record the migration files as they are in each folder's migrations.sum (after a deliberate edit or a merge)",
  options: (yargs) => yargs.option("database", { type: "string", describe: "only this database (name or folder)" }),
  writes: () => true,
  run: async (args) => {
    console.log((await runHash(await loadProjectPaths(args.root), args.database)).join("\n"));
    return exitCodes.ok;
  },
});
