// Production's state, which d1-schema never asks Cloudflare for: the saved output of `wrangler d1 execute --remote
// --json` listing a database's d1_migrations, given on the command line.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { WranglerStateError } from "./state-error.js";

/** `wrangler d1 execute <DB> --remote --json --command "SELECT name FROM d1_migrations"`, or just the names. */
const savedNames = z.union([z.array(z.object({ results: z.array(z.object({ name: z.string() })) })).min(1), z.array(z.string())]);

/**
 * Production's applied migrations per binding, from saved files. Each spec is `BINDING=FILE` (the file holds one
 * binding's wrangler output or array of names) or `FILE` (a JSON object mapping bindings to either).
 */
export async function readRemoteStatus(specs: readonly string[]): Promise<Map<string, string[]>> {
  const applied = new Map<string, string[]>();
  for (const spec of specs) {
    const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
    const file = named ? named[2] : spec;
    const text = await readFile(file, "utf8").catch(() => {
      throw new WranglerStateError(`--remote-status: cannot read ${file}`);
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new WranglerStateError(`--remote-status: ${file} is not JSON: ${(error as Error).message}`);
    }
    const isMapping = typeof json === "object" && json !== null && !Array.isArray(json);
    if (!named && !isMapping) {
      throw new WranglerStateError(
        `--remote-status: ${file} is not a JSON object mapping bindings to saved d1_migrations names; for one binding's wrangler output write --remote-status BINDING=${file}`,
      );
    }
    const entries: [string, unknown][] = named ? [[named[1], json]] : Object.entries(json as object);
    for (const [binding, value] of entries) {
      const parsed = savedNames.safeParse(value);
      if (!parsed.success) {
        throw new WranglerStateError(
          `--remote-status: ${file}${named ? "" : ` (${binding})`} is neither the output of \`wrangler d1 execute ${binding} --remote --json --command "SELECT name FROM d1_migrations"\` nor an array of names`,
        );
      }
      applied.set(binding, parsed.data.map((entry) => (typeof entry === "string" ? entry : entry.results.map((row) => row.name))).flat());
    }
  }
  return applied;
}
