#!/usr/bin/env node
// `npx d1-schema`: the CLI runs compiled (bin/compiled-tool.js). Before loading it, `generate` and `check` ask the
// run cache whether anything they read changed since their last success.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compiledTool } from "./compiled-tool.js";

const tool = await compiledTool(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
const { startRun } = await import(tool.runCache);
const replay = await startRun(process.argv.slice(2));
if (replay) {
  if (process.env.D1_SCHEMA_CACHE_TRACE) process.stderr.write("d1-schema: nothing changed since the last successful run\n");
  process.stdout.write(replay.stdout);
} else {
  await import(tool.cli);
}
