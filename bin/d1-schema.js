#!/usr/bin/env node
// `npx d1-schema`: the CLI is TypeScript and loads TypeScript schema files, so it runs under tsx. Before paying for
// that, `generate` and `check` ask the run cache whether anything they read changed since their last success.
import { noteImport, startRun } from "../generator/cli/run-cache/run-cache.js";

const argv = process.argv.slice(2);
const replay = await startRun(argv);
if (replay) {
  if (process.env.D1_SCHEMA_CACHE_TRACE) process.stderr.write("d1-schema: nothing changed since the last successful run\n");
  process.stdout.write(replay.stdout);
} else {
  const { register } = await import("tsx/esm/api");
  register({ onImport: noteImport });
  await import("../generator/cli/main.ts");
}
