#!/usr/bin/env node
// `npx d1-schema`: the CLI runs compiled (bin/compiled-tool.js here, dist/ in the package). Before loading it, `generate` and `check` ask the
// run cache whether anything they read changed since their last success.
//
// Only syntax every Node.js still in use parses comes before the version check: on an older Node the tool says
// what it needs and exits 2 (bad input), not with a SyntaxError from deep inside.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `error: d1-schema needs Node.js 20.19 or later; this is Node.js ${process.versions.node}\n  fix: install a current Node.js (https://nodejs.org), then run the command again\n`,
  );
  process.exit(2);
}
const path = await import("node:path");
const { existsSync } = await import("node:fs");
const { fileURLToPath, pathToFileURL } = await import("node:url");

const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// In its repository the tool has its source and compiles it on first use; the published package has only dist/.
const tool = existsSync(path.join(toolRoot, "generator", "cli", "main.ts"))
  ? await (await import("./compiled-tool.js")).compiledTool(toolRoot)
  : { cli: pathToFileURL(path.join(toolRoot, "dist", "cli.js")).href, runCache: pathToFileURL(path.join(toolRoot, "dist", "run-cache.js")).href };
const { startRun } = await import(tool.runCache);
const replay = await startRun(process.argv.slice(2));
if (replay) {
  if (process.env.D1_SCHEMA_CACHE_TRACE) process.stderr.write("d1-schema: nothing changed since the last successful run\n");
  process.stdout.write(replay.stdout);
} else {
  await import(tool.cli);
}
