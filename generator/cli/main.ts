// The command line: parse arguments, run one command, exit 0 (ok), 1 (a finding) or 2 (bad input or usage).
// Each command is defined in a file of its own here (cli/) and does its work in commands/.
import { pathToFileURL } from "node:url";
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { applyCommand } from "./apply.js";
import { auditCommand } from "./audit.js";
import { lintCommand } from "./lint.js";
import { baselineCommand } from "./baseline.js";
import { checkCommand } from "./check.js";
import { driftCommand } from "./drift.js";
import { exitCodes, UsageError, type CliCommand, type GlobalArgs } from "./command.js";
import { generateCommand } from "./generate.js";
import { hashCommand } from "./hash.js";
import { initCommand } from "./init.js";
import { snapshotCommand } from "./snapshot.js";
import { pullCommand } from "./pull.js";
import { statusCommand } from "./status.js";
import { verifyCommand } from "./verify.js";
import { wranglerConfigCommand } from "./wrangler.js";
import { withProjectLock } from "../io/project-lock.js";
import { globalOptions } from "./run-cache/global-options.js";
import { noteImport, noteProjectPaths } from "./run-cache/run-cache.js";
import { onSchemaFilesLoaded } from "../io/schema-bundle.js";
import { onProjectConfigLoaded } from "../io/project-config.js";
import { toolVersion } from "../io/tool-paths.js";
import { ProjectFileError } from "../io/project-file-error.js";
import { SchemaError, SchemaErrors } from "../model/errors.js";

// any: each command's argument type is checked where it is defined; here they only share one list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: CliCommand<any>[] = [
  initCommand,
  generateCommand,
  baselineCommand,
  hashCommand,
  snapshotCommand,
  checkCommand,
  wranglerConfigCommand,
  applyCommand,
  verifyCommand,
  statusCommand,
  driftCommand,
  pullCommand,
  auditCommand,
  lintCommand,
];

// Files the schema imports from elsewhere in the project are inputs of the run, like the schema itself.
onSchemaFilesLoaded((files) => files.forEach((file) => noteImport(pathToFileURL(file).href)));
// The layout d1-schema.config.ts gives decides which folders the run read and wrote.
onProjectConfigLoaded(noteProjectPaths);

async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  let parser: Argv<GlobalArgs> = yargs(argv)
    .scriptName("d1-schema")
    .usage("$0 <command> [options]\n\nSchema-as-code for Cloudflare D1: schema/*.ts in, D1-safe migrations and types out.")
    .options(globalOptions)
    // The tool's own version: yargs would print the nearest package.json's, which is the user's project's.
    .version(toolVersion());
  // yargs lays out a command's help after every run of it (to have it ready), and wrapping the text to the terminal
  // is most of that cost (20-40 ms a run). Help is printed only on --help (failures say to run it), so only then is
  // it wrapped, as yargs does by default.
  if (!wantsHelp(argv)) parser = parser.wrap(null);
  for (const definition of commands) {
    parser = parser.command(definition.command, definition.describe, definition.options, async (args) => {
      const run = () => definition.run(args);
      exitCode = definition.writes?.(args) ? await withProjectLock(args.root as string, definition.command, run) : await run();
    });
  }
  await parser
    .demandCommand(1, `name a command: ${commands.map((definition) => definition.command).join(", ")}`)
    .strict()
    .help()
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .parseAsync();
  return exitCode;
}

function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

function report(error: unknown): number {
  if (error instanceof SchemaErrors || error instanceof SchemaError || error instanceof ProjectFileError) {
    console.error(`error: ${error.message}\nNothing was written.`);
  } else if (error instanceof UsageError) {
    console.error(`${error.message}\nRun with --help for usage.`);
  } else {
    console.error(error);
  }
  return exitCodes.badInput;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(report(error)),
);
