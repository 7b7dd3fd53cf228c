// The command line: parse arguments, run one command, print, exit 0 (ok), 1 (a finding) or 2 (bad input/usage).
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { runCheck } from "./commands/check.js";
import { runGenerate } from "./commands/generate.js";
import { runHash } from "./commands/hash.js";
import { projectPaths } from "./io/paths.js";
import { SchemaError, SchemaErrors } from "./model/errors.js";

export const exitCodes = { ok: 0, finding: 1, badInput: 2 } as const;

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  await yargs(argv)
    .scriptName("d1-schema")
    .usage("$0 <command> [options]\n\nSchema-as-code for Cloudflare D1: schema/*.ts in, D1-safe migrations and types out.")
    .option("root", { type: "string", default: ".", describe: "project root holding schema/, migrations/ and generated/" })
    .command(
      "generate",
      "diff schema/ against the last snapshot; write the next migration, the fresh squash, the snapshot and types",
      (command) =>
        command
          .option("allow-destructive", { type: "boolean", default: false, describe: "allow dropping tables or columns and narrowing types" })
          .option("name", { type: "string", describe: "the migration's name (default: derived from its changes)" })
          .option("database", { type: "string", describe: "only this database (name or folder)" }),
      async (args) => {
        const report = await runGenerate(projectPaths(args.root), { allowDestructive: args.allowDestructive, name: args.name, only: args.database });
        console.log(report.lines.join("\n"));
      },
    )
    .command(
      "baseline",
      "adopt a database production already has: its first migration, numbered like production's last, holds the whole schema with IF NOT EXISTS",
      (command) =>
        command
          .option("database", { type: "string", demandOption: true, describe: "the database (name or folder) to adopt" })
          .option("number", { type: "number", demandOption: true, describe: "the last migration number production has applied, e.g. 84" })
          .option("name", { type: "string", default: "production_baseline", describe: "the migration's name" }),
      async (args) => {
        if (!Number.isInteger(args.number) || args.number < 1 || args.number > 9999) throw new UsageError("--number takes a whole number from 1 to 9999");
        const report = await runGenerate(projectPaths(args.root), { allowDestructive: false, name: args.name, baselineNumber: args.number, only: args.database });
        console.log(report.lines.join("\n"));
      },
    )
    .command(
      "hash",
      "record the migration files as they are in each folder's migrations.sum (after a deliberate edit or a merge)",
      (command) => command.option("database", { type: "string", describe: "only this database (name or folder)" }),
      async (args) => {
        console.log((await runHash(projectPaths(args.root), args.database)).join("\n"));
      },
    )
    .command(
      "check",
      "fail (exit 1) when snapshots, migrations, squashes or types disagree with schema/",
      (command) => command,
      async (args) => {
        const { findings } = await runCheck(projectPaths(args.root));
        if (findings.length === 0) {
          console.log("check passed: migrations, snapshots, squashes and types match schema/");
        } else {
          console.error(`check failed:\n${findings.map((finding) => `  - ${finding}`).join("\n")}`);
          exitCode = exitCodes.finding;
        }
      },
    )
    .demandCommand(1, "name a command: generate, baseline, hash or check")
    .strict()
    .help()
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .parseAsync();
  return exitCode;
}

class UsageError extends Error {}

function report(error: unknown): number {
  if (error instanceof SchemaErrors || error instanceof SchemaError) {
    console.error(`error: ${error.message}\nNothing was written.`);
    return exitCodes.badInput;
  }
  if (error instanceof UsageError) {
    console.error(`${error.message}\nRun with --help for usage.`);
    return exitCodes.badInput;
  }
  console.error(error);
  return exitCodes.badInput;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(report(error)),
);
