import { runCheck } from "../commands/check.js";
import { loadProjectPaths } from "../io/project-config.js";
import { endProgress, progressLine, useProgress } from "../io/progress.js";
import { recordSuccessfulRun } from "./run-cache/run-cache.js";
import { defineCommand, exitCodes, findingList } from "./command.js";

export const checkCommand = defineCommand({
  command: "check",
  describe: "fail (exit 1) when snapshots, migrations, squashes or types disagree with schema/",
  options: (yargs) => yargs.option("json", { type: "boolean", default: false, describe: "print the findings as JSON" }),
  run: async (args) => {
    useProgress(progressLine(process.stderr));
    const { findings } = await runCheck(await loadProjectPaths(args.root)).finally(endProgress);
    if (findings.length > 0 && !args.json) {
      console.error(`check failed:\n${findingList(findings)}`);
      return exitCodes.finding;
    }
    const output = args.json
      ? JSON.stringify({ ok: findings.length === 0, findings }, null, 2)
      : "check passed: migrations, snapshots, squashes and types match schema/";
    console.log(output);
    if (findings.length > 0) return exitCodes.finding;
    await recordSuccessfulRun(`${output}\n`);
    return exitCodes.ok;
  },
});
