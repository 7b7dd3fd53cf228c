import { runGenerate } from "../commands/generate.js";
import { loadProjectPaths } from "../io/project-config.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";

export const baselineCommand = defineCommand({
  command: "baseline",
  describe: "adopt a database production already has: its first migration, numbered like production's last, holds the whole schema with IF NOT EXISTS",
  options: (yargs) =>
    yargs
      .option("database", { type: "string", demandOption: true, describe: "the database (name or folder) to adopt" })
      .option("number", { type: "number", demandOption: true, describe: "the last migration number production has applied, e.g. 84" })
      .option("name", { type: "string", default: "production_baseline", describe: "the migration's name" }),
  writes: () => true,
  run: async (args) => {
    if (!Number.isInteger(args.number) || args.number < 1 || args.number > 9999) throw new UsageError("--number takes a whole number from 1 to 9999");
    const report = await runGenerate(await loadProjectPaths(args.root), {
      allowDestructive: false,
      name: args.name,
      baselineNumber: args.number,
      only: args.database,
    });
    console.log(report.lines.join("\n"));
    return exitCodes.ok;
  },
});
