// The options of the commands that read what wrangler knows (status, audit, lint): where its config and local
// state are, and production's saved status.
import type { Argv } from "yargs";
import type { WranglerStateOptions } from "../wrangler/local-state.js";

export function withWranglerState<T>(yargs: Argv<T>) {
  return yargs
    .option("config", { type: "string", describe: "the wrangler config (default: wrangler.json, wrangler.jsonc or wrangler.toml in --root)" })
    .option("persist-to", {
      type: "string",
      describe: "wrangler's local state folder, as wrangler's --persist-to (default: .wrangler/state beside the config)",
    })
    .option("env", { type: "string", describe: "a wrangler environment: its d1_databases (and database ids) instead of the top level's, as wrangler's --env" });
}

/** The options withWranglerState parsed, as the commands take them. */
export function wranglerState(args: { config?: string; "persist-to"?: string; env?: string }): WranglerStateOptions {
  return { config: args.config, persistTo: args["persist-to"], env: args.env };
}

export function withRemoteStatus<T>(yargs: Argv<T>) {
  return yargs.option("remote-status", {
    type: "string",
    array: true,
    default: [] as string[],
    describe:
      'production\'s applied migrations, saved with `wrangler d1 execute <BINDING> --remote --json --command "SELECT name FROM d1_migrations"`: BINDING=FILE, or FILE holding {"BINDING": <that output>, ...}; repeatable',
  });
}
