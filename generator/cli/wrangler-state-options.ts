// The options of the commands that read what wrangler knows (status, audit, lint): where its config and local
// state are, and production's saved status.
import type { Argv } from "yargs";

export function withWranglerState<T>(yargs: Argv<T>) {
  return yargs
    .option("config", { type: "string", describe: "the wrangler config (default: wrangler.json, wrangler.jsonc or wrangler.toml in --root)" })
    .option("persist-to", {
      type: "string",
      describe: "wrangler's local state folder, as wrangler's --persist-to (default: .wrangler/state beside the config)",
    });
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
