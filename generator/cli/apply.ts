import path from "node:path";
import { describeApply, runApply } from "../commands/apply.js";
import { loadProjectPaths } from "../io/project-config.js";
import { wranglerConfigPath } from "../wrangler/config.js";
import { localWranglerRunner } from "../wrangler/run-wrangler.js";
import { defineCommand, exitCodes, findingList, UsageError } from "./command.js";

export const applyCommand = defineCommand({
  command: "apply",
  describe: "run check, then `wrangler d1 migrations apply` for every binding (each shard), stopping at the first failure",
  options: (yargs) =>
    yargs
      .option("local", { type: "boolean", default: false, describe: "apply to wrangler's local databases (creates the ones that do not exist yet)" })
      .option("remote", { type: "boolean", default: false, describe: "apply to the D1 databases on Cloudflare" })
      .option("database", { type: "string", describe: "only this database (name or folder) or this one binding (e.g. SHARD_2)" })
      .option("persist-to", { type: "string", describe: "wrangler's --persist-to: where the local databases live (with --local)" })
      .option("config", {
        type: "string",
        describe: "the wrangler config to use (default: wrangler.json, wrangler.jsonc or wrangler.toml in the project root, as wrangler picks it)",
      })
      .option("json", { type: "boolean", default: false, describe: "print the outcome as JSON" }),
  run: async (args) => {
    if (args.local === args.remote) throw new UsageError("name where to apply: --local or --remote");
    if (args.remote && args["persist-to"] !== undefined) throw new UsageError("--persist-to is for --local only");
    const paths = await loadProjectPaths(args.root);
    const configPath = wranglerConfigPath(paths, args.config);
    const report = await runApply(paths, {
      target: args.local ? "local" : "remote",
      only: args.database,
      persistTo: args["persist-to"],
      configPath,
      runner: localWranglerRunner(args.root),
    });
    const failed = report.blocked !== undefined || report.outcomes.some((outcome) => outcome.failure);
    if (args.json) {
      console.log(JSON.stringify({ ok: !failed, ...report }, null, 2));
      return failed ? exitCodes.finding : exitCodes.ok;
    }
    if (report.blocked) {
      const why = report.blocked.by === "check" ? "check failed" : `${path.basename(configPath)} is not ready`;
      console.error(`apply: ${why}; nothing was applied:\n${findingList(report.blocked.findings)}`);
      return exitCodes.finding;
    }
    const lines = describeApply(report);
    (failed ? console.error : console.log)(lines.join("\n"));
    return failed ? exitCodes.finding : exitCodes.ok;
  },
});
