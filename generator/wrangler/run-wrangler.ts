// Running the project's own wrangler, never `npx`: npx may reach the network or pick another version, and the
// version pinned beside the schema is the one whose output `apply` reads.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { SchemaError } from "../model/errors.js";

export interface WranglerResult {
  /** The exit code, or null when wrangler was killed (a timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `wrangler <args>` in `cwd`; injected in tests, so that `--remote` can be checked without a network. */
export type WranglerRunner = (args: readonly string[], options: { cwd: string }) => Promise<WranglerResult>;

/** Long enough for a large remote migration; a local one takes seconds. */
const defaultTimeoutMs = 10 * 60_000;
const killGraceMs = 5_000;

export interface RunnerOptions {
  timeoutMs?: number;
  /** Added to wrangler's environment (tests keep WRANGLER_LOG_PATH in their temporary folder). */
  env?: Record<string, string>;
}

/** A runner for the wrangler installed in the project at `root` (or, failing that, beside d1-schema). */
export function localWranglerRunner(root: string, options: RunnerOptions = {}): WranglerRunner {
  const script = wranglerScript(root);
  const env = { ...wranglerEnv(), ...options.env };
  return (args, { cwd }) => runWrangler(script, args, cwd, env, options.timeoutMs ?? defaultTimeoutMs);
}

function wranglerScript(root: string): string {
  for (const from of [path.join(path.resolve(root), "package.json"), import.meta.url]) {
    try {
      const manifest = createRequire(from).resolve("wrangler/package.json");
      const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin?: Record<string, string> }).bin?.wrangler;
      if (bin) return path.join(path.dirname(manifest), bin);
    } catch {
      // Not installed there; try the next place.
    }
  }
  throw new SchemaError({ database: "wrangler" }, "is not installed in this project", "npm install --save-dev --save-exact wrangler");
}

function runWrangler(script: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<WranglerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env,
      // No stdin: with CI=true and no TTY wrangler takes the default "yes" of its confirm prompt instead of waiting.
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // SIGTERM first, so wrangler can stop the local engine (workerd) it started; SIGKILL if it does not exit.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), killGraceMs).unref();
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr), timedOut });
    });
  });
}

function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Non-interactive: no prompts, no browser login; the confirm prompt of `migrations apply` answers yes.
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

// wrangler colours its error box even with NO_COLOR and FORCE_COLOR=0, and its output is parsed as plain text.
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the ESC character is the point
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
