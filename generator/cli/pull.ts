import { runPull, type PullSource } from "../commands/pull.js";
import type { LiveSource } from "../io/sql-dump.js";
import { renderRuleFinding } from "../model/finding.js";
import { loadProjectPaths } from "../io/project-config.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";

export const pullCommand = defineCommand({
  command: "pull",
  describe:
    "adopt an existing database: write schema/<folder>/ from a SQLite file, a SQL dump or a folder of migrations, so that generate reports no changes and numbering continues",
  options: (yargs) =>
    yargs
      .option("database", { type: "string", demandOption: true, describe: "the database's name, its wrangler binding (e.g. APP_DB)" })
      .option("folder", { type: "string", demandOption: true, describe: "the folder to write under schema/ and migrations/ (e.g. app_db)" })
      .option("sqlite", { type: "string", describe: "a SQLite file, e.g. wrangler's local D1 state" })
      .option("dump", { type: "string", describe: "a SQL dump (`npx wrangler d1 export <DB> --remote --no-data --output=dump.sql`) or any .sql file" })
      .option("migrations", { type: "string", describe: "a folder of NNNN_name.sql migrations, replayed in order the D1 way" })
      .option("bindings", { type: "string", describe: "every binding the schema serves, comma-separated (default: --database)" })
      .option("force", { type: "boolean", default: false, describe: "replace an existing schema/<folder>/ and its snapshot" })
      .option("json", { type: "boolean", default: false, describe: "print the report as JSON" }),
  writes: () => true,
  run: async (args) => {
    const given = [args.sqlite, args.dump, args.migrations].filter((value) => value !== undefined);
    if (given.length !== 1) throw new UsageError("give the database to pull with exactly one of --sqlite FILE, --dump FILE or --migrations DIR");
    const source: PullSource = args.migrations !== undefined ? { kind: "migrations", dir: args.migrations } : liveSource(args)!;
    const bindings = args.bindings
      ?.split(",")
      .map((binding) => binding.trim())
      .filter(Boolean);
    const report = await runPull(await loadProjectPaths(args.root), { name: args.database, folder: args.folder, source, bindings, force: args.force });
    if (args.json) {
      console.log(JSON.stringify(report, null, 2));
      return exitCodes.ok;
    }
    const next = String(report.nextNumber).padStart(4, "0");
    console.log(
      [
        `${report.database}: pulled ${report.tables} tables and ${report.indexes} indexes into schema/${report.folder}/`,
        ...report.written.map((file) => `  ${file}`),
        "",
        report.history,
        ...(report.notes.length > 0 ? ["", "Not taken over (also listed in database.ts):", ...report.notes.map((note) => `  - ${note}`)] : []),
        ...(report.lintErrors.length > 0
          ? [
              "",
              "Adopted as they are, but lint errors (`check` fails until each is fixed or silenced with a reason):",
              ...report.lintErrors.map(renderRuleFinding),
            ]
          : []),
        "",
        `Next: \`d1-schema generate\` reports no changes; your next schema change becomes ${next}_<name>.sql.`,
      ].join("\n"),
    );
    return exitCodes.ok;
  },
});

/** The live database of --sqlite or --dump; undefined unless exactly one is given. */
export function liveSource(args: { sqlite?: string; dump?: string }): LiveSource | undefined {
  if ((args.sqlite === undefined) === (args.dump === undefined)) return undefined;
  return args.sqlite !== undefined ? { kind: "sqlite", file: args.sqlite } : { kind: "dump", file: args.dump! };
}
