// The results as markdown: issue 14's targets with their verdicts, then issue 6's, ClearLift's own schema, and one
// table a synthetic size (ours against drizzle-kit and against the floor, cold situations first), the in-process core
// and what one migration adds to a repository.
import type { clearLiftChange } from "./clearlift.js";
import type { CoreReport } from "./core.js";
import { count, kilobytes, megabytes, ratio, seconds, times } from "./format.js";
import type { Measurement } from "./measure.js";
import type { Growth } from "./projects.js";
import { situations } from "./situations.js";
import { issue14Targets, issue6Targets, type Target } from "./targets.js";

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** The 1-minute load average when the results were written: other work on the machine skews timings. */
  loadAverage: number;
  drizzleKit: string;
  drizzleOrm: string;
  commit: string;
  memorySource: string;
}

export interface SizeResult {
  tables: number;
  files: number;
  measurements: Record<string, Measurement>;
  floor: Measurement;
  core?: CoreReport;
  coreFailure?: string;
  /** Undefined for a tool that could not generate the whole schema at this size. */
  growth: { ours?: Growth; drizzle?: Growth };
  snapshotBytes: { ours?: number; drizzle?: number };
}

export interface ClearLiftResult {
  tables: number;
  databases: number;
  schemaFiles: number;
  change: typeof clearLiftChange;
  measurements: Record<string, Measurement>;
  /** What the last change run wrote, against the outputs as committed. */
  growth?: Growth;
  /** Whether every change run wrote one migration with one ALTER TABLE ... ADD COLUMN (undefined: none finished). */
  alter: { verified: boolean | undefined; migration?: string; problem?: string };
}

export interface Settings {
  runs: number;
  seed: number;
  budgetSeconds: number;
  minutes: number;
  /** False when the compiled tool was removed or rebuilt during the run (a run then paid for a build). */
  compiledToolKept: boolean;
}

function notesOf(measurements: Measurement[]): string[] {
  return measurements.flatMap((measurement) => [
    ...(measurement.failed ? [`- ${measurement.label}: **${measurement.failed}**`] : []),
    ...(measurement.note ? [`- ${measurement.label}: ${measurement.note}`] : []),
  ]);
}

const withoutTag = (label: string) => label.replace(/^\[[^\]]*\] /, "");

function sizeTable(result: SizeResult): string[] {
  const floorSeconds = result.floor.medianSeconds;
  const lines = [
    `### ${count(result.tables)} tables (${result.files} schema files)`,
    "",
    "| situation | d1-schema | drizzle-kit | drizzle-kit ÷ d1-schema | d1-schema ÷ floor | peak RSS d1-schema | peak RSS drizzle-kit | runs (d1-schema / drizzle-kit) |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of situations) {
    const ours = result.measurements[row.id];
    const drizzle = row.drizzle ? result.measurements[row.drizzle] : undefined;
    lines.push(
      `| ${row.label} | ${seconds(ours)} | ${row.drizzle ? seconds(drizzle) : ""} | ${row.drizzle ? times(ratio(drizzle?.medianSeconds, ours?.medianSeconds), 2) : ""} | ${times(ratio(ours?.medianSeconds, floorSeconds))} | ${megabytes(ours)} | ${row.drizzle ? megabytes(drizzle) : ""} | ${ours?.runs.length ?? 0}${row.drizzle ? ` / ${drizzle?.runs.length ?? 0}` : ""} |`,
    );
  }
  lines.push(`| floor: \`node -e 0\` | ${seconds(result.floor)} | | | 1.0× | ${megabytes(result.floor)} | | ${result.floor.runs.length} |`, "");
  const measured = situations
    .flatMap((row) => [row.id, ...(row.drizzle ? [row.drizzle] : [])])
    .filter((id, position, ids) => ids.indexOf(id) === position)
    .map((id) => result.measurements[id])
    .filter((measurement) => measurement !== undefined);
  lines.push(
    `First (untimed) runs: ${measured
      .filter((measurement) => measurement.first)
      .map((measurement) => `${withoutTag(measurement.label)} ${measurement.first!.seconds.toFixed(2)} s`)
      .join("; ")}.`,
    "",
  );
  const notes = notesOf(measured);
  if (notes.length > 0) lines.push(...notes, "");
  if (result.core) {
    lines.push(
      "In-process (`performance.now()`, median of repeated runs after a warm-up; stages over 2 s are timed once):",
      "",
      "| stage | ms | runs |",
      "|---|---:|---:|",
    );
    for (const timing of result.core.timings) lines.push(`| ${timing.label} | ${timing.medianMs.toFixed(timing.medianMs < 10 ? 2 : 0)} | ${timing.runs} |`);
    lines.push("");
  } else {
    lines.push(`In-process core failed: ${result.coreFailure ?? "unknown"}`, "");
  }
  const describe = (growth: Growth | undefined) =>
    growth === undefined
      ? "not measured"
      : `${kilobytes(growth.newBytes)} in new files: ${growth.files.map((file) => `${file.file} (${file.status}, ${kilobytes(file.bytes)})`).join(", ") || "nothing"}`;
  const size = (bytes: number | undefined) => (bytes === undefined ? "not measured" : kilobytes(bytes));
  lines.push(
    `One added column, what the repository gains: d1-schema ${describe(result.growth.ours)}. drizzle-kit ${describe(result.growth.drizzle)}. ` +
      `Snapshot after the first migration: d1-schema ${size(result.snapshotBytes.ours)} (one file, rewritten in place), drizzle-kit ${size(result.snapshotBytes.drizzle)}.`,
    "",
  );
  return lines;
}

const clearLiftRows = [
  { id: "clearLiftAddColumnCold", label: "**cold**: generate, a column added mid-table, no caches (fresh clone, CI)" },
  { id: "clearLiftAddColumn", label: "warm: generate, a column added mid-table, render caches of the same change kept" },
  { id: "clearLiftNoChangeCold", label: "**cold**: generate `--no-cache`, no change, no caches" },
  { id: "clearLiftCheckCold", label: "**cold**: check `--no-cache`, no caches" },
];

function clearLiftSection(result: ClearLiftResult | undefined): string[] {
  const heading = ["## ClearLift (the repository's own schema)", ""];
  if (!result) return [...heading, "Not run (`--no-clearlift`).", ""];
  const { table, column, folder } = result.change;
  const lines = [
    ...heading,
    `The repository's schema/, migrations/, generated/, docs/, wrangler.toml and package.json copied when the run started (${result.databases} databases, ` +
      `${result.schemaFiles} schema files, ${count(result.tables)} tables in the committed squashes), generator/ linked to the tool under test. ` +
      `The change: \`${column}: text()\` declared after the second column of ${table} (schema/${folder}/), the edit issue 14 measured. ` +
      "Outputs are restored before every run; d1-schema only (drizzle-kit has no such schema).",
    "",
    "| situation | d1-schema | peak RSS | runs |",
    "|---|---:|---:|---|",
    ...clearLiftRows.map((row) => {
      const measurement = result.measurements[row.id];
      return `| ${row.label} | ${seconds(measurement)} | ${megabytes(measurement)} | ${measurement?.runs.length ?? 0} |`;
    }),
    "",
  ];
  const { alter, growth } = result;
  lines.push(
    alter.verified === undefined
      ? "The change run did not finish: nothing to verify."
      : alter.verified
        ? `Every change run wrote one new migration, ${alter.migration}, holding one \`ALTER TABLE ${table} ADD COLUMN\` and no CREATE TABLE.`
        : `**The change run did not write one ALTER**: ${alter.problem}.`,
    "",
  );
  if (growth) {
    const newFiles = growth.files.filter((file) => file.status === "new").length;
    const docs = growth.files.filter((file) => file.file.startsWith("docs/")).length;
    lines.push(
      `Files written by the change: ${growth.files.length} (${newFiles} new, ${growth.files.length - newFiles} rewritten; ${docs} of them under docs/): ` +
        `${growth.files.map((file) => `${file.file} (${file.status})`).join(", ")}.`,
      "",
    );
  }
  lines.push(
    `First (untimed) runs: ${clearLiftRows
      .map((row) => result.measurements[row.id])
      .filter((measurement) => measurement?.first)
      .map((measurement) => `${withoutTag(measurement.label)} ${measurement.first!.seconds.toFixed(2)} s`)
      .join("; ")}.`,
    "",
  );
  const notes = notesOf(Object.values(result.measurements));
  if (notes.length > 0) lines.push(...notes, "");
  return lines;
}

const targetTable = (targets: Target[]) => [
  "| target | verdict | measured |",
  "|---|---|---|",
  ...targets.map((target) => `| ${target.text} | **${target.verdict}** | ${target.evidence || "–"} |`),
];

export function renderResults(results: SizeResult[], clearLift: ClearLiftResult | undefined, machine: Machine, settings: Settings): string {
  const lines = [
    "# Benchmark: d1-schema against drizzle-kit",
    "",
    `Written by \`npm run bench\` (bench/run.ts) on ${machine.date.slice(0, 16).replace("T", " ")} UTC in ${settings.minutes.toFixed(1)} min. Reproduce: \`npm run bench\` ` +
      "(quick: `npm run bench -- --sizes 180,1000 --runs 3`; where the time goes: `npm run bench -- --profile`).",
    "",
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb.toFixed(1)} GB, ${machine.platform}; Node ${machine.node}; 1-minute load average ${machine.loadAverage.toFixed(1)} at the end (other work on the machine slows both tools alike; runs alternate between them).`,
    `- Tools: d1-schema ${machine.commit}; drizzle-kit ${machine.drizzleKit} with drizzle-orm ${machine.drizzleOrm} (bench/package.json), run as \`node node_modules/drizzle-kit/bin.cjs generate\` (no npx start-up); d1-schema as \`node bin/d1-schema.js --root <dir> generate\`.`,
    `- Method: whole processes, wall time from spawn to exit, median of ${settings.runs} timed runs after one untimed first run (fewer when a run is slow: ${settings.budgetSeconds} s budget a scenario, noted below); peak memory: ${machine.memorySource}, the highest over all runs. ` +
      "d1-schema's compiled CLI (bin/compiled-tool.js bundles generator/ into node_modules/.cache/d1-schema/tool-<hash>/ of the tool's own install, not the project's) is built once before any run, timed or not, by `node bin/d1-schema.js --version`: " +
      `it is part of the installed tool, as drizzle-kit's published JavaScript is, so no measured run builds it${settings.compiledToolKept ? "" : " (**this time it was removed or rebuilt during the run, so some run paid for a build**)"}. ` +
      "**Cold** means no caches at all: the project's node_modules/.cache (the run cache and the render caches) is removed before every cold run, first run included; the schema files are bundled anew by every run. " +
      "drizzle-kit keeps no cache between runs, so each of its situations is measured once and set beside both ours.",
    `- Schemas: seeded (seed ${settings.seed}) synthetic databases shaped like ClearLift's: text keys, 8–40 mixed columns, 0–3 foreign keys to earlier tables, 2–5 indexes a table (some unique, some composite), 15 tables a file; the same tables written as d1-schema files and as drizzle \`sqliteTable\`s. "One added column" appends a nullable TEXT column to one table (both tools write one ALTER TABLE ADD COLUMN). ${clearLift ? "ClearLift's own schema is measured too, d1-schema only (its section below)." : "ClearLift's own schema was not measured this time (`--no-clearlift`)."}`,
    "",
    "## Targets (issue 14)",
    "",
    "Ratios are drizzle-kit ÷ d1-schema, medians: above 1, d1-schema is faster. A verdict covers the sizes this run measured; a size a target names that did not run is listed in its row (✓ holds, ✗ does not).",
    "",
    ...targetTable(issue14Targets(results, clearLift)),
    "",
    "## Targets (issue 6)",
    "",
    ...targetTable(issue6Targets(results)),
    "",
    ...clearLiftSection(clearLift),
    "## Results",
    "",
    "drizzle-kit ÷ d1-schema above 1 means d1-schema is faster; d1-schema ÷ floor is how many `node -e 0` start-ups the command costs. Cold rows (no caches: a fresh clone, CI) come first.",
    "",
    ...results.flatMap(sizeTable),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
