import path from "node:path";
import { runGenerate } from "../commands/generate.js";
import { runInit } from "../commands/init.js";
import { runPull } from "../commands/pull.js";
import { runWranglerConfig } from "../commands/wrangler-config.js";
import { defineCommand, exitCodes } from "./command.js";

export const initCommand = defineCommand({
  command: "init",
  describe:
    "set up a Worker project from its wrangler config: a schema folder per D1 binding (pulled from its migrations or local database, or empty), d1-schema.config.ts, migrations_dir",
  options: (yargs) =>
    yargs
      .option("config", { type: "string", describe: "the wrangler config to read (default: wrangler.json, wrangler.jsonc or wrangler.toml in the root)" })
      .option("persist-to", { type: "string", describe: "wrangler's local state folder, as given to wrangler (default .wrangler/state)" })
      .option("force", { type: "boolean", default: false, describe: "replace an existing d1-schema.config.ts and schema folders" }),
  writes: () => true,
  run: async (args) => {
    const options = { config: args.config, persistTo: args["persist-to"], force: args.force };
    const report = await runInit(path.resolve(args.root), options, { pull: runPull, wranglerConfig: runWranglerConfig, generate: runGenerate });
    console.log(
      [
        ...report.lines,
        "",
        "Wrote:",
        ...report.written.map((file) => `  ${file}`),
        "",
        "Next: add tables under schema/, run `npx d1-schema generate`, then `npx wrangler d1 migrations apply <BINDING> --local`.",
      ].join("\n"),
    );
    return exitCodes.ok;
  },
});
