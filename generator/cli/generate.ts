import { runGenerate } from "../commands/generate.js";
import { loadProjectPaths } from "../io/project-config.js";
import { endProgress, progressLine, useProgress } from "../io/progress.js";
import { recordSuccessfulRun } from "./run-cache/run-cache.js";
import { WranglerStateError } from "../wrangler/state-error.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";
import { withWranglerState, wranglerState } from "./wrangler-state-options.js";

export const generateCommand = defineCommand({
  command: "generate",
  describe: "diff schema/ against the last snapshot; write the next migration, the fresh squash, the snapshot and types",
  options: (yargs) =>
    withWranglerState(yargs)
      .option("local", {
        type: "boolean",
        default: false,
        describe:
          "read each binding's local D1 database and write nothing when the new migration would fail on its rows (duplicates under a new UNIQUE key, rows without a value under a new NOT NULL column), or when a custom migration it would record was applied there before its edit",
      })
      .option("allow-destructive", {
        type: "boolean",
        default: false,
        describe: "allow changes that lose data: dropping tables or columns, type changes that lose values or digits, plain columns becoming generated",
      })
      .option("name", { type: "string", describe: "the migration's name (default: derived from its changes)" })
      .option("custom", {
        type: "string",
        describe:
          "write the next migration empty, named so, for SQL you write (a backfill, a data fix, seed rows); the next generate proves and records it. Needs --database when schema/ has several databases",
      })
      .option("database", { type: "string", describe: "only this database (name or folder)" })
      .option("reorder-columns", {
        type: "string",
        array: true,
        default: [],
        describe:
          "rebuild these tables (TABLE or DATABASE.TABLE) so that their columns take the order the schema declares; otherwise a column declared anywhere is added at the end with one ALTER TABLE",
      }),
  writes: () => true,
  run: async (args) => {
    useProgress(progressLine(process.stderr));
    const options = {
      allowDestructive: args["allow-destructive"],
      name: args.name,
      only: args.database,
      reorderColumns: args["reorder-columns"],
      custom: args.custom,
      local: args.local ? wranglerState(args) : undefined,
    };
    let report;
    try {
      report = await runGenerate(await loadProjectPaths(args.root), options).finally(endProgress);
    } catch (error) {
      if (error instanceof WranglerStateError) throw new UsageError(error.message);
      throw error;
    }
    console.log(report.lines.join("\n"));
    if (report.warnings.length > 0) console.error(report.warnings.join("\n"));
    // generate is idempotent: run again over the files it just wrote, it would find nothing to do. Not with --custom,
    // which writes one more empty migration every time it runs: a record would answer the next one with "no changes".
    if (options.custom === undefined) await recordSuccessfulRun("no changes\n");
    return exitCodes.ok;
  },
});
