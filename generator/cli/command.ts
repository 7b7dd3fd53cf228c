// The shape of one CLI command: its yargs definition and a run function that prints and returns the exit code.
// One file per command under cli/, registered in cli/main.ts; the work itself lives in commands/.
import type { Argv } from "yargs";
import { renderFinding, type Finding } from "../model/finding.js";

export const exitCodes = { ok: 0, finding: 1, badInput: 2 } as const;

export interface GlobalArgs {
  root: string;
  cache: boolean;
}

export interface CliCommand<Args> {
  command: string;
  describe: string;
  options: (yargs: Argv<GlobalArgs>) => Argv<Args>;
  /**
   * Whether this run writes project files: then main.ts runs it holding the project lock, after completing any
   * interrupted write (io/project-lock.ts). Omitted: the command only reads.
   */
  writes?: (args: Args) => boolean;
  run: (args: Args) => Promise<number>;
}

/** A misuse of the command line (exit 2), as opposed to a problem in the schema. */
export class UsageError extends Error {}

export function defineCommand<Args>(definition: CliCommand<Args>): CliCommand<Args> {
  return definition;
}

/** Findings as the commands list them under their verdict (`check failed:`): `  - place: message: fix`. */
export function findingList(findings: readonly Finding[]): string {
  return findings.map((finding) => `  - ${renderFinding(finding)}`).join("\n");
}
