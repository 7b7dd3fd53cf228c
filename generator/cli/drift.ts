import { runDrift, type Difference, type DifferenceStatus, type DriftReport } from "../commands/drift.js";
import { loadProjectPaths } from "../io/project-config.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";
import { liveSource } from "./pull.js";

export const driftCommand = defineCommand({
  command: "drift",
  describe:
    "compare a live database (a SQLite file or a SQL dump) with the schema; exit 1 when they differ, naming the pending migration that fixes each difference",
  options: (yargs) =>
    yargs
      .option("database", { type: "string", demandOption: true, describe: "the database (name or folder) under schema/" })
      .option("sqlite", { type: "string", describe: "a SQLite file, e.g. wrangler's .wrangler/state/v3/d1/miniflare-D1DatabaseObject/<id>.sqlite" })
      .option("dump", { type: "string", describe: "a SQL dump, e.g. from `npx wrangler d1 export <DB> --remote --no-data --output=dump.sql`" })
      .option("json", { type: "boolean", default: false, describe: "print the report as JSON" }),
  run: async (args) => {
    const source = liveSource(args);
    if (!source) throw new UsageError("give the live database with --sqlite FILE or --dump FILE (one of them)");
    const report = await runDrift(await loadProjectPaths(args.root), { database: args.database, source });
    if (args.json) console.log(JSON.stringify({ ok: report.differences.length === 0, ...report }, null, 2));
    else console.log(renderDriftReport(report).join("\n"));
    return report.differences.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});

const sections: { status: DifferenceStatus; title: (report: DriftReport) => string }[] = [
  {
    status: "pending",
    title: (report) => `Fixed by a pending migration (apply them: npx wrangler d1 migrations apply ${report.database}):`,
  },
  { status: "drift", title: () => "Drift: no migration explains these; fix the database by hand, or adopt its shape with `d1-schema pull`:" },
  { status: "ungenerated", title: () => "In the schema but in no migration yet: run `d1-schema generate`:" },
];

function renderDriftReport(report: DriftReport): string[] {
  const history =
    report.applied === null
      ? "no d1_migrations table"
      : `d1_migrations: ${report.applied.length} applied, ${report.pending.length} pending${report.pending.length > 0 ? ` (${report.pending.join(", ")})` : ""}`;
  const lines = [`${report.database} against the ${report.source} (${history})`];
  if (report.differences.length === 0) lines.push(`no drift: the database matches schema/${report.folder}/`);
  else lines.push(`${report.differences.length} difference${report.differences.length === 1 ? "" : "s"} from schema/${report.folder}/`);
  for (const { status, title } of sections) {
    const differences = report.differences.filter((difference) => difference.status === status);
    if (differences.length === 0) continue;
    lines.push("", title(report), ...differences.map((difference) => `  - ${describe(difference)}`));
  }
  if (report.notes.length > 0) lines.push("", "Notes:", ...report.notes.map((note) => `  - ${note}`));
  return lines;
}

function describe(difference: Difference): string {
  return difference.fixedBy ? `${difference.message}: ${difference.fixedBy}` : difference.message;
}
