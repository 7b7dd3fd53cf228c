// What wrangler prints, read as plain text: wrangler 4 has no --json for `d1 migrations list` and `apply`, so
// their tables and its `✘ [ERROR]` lines are what `apply` understands.
import type { WranglerResult } from "./run-wrangler.js";

/** What `wrangler d1 migrations list` and `... apply` print about migrations. */
export interface MigrationsOutput {
  /** The "Migrations to be applied" table; empty when wrangler says there are none. */
  pending: string[];
  /** apply's status table, the last status of each file: ✅ applied, ❌ failed, anything else not run. */
  status: Map<string, "applied" | "failed" | "not run">;
  /** wrangler printed "No migrations to apply!". */
  nothingToApply: boolean;
}

export function readMigrationsOutput(stdout: string): MigrationsOutput {
  const pending: string[] = [];
  const status: MigrationsOutput["status"] = new Map();
  for (const line of stdout.split("\n")) {
    const listed = /^│\s*(\S+\.sql)\s*│\s*$/.exec(line);
    if (listed && !pending.includes(listed[1])) pending.push(listed[1]);
    const ran = /^│\s*(\S+\.sql)\s*│\s*(\S+)\s*│\s*$/.exec(line);
    if (ran) status.set(ran[1], ran[2].startsWith("✅") ? "applied" : ran[2].startsWith("❌") ? "failed" : "not run");
  }
  return { pending, status, nothingToApply: /No migrations to apply!/.test(stdout) };
}

/** wrangler's error messages (its `✘ [ERROR]` lines), or the end of its output when it printed none. */
export function wranglerErrors(result: WranglerResult): string[] {
  const output = `${result.stderr}\n${result.stdout}`;
  const errors = [...output.matchAll(/✘ \[ERROR\] (.+)/g)].map((match) => match[1].trim());
  if (errors.length > 0) return errors;
  return output
    .trim()
    .split("\n")
    .slice(-3)
    .map((line) => line.trim())
    .filter(Boolean);
}
