import path from "node:path";
import { defaultWranglerConfig, runWranglerConfig } from "../commands/wrangler-config.js";
import { projectPaths, type ProjectPaths } from "../io/paths.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";

/** --config, resolved like any path argument (from the working directory); default: the root's wrangler.toml. */
export function wranglerConfigPath(paths: ProjectPaths, config: string | undefined): string {
  if (config === undefined) return defaultWranglerConfig(paths);
  if (/\.jsonc?$/.test(config)) throw new UsageError("--config: only wrangler.toml is supported, not wrangler.json or wrangler.jsonc");
  return path.resolve(config);
}

export const wranglerConfigCommand = defineCommand({
  command: "wrangler-config",
  describe: "check (or --write) the [[d1_databases]] blocks of wrangler.toml: one per binding, migrations_dir at its database's folder",
  options: (yargs) =>
    yargs
      .option("write", { type: "boolean", default: false, describe: "add the missing blocks and fix migrations_dir; the rest of the file is kept" })
      .option("config", { type: "string", describe: "the wrangler.toml (default: wrangler.toml in the project root)" })
      .option("json", { type: "boolean", default: false, describe: "print the findings as JSON" }),
  writes: (args) => args.write,
  run: async (args) => {
    const paths = projectPaths(args.root);
    const report = await runWranglerConfig(paths, { configPath: wranglerConfigPath(paths, args.config), write: args.write });
    if (args.json) console.log(JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2));
    else if (report.findings.length > 0) {
      console.error(`wrangler-config: check failed:\n${report.findings.map((finding) => `  - ${finding}`).join("\n")}`);
    } else console.log(report.lines.join("\n"));
    return report.findings.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});
