import { runCheck } from "../commands/check.js";
import { projectPaths } from "../io/paths.js";
import { defineCommand, exitCodes } from "./command.js";

export const checkCommand = defineCommand({
  command: "check",
  describe: "fail (exit 1) when snapshots, migrations, squashes or types disagree with schema/",
  options: (yargs) => yargs.option("json", { type: "boolean", default: false, describe: "print the findings as JSON" }),
  run: async (args) => {
    const { findings } = await runCheck(projectPaths(args.root));
    if (args.json) console.log(JSON.stringify({ ok: findings.length === 0, findings }, null, 2));
    else if (findings.length === 0) console.log("check passed: migrations, snapshots, squashes and types match schema/");
    else console.error(`check failed:\n${findings.map((finding) => `  - ${finding}`).join("\n")}`);
    return findings.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});
