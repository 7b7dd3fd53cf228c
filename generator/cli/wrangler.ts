import { runWranglerConfig } from "../commands/wrangler-config.js";
import { loadProjectPaths } from "../io/project-config.js";
import { wranglerConfigPath } from "../wrangler/config.js";
import { defineCommand, exitCodes, findingList } from "./command.js";

export const wranglerConfigCommand = defineCommand({
  command: "wrangler-config",
  describe:
    "check (or --write) the d1_databases entries of the wrangler config (toml, json or jsonc): one per binding, migrations_dir at its database's folder",
  options: (yargs) =>
    yargs
      .option("write", { type: "boolean", default: false, describe: "add the missing blocks and fix migrations_dir; the rest of the file is kept" })
      .option("config", {
        type: "string",
        describe:
          "the wrangler config (default: wrangler.json, wrangler.jsonc or wrangler.toml in the project root, as wrangler picks it; wrangler.toml when there is none)",
      })
      .option("json", { type: "boolean", default: false, describe: "print the findings as JSON" }),
  writes: (args) => args.write,
  run: async (args) => {
    const paths = await loadProjectPaths(args.root);
    const report = await runWranglerConfig(paths, { configPath: wranglerConfigPath(paths, args.config), write: args.write });
    if (args.json) console.log(JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2));
    else if (report.findings.length > 0) {
      console.error(`wrangler-config: check failed:\n${findingList(report.findings)}`);
    } else console.log(report.lines.join("\n"));
    return report.findings.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});
