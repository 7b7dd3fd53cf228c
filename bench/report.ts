// The results as markdown: one table a size (ours against drizzle-kit and against the floor), the in-process
// core, what one migration adds to a repository, and the issue's targets marked met or not met.
import type { CoreReport } from "./core.js";
import type { Measurement } from "./measure.js";

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

export interface Growth {
  files: { file: string; bytes: number; status: "new" | "rewritten" }[];
  newBytes: number;
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

const seconds = (measurement: Measurement | undefined) =>
  measurement?.medianSeconds === undefined ? (measurement?.failed ? "failed" : "–") : `${measurement.medianSeconds.toFixed(2)} s`;
const megabytes = (measurement: Measurement | undefined) => (measurement?.peakMb === undefined ? "–" : `${measurement.peakMb.toFixed(0)} MB`);
const ratio = (numerator: number | undefined, denominator: number | undefined) =>
  numerator === undefined || denominator === undefined || denominator === 0 ? undefined : numerator / denominator;
const times = (value: number | undefined, digits = 1) => (value === undefined ? "–" : `${value.toFixed(digits)}×`);
const kilobytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

const rows: { label: string; ours: string; drizzle?: string }[] = [
  { label: "generate, empty snapshot (whole schema)", ours: "oursEmpty", drizzle: "drizzleEmpty" },
  { label: "generate, no change (run cache holds the last success)", ours: "oursNoChange", drizzle: "drizzleNoChange" },
  { label: "generate, no change, cold (`--no-cache`: fresh clone, CI)", ours: "oursNoChangeCold", drizzle: "drizzleNoChange" },
  { label: "generate, one added column (render caches warm)", ours: "oursAddColumn", drizzle: "drizzleAddColumn" },
  { label: "generate, one added column, no caches (fresh clone)", ours: "oursAddColumnCold", drizzle: "drizzleAddColumn" },
  { label: "check (run cache holds the last success)", ours: "oursCheck" },
  { label: "check, cold (`--no-cache`: CI)", ours: "oursCheckCold" },
  { label: "import the schema files alone (tsx)", ours: "oursLoad" },
];

function sizeTable(result: SizeResult): string[] {
  const floorSeconds = result.floor.medianSeconds;
  const lines = [
    `### ${result.tables.toLocaleString("en-US")} tables (${result.files} schema files)`,
    "",
    "| situation | d1-schema | drizzle-kit | drizzle-kit ÷ d1-schema | d1-schema ÷ floor | peak RSS d1-schema | peak RSS drizzle-kit | runs (d1-schema / drizzle-kit) |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const row of rows) {
    const ours = result.measurements[row.ours];
    const drizzle = row.drizzle ? result.measurements[row.drizzle] : undefined;
    lines.push(
      `| ${row.label} | ${seconds(ours)} | ${row.drizzle ? seconds(drizzle) : ""} | ${row.drizzle ? times(ratio(drizzle?.medianSeconds, ours?.medianSeconds), 2) : ""} | ${times(ratio(ours?.medianSeconds, floorSeconds))} | ${megabytes(ours)} | ${row.drizzle ? megabytes(drizzle) : ""} | ${ours?.runs.length ?? 0}${row.drizzle ? ` / ${drizzle?.runs.length ?? 0}` : ""} |`,
    );
  }
  lines.push(`| floor: \`node -e 0\` | ${seconds(result.floor)} | | | 1.0× | ${megabytes(result.floor)} | | ${result.floor.runs.length} |`, "");
  const notes = Object.values(result.measurements).flatMap((measurement) => [
    ...(measurement.failed ? [`${measurement.label}: **${measurement.failed}**`] : []),
    ...(measurement.note ? [`${measurement.label}: ${measurement.note}`] : []),
  ]);
  const firstRuns = rows
    .flatMap((row) => [row.ours, ...(row.drizzle ? [row.drizzle] : [])])
    .map((id) => result.measurements[id])
    .filter((measurement) => measurement?.first);
  lines.push(
    `First (untimed) runs, caches cold where the schema is new: ${firstRuns.map((measurement) => `${measurement.label.replace(/^\[[^\]]*\] /, "")} ${measurement.first!.seconds.toFixed(2)} s`).join("; ")}.`,
    "",
  );
  if (notes.length > 0) lines.push(...notes.map((note) => `- ${note}`), "");
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

interface Target {
  text: string;
  verdict: "met" | "not met" | "not measured";
  evidence: string;
}

const ourIds = ["oursEmpty", "oursNoChange", "oursNoChangeCold", "oursAddColumn", "oursAddColumnCold", "oursCheck", "oursCheckCold"];

function targets(results: SizeResult[]): Target[] {
  const at = (tables: number) => results.find((result) => result.tables === tables);
  const median = (tables: number, id: string) => at(tables)?.measurements[id]?.medianSeconds;
  const list: Target[] = [];
  const verdict = (ok: boolean | undefined): Target["verdict"] => (ok === undefined ? "not measured" : ok ? "met" : "not met");
  for (const tables of [180, 1000]) {
    const speedup = ratio(median(tables, "drizzleNoChange"), median(tables, "oursNoChange"));
    list.push({
      text: `generate with no change ≥ 3× faster than drizzle-kit at ${tables.toLocaleString("en-US")} tables`,
      verdict: verdict(speedup === undefined ? undefined : speedup >= 3),
      evidence:
        speedup === undefined
          ? ""
          : `${times(speedup, 2)} (d1-schema ${median(tables, "oursNoChange")!.toFixed(2)} s, drizzle-kit ${median(tables, "drizzleNoChange")!.toFixed(2)} s); ` +
            `cold, without the run cache: ${times(ratio(median(tables, "drizzleNoChange"), median(tables, "oursNoChangeCold")), 2)} (${median(tables, "oursNoChangeCold")?.toFixed(2) ?? "–"} s)`,
    });
  }
  const noChange5000 = median(5000, "oursNoChange");
  list.push({
    text: "5,000 tables: generate with no change under 2 s",
    verdict: verdict(noChange5000 === undefined ? undefined : noChange5000 < 2),
    evidence: noChange5000 === undefined ? "" : `${noChange5000.toFixed(2)} s (cold, --no-cache: ${median(5000, "oursNoChangeCold")?.toFixed(2) ?? "–"} s)`,
  });
  const peak5000 = at(5000)?.measurements.oursNoChange?.peakMb;
  list.push({
    text: "5,000 tables: peak memory under 300 MB (generate, no change)",
    verdict: verdict(peak5000 === undefined ? undefined : peak5000 < 300),
    evidence:
      peak5000 === undefined
        ? ""
        : `${peak5000.toFixed(0)} MB (cold: ${at(5000)?.measurements.oursNoChangeCold?.peakMb?.toFixed(0) ?? "–"} MB; highest of any d1-schema command at 5,000: ${Math.max(...ourIds.map((id) => at(5000)?.measurements[id]?.peakMb ?? 0)).toFixed(0)} MB)`,
  });
  const growthRatio = ratio(median(5000, "oursNoChange"), median(1000, "oursNoChange"));
  list.push({
    text: "linear growth: 5× the tables (1,000 → 5,000) costs at most 6× the time (generate, no change)",
    verdict: verdict(growthRatio === undefined ? undefined : growthRatio <= 6),
    evidence:
      growthRatio === undefined
        ? ""
        : `${times(growthRatio, 2)}; other commands: ${ourIds
            .filter((id) => id !== "oursNoChange")
            .map((id) => `${id} ${times(ratio(median(5000, id), median(1000, id)), 2)}`)
            .join(", ")}`,
  });
  const core1000 = at(1000)?.core?.timings.filter((timing) => timing.id.startsWith("diffPlan"));
  const slowest = core1000 && core1000.length > 0 ? Math.max(...core1000.map((timing) => timing.medianMs)) : undefined;
  list.push({
    text: "diff + plan core under 50 ms at 1,000 tables (every situation)",
    verdict: verdict(slowest === undefined ? undefined : slowest < 50),
    evidence: core1000 ? core1000.map((timing) => `${timing.label.replace("diff + plan ", "")} ${timing.medianMs.toFixed(1)} ms`).join(", ") : "",
  });
  const grown = results.filter((result) => result.growth.ours !== undefined && result.growth.ours.files.length > 0);
  const onlyMigrations = grown.every((result) => result.growth.ours!.files.filter((file) => file.status === "new").every((file) => file.file.endsWith(".sql")));
  list.push({
    text: "one snapshot per database, rewritten in place: the repository grows by the migration files only",
    verdict: verdict(grown.length === 0 ? undefined : onlyMigrations),
    evidence: grown
      .map(
        (result) =>
          `${result.tables.toLocaleString("en-US")} tables: d1-schema +${kilobytes(result.growth.ours!.newBytes)}, drizzle-kit +${result.growth.drizzle ? kilobytes(result.growth.drizzle.newBytes) : "?"} a migration`,
      )
      .join("; "),
  });
  return list;
}

export function renderResults(
  results: SizeResult[],
  machine: Machine,
  settings: { runs: number; seed: number; budgetSeconds: number; minutes: number },
): string {
  const lines = [
    "# Benchmark: d1-schema against drizzle-kit",
    "",
    `Written by \`npm run bench\` (bench/run.ts) on ${machine.date.slice(0, 16).replace("T", " ")} UTC in ${settings.minutes.toFixed(1)} min. Reproduce: \`npm run bench\` ` +
      "(quick: `npm run bench -- --sizes 180,1000 --runs 3`; where the time goes: `npm run bench -- --profile`).",
    "",
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb.toFixed(1)} GB, ${machine.platform}; Node ${machine.node}; 1-minute load average ${machine.loadAverage.toFixed(1)} at the end (other work on the machine slows both tools alike; runs alternate between them).`,
    `- Tools: d1-schema ${machine.commit}; drizzle-kit ${machine.drizzleKit} with drizzle-orm ${machine.drizzleOrm} (bench/package.json), run as \`node node_modules/drizzle-kit/bin.cjs generate\` (no npx start-up); d1-schema as \`node bin/d1-schema.js --root <dir> generate\`.`,
    `- Method: whole processes, wall time from spawn to exit, median of ${settings.runs} timed runs after one untimed first run (fewer when a run is slow: ${settings.budgetSeconds} s budget a scenario, noted below); peak memory: ${machine.memorySource}, the highest over all runs.`,
    `- Schemas: seeded (seed ${settings.seed}) synthetic databases shaped like ClearLift's: text keys, 8–40 mixed columns, 0–3 foreign keys to earlier tables, 2–5 indexes a table (some unique, some composite), 15 tables a file; the same tables written as d1-schema files and as drizzle \`sqliteTable\`s. "One added column" appends a nullable TEXT column to one table (both tools write one ALTER TABLE ADD COLUMN).`,
    "",
    "## Targets (issue 6)",
    "",
    "| target | verdict | measured |",
    "|---|---|---|",
    ...targets(results).map((target) => `| ${target.text} | **${target.verdict}** | ${target.evidence} |`),
    "",
    "## Results",
    "",
    "drizzle-kit ÷ d1-schema above 1 means d1-schema is faster; d1-schema ÷ floor is how many `node -e 0` start-ups the command costs.",
    "",
    ...results.flatMap(sizeTable),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
