// `npm run bench`: d1-schema against drizzle-kit on the same synthetic schemas, whole processes, plus the
// in-process core, and ClearLift's own schema (ours only). Prints a table and writes bench/RESULTS.md.
// `npm run bench -- --profile` profiles instead.
//
//   --sizes 180,1000,5000   table counts          --runs 5          timed runs a scenario (median)
//   --seed N                synthetic schema seed --budget 90       seconds of timed runs a scenario may take
//   --timeout 1200          seconds before a run is killed         --keep            keep the temp projects
//   --no-breakdown          core: diff + plan only                  --no-clearlift    skip ClearLift's schema
//   --out FILE              default bench/RESULTS.md (bench/PROFILE.md with --profile)
//   --live                  run the working tree's generator, not a copy frozen at the start
//   --profile [--profile-size 1000]   --cpu-prof our generate (no change, one added column) and check
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { clearLiftChange, createClearLiftProject, verifyOneAlter, type ClearLiftProject } from "./clearlift.js";
import type { CoreReport } from "./core.js";
import {
  killRunning,
  lastLines,
  measureInterleaved,
  memorySource,
  runOnce,
  type Command,
  type Measurement,
  type MeasureOptions,
  type RunResult,
  type Scenario,
} from "./measure.js";
import { profileCommand, renderProfileMarkdown } from "./profile.js";
import {
  benchDir,
  createProjects,
  growthSince,
  removeCaches,
  removeOutputs,
  repoRoot,
  restoreOutputs,
  saveOutputs,
  setAddedColumn,
  sqlFiles,
  type BenchProject,
  type Growth,
  type SizeProjects,
} from "./projects.js";
import { renderResults, type ClearLiftResult, type Machine, type SizeResult } from "./report.js";
import { buildCompiledTool, toolUnderTest } from "./tool-copy.js";
import { addedColumn, databaseFolder } from "./synthetic-schema.js";

const { values: options } = parseArgs({
  options: {
    sizes: { type: "string", default: "180,1000,5000" },
    runs: { type: "string", default: "5" },
    seed: { type: "string", default: "20260601" },
    budget: { type: "string", default: "90" },
    timeout: { type: "string", default: "1200" },
    keep: { type: "boolean", default: false },
    "no-breakdown": { type: "boolean", default: false },
    "no-clearlift": { type: "boolean", default: false },
    out: { type: "string" },
    profile: { type: "boolean", default: false },
    "profile-size": { type: "string", default: "1000" },
    live: { type: "boolean", default: false },
  },
});

const sizes = options.sizes.split(",").map((size) => Number(size.trim()));
const runs = Number(options.runs);
const seed = Number(options.seed);
if (sizes.some((size) => !Number.isInteger(size) || size < 2) || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: npm run bench -- [--sizes 180,1000,5000] [--runs 5] [--profile]");
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
const measureOptions: MeasureOptions = { runs, budgetSeconds: Number(options.budget), timeoutSeconds: Number(options.timeout), log };
const node = process.execPath;

function ensureBenchDependencies(): void {
  if (existsSync(path.join(benchDir, "node_modules/drizzle-kit/package.json"))) return;
  log("bench: installing bench/ dependencies (drizzle-kit, drizzle-orm) on first use: npm --prefix bench ci");
  const result = spawnSync("npm", ["--prefix", benchDir, "ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("bench: npm --prefix bench ci failed");
    process.exit(2);
  }
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

function readOnlyGit(args: string[]): string {
  const result = spawnSync("git", args, { cwd: repoRoot, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "";
}

/** The commit and whether generator/ or bin/ had uncommitted changes, when the tool was frozen. */
function toolVersion(): string {
  const commit = readOnlyGit(["rev-parse", "--short", "HEAD"]);
  const dirty = readOnlyGit(["status", "--porcelain", "--", "generator", "bin"]) !== "";
  return commit ? `${commit}${dirty ? " with uncommitted changes in generator/ or bin/" : ""}` : "unknown";
}

const version = toolVersion();
const tool = toolUnderTest(repoRoot, options.live);
const temporary = new Set<() => void>([() => tool.remove()]);
const cleanUp = () => {
  if (!options.keep) for (const remove of temporary) remove();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killRunning();
    cleanUp();
    process.exit(130);
  });
}

function machine(): Machine {
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg()[0],
    drizzleKit: packageVersion(path.join(benchDir, "node_modules/drizzle-kit")),
    drizzleOrm: packageVersion(path.join(benchDir, "node_modules/drizzle-orm")),
    commit: `${version}${options.live ? " (the working tree, live)" : " (bin/ and generator/ copied when the run started)"}`,
    memorySource,
  };
}

const ours = (project: BenchProject, command: "generate" | "check", ...flags: string[]): Command => ({
  argv: [node, tool.cli, "--root", project.dir, command, ...flags],
  cwd: project.dir,
});
const drizzleKit = (project: BenchProject): Command => ({
  argv: [node, path.join(project.dir, "node_modules/drizzle-kit/bin.cjs"), "generate"],
  cwd: project.dir,
});
const expect = (pattern: RegExp, what: string) => (result: RunResult) =>
  pattern.test(result.stdout) ? undefined : `expected ${what}, got: ${lastLines(result.stdout || result.stderr)}`;

async function measureSize(projects: SizeProjects, floor: Measurement): Promise<SizeResult> {
  const { ours: our, drizzle } = projects;
  const tag = `[${projects.tables} tables]`;
  const label = (text: string) => `${tag} ${text}`;
  const ourMigrations = path.join(our.dir, "migrations", databaseFolder);
  const drizzleOut = path.join(drizzle.dir, "drizzle");

  const fromEmpty = await measureInterleaved(
    [
      {
        id: "oursEmpty",
        label: label("d1-schema generate, empty snapshot"),
        command: ours(our, "generate"),
        prepare: () => (removeOutputs(our), removeCaches(our)),
        verify: expect(/0001_\w+\.sql/, "a first migration"),
      },
      {
        id: "drizzleEmpty",
        label: label("drizzle-kit generate, empty snapshot"),
        command: drizzleKit(drizzle),
        prepare: () => removeOutputs(drizzle),
        verify: expect(/Your SQL migration file/, "a first migration"),
      },
    ],
    measureOptions,
  );
  // The other situations start from the whole schema generated; a tool that could not generate it sits them out.
  const oursReady = sqlFiles(ourMigrations).length === 1 && !fromEmpty[0].failed;
  const drizzleReady = sqlFiles(drizzleOut).length === 1 && !fromEmpty[1].failed;
  const ready = (scenario: Scenario) => (scenario.id.startsWith("ours") ? oursReady : drizzleReady);
  const ourSaved = oursReady ? saveOutputs(our) : "";
  const drizzleSaved = drizzleReady ? saveOutputs(drizzle) : "";

  // Cold first: no caches at all (a fresh clone, CI), the project's node_modules/.cache removed before every run.
  // drizzle-kit keeps no cache, so its one "no change" measurement stands beside both ours.
  const coldUnchangedScenarios: Scenario[] = [
    {
      id: "oursNoChangeCold",
      label: label("d1-schema generate --no-cache, no change, no caches"),
      command: ours(our, "generate", "--no-cache"),
      prepare: () => removeCaches(our),
      verify: expect(/no changes/, "no changes"),
    },
    {
      id: "drizzleNoChange",
      label: label("drizzle-kit generate, no change"),
      command: drizzleKit(drizzle),
      verify: expect(/No schema changes/, "no schema changes"),
    },
    {
      id: "oursCheckCold",
      label: label("d1-schema check --no-cache, no caches"),
      command: ours(our, "check", "--no-cache"),
      prepare: () => removeCaches(our),
      verify: expect(/check passed/, "check passed"),
    },
  ];
  const coldUnchanged = await measureInterleaved(coldUnchangedScenarios.filter(ready), measureOptions);
  // Then "no change" as a team meets it: the run cache holds the last success (every run after the first). Measured
  // apart from the cold runs, which remove the cache.
  const warmUnchangedScenarios: Scenario[] = [
    {
      id: "oursNoChange",
      label: label("d1-schema generate, no change"),
      command: ours(our, "generate"),
      verify: expect(/no changes/, "no changes"),
      firstRunFills: true,
    },
    { id: "oursCheck", label: label("d1-schema check"), command: ours(our, "check"), verify: expect(/check passed/, "check passed"), firstRunFills: true },
  ];
  const warmUnchanged = await measureInterleaved(warmUnchangedScenarios.filter(ready), measureOptions);

  const addedPattern = new RegExp(addedColumn.name);
  const addsTheColumn = (result: RunResult) =>
    expect(/0002_\w+\.sql/, "a second migration")(result) ??
    (addedPattern.test(readMigration(ourMigrations, 1)) ? undefined : "the second migration does not add the column");
  // In each round the cold run comes first and leaves the render caches of the same change to the warm run after it.
  const addColumnScenarios: Scenario[] = [
    {
      id: "oursAddColumnCold",
      label: label("d1-schema generate, one added column, no caches"),
      command: ours(our, "generate"),
      prepare: () => {
        restoreOutputs(our, ourSaved);
        removeCaches(our);
        setAddedColumn(our, true);
      },
      verify: addsTheColumn,
    },
    {
      id: "oursAddColumn",
      label: label("d1-schema generate, one added column, render caches warm"),
      command: ours(our, "generate"),
      prepare: () => {
        restoreOutputs(our, ourSaved);
        setAddedColumn(our, true);
      },
      verify: addsTheColumn,
    },
    {
      id: "drizzleAddColumn",
      label: label("drizzle-kit generate, one added column"),
      command: drizzleKit(drizzle),
      prepare: () => {
        restoreOutputs(drizzle, drizzleSaved);
        setAddedColumn(drizzle, true);
      },
      verify: (result) =>
        expect(/Your SQL migration file/, "a second migration")(result) ??
        (addedPattern.test(readMigration(drizzleOut, 1)) ? undefined : "the second migration does not add the column"),
    },
  ];
  const addColumn = await measureInterleaved(addColumnScenarios.filter(ready), measureOptions);
  const ourGrowth = oursReady ? growthSince(our, ourSaved) : undefined;
  const drizzleGrowth = drizzleReady ? growthSince(drizzle, drizzleSaved) : undefined;
  for (const project of [our, drizzle]) setAddedColumn(project, false);
  if (oursReady) restoreOutputs(our, ourSaved);
  if (drizzleReady) restoreOutputs(drizzle, drizzleSaved);

  log(`${tag} in-process core (diff + plan${options["no-breakdown"] ? "" : ", and each stage"})`);
  const coreRun = await runOnce(
    {
      argv: [
        node,
        "--import",
        "tsx",
        tool.core,
        our.dir,
        projects.schema.changedTable,
        addedColumn.name,
        String(Math.max(runs, 5)),
        ...(options["no-breakdown"] ? ["diff-only"] : []),
      ],
      cwd: tool.root,
    },
    measureOptions.timeoutSeconds * 3,
  );
  let core: CoreReport | undefined;
  if (coreRun.exitCode === 0) core = JSON.parse(coreRun.stdout) as CoreReport;
  else log(`${tag} in-process core failed: ${lastLines(coreRun.stderr)}`);
  for (const timing of core?.timings ?? []) log(`${tag}   ${timing.label}: ${timing.medianMs.toFixed(1)} ms (${timing.runs} runs)`);

  const measurements = [...fromEmpty, ...coldUnchanged, ...warmUnchanged, ...addColumn];
  return {
    tables: projects.tables,
    files: new Set(projects.schema.tables.map((table) => table.file)).size + 1,
    measurements: Object.fromEntries(measurements.map((measurement) => [measurement.id, measurement])),
    floor,
    core,
    coreFailure: core ? undefined : lastLines(coreRun.stderr),
    growth: { ours: ourGrowth, drizzle: drizzleGrowth },
    snapshotBytes: {
      ours: oursReady ? statSync(path.join(ourMigrations, "snapshot.json")).size : undefined,
      drizzle: drizzleReady
        ? readdirSync(path.join(drizzleOut, "meta"))
            .filter((file) => file.endsWith("_snapshot.json"))
            .reduce((sum, file) => sum + statSync(path.join(drizzleOut, "meta", file)).size, 0)
        : undefined,
    },
  };
}

/**
 * ClearLift's own schema, ours only (drizzle-kit has no such schema): generate and check with no change, and the
 * column issue 14 names, declared in the middle of DB.organizations, cold and with the render caches of the same
 * change kept. Every change run must write one migration holding one ALTER TABLE ... ADD COLUMN (clearlift.ts).
 */
async function measureClearLift(project: ClearLiftProject): Promise<ClearLiftResult> {
  const label = (text: string) => `[ClearLift] ${text}`;
  const saved = saveOutputs(project);
  const unchanged = () => {
    restoreOutputs(project, saved);
    setAddedColumn(project, false);
    removeCaches(project);
  };
  const coldUnchanged = await measureInterleaved(
    [
      {
        id: "clearLiftNoChangeCold",
        label: label("d1-schema generate --no-cache, no change, no caches"),
        command: ours(project, "generate", "--no-cache"),
        prepare: unchanged,
        verify: expect(/no changes/, "no changes"),
      },
      {
        id: "clearLiftCheckCold",
        label: label("d1-schema check --no-cache, no caches"),
        command: ours(project, "check", "--no-cache"),
        prepare: unchanged,
        verify: expect(/check passed/, "check passed"),
      },
    ],
    measureOptions,
  );
  const alter: ClearLiftResult["alter"] = { verified: undefined };
  let growth: Growth | undefined;
  const verifyChange = () => {
    growth = growthSince(project, saved);
    const { migration, problem } = verifyOneAlter(project, growth);
    if (problem) Object.assign(alter, { verified: false, migration, problem });
    else if (alter.verified === undefined) Object.assign(alter, { verified: true, migration });
    return problem;
  };
  const change = await measureInterleaved(
    [
      {
        id: "clearLiftAddColumnCold",
        label: label(`d1-schema generate, ${clearLiftChange.table} gains a column mid-table, no caches`),
        command: ours(project, "generate"),
        prepare: () => {
          restoreOutputs(project, saved);
          removeCaches(project);
          setAddedColumn(project, true);
        },
        verify: verifyChange,
      },
      {
        id: "clearLiftAddColumn",
        label: label(`d1-schema generate, ${clearLiftChange.table} gains a column mid-table, render caches warm`),
        command: ours(project, "generate"),
        prepare: () => {
          restoreOutputs(project, saved);
          setAddedColumn(project, true);
        },
        verify: verifyChange,
      },
    ],
    measureOptions,
  );
  setAddedColumn(project, false);
  restoreOutputs(project, saved);
  const measurements = [...coldUnchanged, ...change];
  return {
    tables: project.tables,
    databases: project.databases,
    schemaFiles: project.schemaFiles,
    change: clearLiftChange,
    measurements: Object.fromEntries(measurements.map((measurement) => [measurement.id, measurement])),
    growth,
    alter,
  };
}

function readMigration(dir: string, position: number): string {
  const file = sqlFiles(dir)[position];
  return file ? readFileSync(path.join(dir, file), "utf8") : "";
}

async function runProfile(): Promise<void> {
  const size = Number(options["profile-size"]);
  const projects = createProjects(size, seed, tool.dsl);
  temporary.add(() => projects.remove());
  try {
    log(`profile: ${size} tables in ${projects.root}; generating the whole schema first`);
    const first = await runOnce(ours(projects.ours, "generate"), measureOptions.timeoutSeconds);
    if (first.exitCode !== 0) throw new Error(`generate failed: ${lastLines(first.stderr)}`);
    const summaries = [];
    const situations = [
      { label: "generate, no change", command: "generate" as const },
      { label: "check", command: "check" as const },
      { label: "generate, one added column", command: "generate" as const, prepare: () => setAddedColumn(projects.ours, true) },
    ];
    for (const situation of situations) {
      log(`profile: d1-schema ${situation.label} under --cpu-prof`);
      situation.prepare?.();
      const label = `d1-schema ${situation.label}, ${size.toLocaleString("en-US")} tables`;
      // --no-cache: the run cache would answer in a tenth of a second and leave nothing to profile.
      summaries.push(await profileCommand(label, ours(projects.ours, situation.command, "--no-cache"), projects.ours.dir, measureOptions.timeoutSeconds));
    }
    const info = machine();
    const markdown = [
      `# Where the time goes (\`npm run bench -- --profile\`)`,
      "",
      `${info.date.slice(0, 10)}, ${info.cpus} CPUs (${info.cpuModel}), ${info.memoryGb.toFixed(0)} GB, Node ${info.node}, d1-schema ${info.commit}. ` +
        "Self time from `node --cpu-prof`, grouped into areas, modules and functions. The CLI runs compiled (generator/ bundled " +
        "into one file by bin/compiled-tool.js, built before the profiled runs), so generator functions are named by that bundle's " +
        "lines, not by their source files; the schema files are bundled by esbuild (io/schema-bundle.ts), which compiles in its own " +
        "process, outside these profiles. Inclusive times cover the synchronous part of a function only. Every command runs with " +
        "`--no-cache` (the run cache would answer at once); the render caches are as the first generate left them.",
      "",
      ...summaries.map(renderProfileMarkdown),
    ].join("\n");
    const file = options.out ?? path.join(benchDir, "PROFILE.md");
    writeFileSync(file, `${markdown.trimEnd()}\n`);
    console.log(markdown);
    log(`profile: wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    if (options.keep) log(`profile: kept ${projects.root}`);
    else projects.remove();
  }
}

async function runBench(): Promise<void> {
  const started = Date.now();
  log(`bench: sizes ${sizes.join(", ")}; ${runs} timed runs a scenario (budget ${measureOptions.budgetSeconds} s each); seed ${seed}`);
  // Copied now, with the tool: the repository's schema and outputs as they are when the run starts.
  const clearLiftProject = options["no-clearlift"] ? undefined : createClearLiftProject(repoRoot, tool.root);
  if (clearLiftProject) temporary.add(() => clearLiftProject.remove());
  const [floor] = await measureInterleaved(
    [{ id: "floor", label: "floor: node -e 0", command: { argv: [node, "-e", "0"], cwd: repoRoot }, verify: () => undefined }],
    {
      ...measureOptions,
      runs: Math.max(runs, 10),
    },
  );
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const projects = createProjects(size, seed, tool.dsl);
    temporary.add(() => projects.remove());
    log(`[${size} tables] projects in ${projects.root}`);
    try {
      results.push(await measureSize(projects, floor));
    } finally {
      if (options.keep) log(`[${size} tables] kept ${projects.root}`);
      else projects.remove();
    }
  }
  let clearLift: ClearLiftResult | undefined;
  if (clearLiftProject) {
    log(`[ClearLift] ${clearLiftProject.tables} tables in ${clearLiftProject.dir}`);
    try {
      clearLift = await measureClearLift(clearLiftProject);
    } finally {
      if (options.keep) log(`[ClearLift] kept ${clearLiftProject.dir}`);
      else clearLiftProject.remove();
    }
  }
  const markdown = renderResults(results, clearLift, machine(), {
    runs,
    seed,
    budgetSeconds: measureOptions.budgetSeconds,
    minutes: (Date.now() - started) / 60000,
    compiledToolKept: compiledToolKept(),
  });
  console.log(markdown);
  const out = options.out ?? path.join(benchDir, "RESULTS.md");
  writeFileSync(out, markdown);
  log(`bench: wrote ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

ensureBenchDependencies();
const started = Date.now();
const buildDir = await buildCompiledTool(tool).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  cleanUp();
  process.exit(2);
});
log(`bench: compiled tool ready in ${buildDir} (${((Date.now() - started) / 1000).toFixed(1)} s, before any measured run)`);
const buildIdentity = statSync(buildDir).ino;
/**
 * Whether every run used the build made before them (a removed and rebuilt one is another folder). Only --live
 * shares its build with other checkouts, whose runs clear builds of other sources after an hour.
 */
const compiledToolKept = () => existsSync(path.join(buildDir, "cli.js")) && statSync(buildDir).ino === buildIdentity;
try {
  await (options.profile ? runProfile() : runBench());
  if (!compiledToolKept()) log(`bench: the compiled tool in ${buildDir} was removed or rebuilt during the run; some run paid for a build`);
} finally {
  cleanUp();
  if (options.keep && !options.live) log(`bench: kept ${tool.root}`);
}
