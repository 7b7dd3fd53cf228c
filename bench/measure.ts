// Whole-process measurements: wall time from spawn to exit, and peak resident memory from GNU time (`%M`), or,
// where /usr/bin/time is missing, from the child's VmHWM in /proc polled while it runs.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface RunResult {
  seconds: number;
  /** Peak resident set size in MB (undefined when it could not be read). */
  peakMb?: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Command {
  argv: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

const gnuTime = "/usr/bin/time";
export const memorySource = existsSync(gnuTime) ? "GNU time %M (peak RSS)" : "/proc/<pid>/status VmHWM, polled";

/** Process groups of the runs under way, so that an interrupted bench can end them (they are detached). */
const running = new Set<number>();
const scratchDirs = new Set<string>();

/** Ends every run under way (on Ctrl-C: the runs are in their own process groups and would outlive the bench). */
export function killRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
}

/** Runs one command to completion (or kills its process group after `timeoutSeconds`). */
export async function runOnce(command: Command, timeoutSeconds: number): Promise<RunResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "d1-schema-bench-time-"));
  scratchDirs.add(scratch);
  const timeFile = path.join(scratch, "time.txt");
  const argv = existsSync(gnuTime) ? [gnuTime, "-f", "%M", "-o", timeFile, ...command.argv] : command.argv;
  const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...command.env };
  const started = process.hrtime.bigint();
  // Its own process group, so a timeout ends the tool and everything it started, and nothing else.
  const child = spawn(argv[0], argv.slice(1), { cwd: command.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  if (child.pid !== undefined) running.add(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let polledKb = 0;
  const poll = existsSync(gnuTime)
    ? undefined
    : setInterval(() => {
        try {
          const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
          if (match) polledKb = Math.max(polledKb, Number(match[1]));
        } catch {
          // The process has just exited; the last reading stands.
        }
      }, 25);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, timeoutSeconds * 1000);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.pid !== undefined) running.delete(child.pid);
  clearTimeout(timer);
  if (poll) clearInterval(poll);
  let peakKb: number | undefined = polledKb || undefined;
  if (existsSync(timeFile)) {
    // GNU time prints "Command exited with non-zero status N" before the value when the command fails.
    const lines = readFileSync(timeFile, "utf8").trim().split("\n");
    const value = Number(lines[lines.length - 1]);
    if (Number.isFinite(value) && value > 0) peakKb = value;
  }
  rmSync(scratch, { recursive: true, force: true });
  scratchDirs.delete(scratch);
  return { seconds, peakMb: peakKb === undefined ? undefined : peakKb / 1024, exitCode, stdout, stderr, timedOut };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One situation measured for one tool. */
export interface Scenario {
  id: string;
  label: string;
  command: Command;
  /** Puts the project in the situation before every run (untimed). */
  prepare?: () => void;
  /** Undefined when the run did what it should; otherwise what went wrong. */
  verify: (result: RunResult) => string | undefined;
  /**
   * The untimed first run only puts the project in the situation (it fills the run cache the timed runs answer
   * from): its time does not cut the runs to the budget, and its peak memory is not the situation's.
   */
  firstRunFills?: boolean;
}

export interface Measurement {
  id: string;
  label: string;
  /** Timed runs (after the untimed first run). */
  runs: RunResult[];
  /** The first run, untimed: it fills the OS's file cache (and the tool's, for a scenario whose first run fills it). */
  first?: RunResult;
  /** The first run filled the cache the timed runs use: its peak memory is left out. */
  firstRunFills?: boolean;
  medianSeconds?: number;
  minSeconds?: number;
  maxSeconds?: number;
  /** The highest peak RSS over all runs, the first included (unless it only filled a cache). */
  peakMb?: number;
  /** Why fewer runs than asked, or why there is no number. */
  note?: string;
  failed?: string;
}

export interface MeasureOptions {
  runs: number;
  /** Seconds of timed runs a scenario may take; slower scenarios get fewer runs (at least one). */
  budgetSeconds: number;
  timeoutSeconds: number;
  log: (line: string) => void;
}

/**
 * Measures scenarios round-robin (ours, drizzle-kit, ours, ...) so that load from other processes on the machine
 * falls on both tools alike. Each scenario first runs once untimed; its runs are then cut to fit the budget.
 */
export async function measureInterleaved(scenarios: readonly Scenario[], options: MeasureOptions): Promise<Measurement[]> {
  const measurements = scenarios.map((scenario): Measurement => ({ id: scenario.id, label: scenario.label, runs: [] }));
  const planned: number[] = [];
  for (const [position, scenario] of scenarios.entries()) {
    const measurement = measurements[position];
    scenario.prepare?.();
    const first = await runOnce(scenario.command, options.timeoutSeconds);
    measurement.first = first;
    measurement.firstRunFills = scenario.firstRunFills;
    const problem = describeProblem(first, scenario, options.timeoutSeconds);
    options.log(`${scenario.label}: first run ${first.seconds.toFixed(2)} s${problem ? ` (${problem})` : ""}`);
    if (problem) {
      measurement.failed = problem;
      planned.push(0);
      continue;
    }
    const fitting = scenario.firstRunFills ? options.runs : Math.floor(options.budgetSeconds / first.seconds);
    if (fitting === 0) {
      // Slower than the whole budget: the first run is the only measurement.
      measurement.runs.push(first);
      measurement.note = `1 run (the first, untimed one) instead of ${options.runs}: it took ${first.seconds.toFixed(1)} s, over the ${options.budgetSeconds} s budget a scenario`;
      planned.push(0);
      continue;
    }
    planned.push(Math.min(options.runs, fitting));
    if (fitting < options.runs) {
      measurement.note = `${fitting} run(s) instead of ${options.runs}: one run takes ${first.seconds.toFixed(1)} s (budget ${options.budgetSeconds} s a scenario)`;
    }
  }
  const rounds = Math.max(0, ...planned);
  for (let round = 0; round < rounds; round++) {
    for (const [position, scenario] of scenarios.entries()) {
      const measurement = measurements[position];
      if (round >= planned[position] || measurement.failed) continue;
      scenario.prepare?.();
      const result = await runOnce(scenario.command, options.timeoutSeconds);
      const problem = describeProblem(result, scenario, options.timeoutSeconds);
      options.log(
        `${scenario.label}: run ${round + 1}/${planned[position]} ${result.seconds.toFixed(2)} s${result.peakMb ? `, ${result.peakMb.toFixed(0)} MB` : ""}${problem ? ` (${problem})` : ""}`,
      );
      if (problem) {
        measurement.failed = problem;
        continue;
      }
      measurement.runs.push(result);
    }
  }
  for (const measurement of measurements) summarize(measurement);
  return measurements;
}

function describeProblem(result: RunResult, scenario: Scenario, timeoutSeconds: number): string | undefined {
  if (result.timedOut) return `timed out after ${timeoutSeconds} s`;
  if (result.exitCode !== 0) return `exit code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`;
  return scenario.verify(result);
}

export function lastLines(text: string, count = 3): string {
  return text.trim().split("\n").slice(-count).join(" / ").slice(0, 400);
}

export function summarize(measurement: Measurement): void {
  const seconds = measurement.runs.map((run) => run.seconds);
  const peaks = [...(measurement.firstRunFills ? [] : [measurement.first]), ...measurement.runs].flatMap((run) =>
    run?.peakMb === undefined ? [] : [run.peakMb],
  );
  if (seconds.length > 0) {
    measurement.medianSeconds = median(seconds);
    measurement.minSeconds = Math.min(...seconds);
    measurement.maxSeconds = Math.max(...seconds);
  }
  if (peaks.length > 0) measurement.peakMb = Math.max(...peaks);
}
