// The CLI runs compiled: generator/ bundled by esbuild into one JavaScript file (plus the run cache beside it),
// because loading ~140 TypeScript modules through a loader on every run cost more than the work itself (at 180
// tables, 0.8 s of a 1.3 s generate was module loading). In this repository the bundle is built on first use and
// again whenever a file under generator/ changes: it is filed by a hash of generator/'s content, so a run never
// executes a bundle older than the source beside it, and concurrent runs that build at once all end with the same
// files (each builds in a folder of its own and renames it into place; the first rename wins).
//
// Plain JavaScript on purpose: it runs before anything can load TypeScript.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The CLI, and the run cache bin/d1-schema.js consults before loading it. */
export const toolEntryPoints = { cli: "generator/cli/main.ts", "run-cache": "generator/cli/run-cache/run-cache.js" };

/** file: URLs of the compiled CLI and of the run cache it shares with bin/d1-schema.js (one module, one state). */
export async function compiledTool(toolRoot) {
  // Filed by the checkout too: a build knows where its generator/ and bin/ are (the fingerprint reads them), and a
  // worktree or a copy sharing this node_modules must not run a build that reads another checkout's files.
  const digest = await sourceDigest(toolRoot);
  const buildsDir = path.join(toolRoot, "node_modules", ".cache", "d1-schema");
  const outdir = path.join(buildsDir, `tool-${digest}`);
  if (!existsSync(path.join(outdir, "cli.js"))) await buildInto(toolRoot, buildsDir, outdir);
  return { cli: pathToFileURL(path.join(outdir, "cli.js")).href, runCache: pathToFileURL(path.join(outdir, "run-cache.js")).href };
}

/** A hash of the checkout's path and every file under its generator/ (paths and bytes), 8 ms for the whole tree. */
async function sourceDigest(toolRoot) {
  const generatorDir = path.join(toolRoot, "generator");
  const files = (await readdir(generatorDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  // This file (how the build is made), package.json (the version it reports) and the lockfile (the versions of what
  // the bundle takes in) decide it too.
  for (const file of ["bin/compiled-tool.js", "package.json", "package-lock.json"].map((name) => path.join(toolRoot, name))) {
    if (existsSync(file)) files.push(file);
  }
  const hash = createHash("sha256").update(toolRoot);
  const contents = await Promise.all(files.map((file) => readFile(file)));
  files.forEach((file, index) => {
    hash.update(`\0${path.relative(toolRoot, file)}\0${contents[index].length}\0`);
    hash.update(contents[index]);
  });
  return hash.digest("base64url").slice(0, 16);
}

async function buildInto(toolRoot, buildsDir, outdir) {
  const { build } = await import("esbuild");
  const staging = `${outdir}.${process.pid}.tmp`;
  const options = bundleOptions(toolRoot);
  await build({
    ...options,
    entryPoints: toolEntryPoints,
    outdir: staging,
    // Code that reads the tool's own files (the rendering fingerprint, the run cache's digest of the tool) finds
    // them here rather than beside the bundle.
    define: {
      __D1_SCHEMA_GENERATOR_DIR__: JSON.stringify(path.join(toolRoot, "generator")),
      __D1_SCHEMA_TOOL_ROOT__: JSON.stringify(toolRoot),
      __D1_SCHEMA_VERSION__: JSON.stringify((await toolManifest(toolRoot)).version ?? "unknown"),
    },
  });
  try {
    await rename(staging, outdir);
  } catch (error) {
    // Another run built the same source first: its files are the same as ours.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(outdir, "cli.js"))) throw error;
  }
  await removeOlderBuilds(buildsDir, path.basename(outdir));
}

/**
 * How the tool is bundled, here and for the published package (bin/build-package.js): one ES module per entry point
 * for Node 20, sharing one run cache.
 */
export function bundleOptions(toolRoot) {
  return {
    absWorkingDir: toolRoot,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Pure-JavaScript dependencies every run loads (zod, yargs, the config parsers) are bundled in: resolving and
    // compiling their many small modules cost more than the bundle's own code. The native one (better-sqlite3), the
    // bundler itself and what loads only on demand (prettier, ts-morph, sql-formatter) stay in node_modules.
    external: ["better-sqlite3", "esbuild", "prettier", "ts-morph", "sql-formatter", "sql-formatter/*"],
    // A package's ES module build where it has one (jsonc-parser's CommonJS build requires its parts dynamically).
    mainFields: ["module", "main"],
    plugins: [sharedRunCache],
    logLevel: "error",
  };
}

/** The tool's package.json; a copy of the tool without one (a test project) still builds. */
export async function toolManifest(toolRoot) {
  return readFile(path.join(toolRoot, "package.json"), "utf8").then(JSON.parse, () => ({}));
}

/** The CLI imports the run cache bin/ already loaded, not a copy of its own: both must see the run under way. */
const sharedRunCache = {
  name: "shared-run-cache",
  setup(build) {
    build.onResolve({ filter: /\/run-cache\.js$/ }, (args) => (args.kind === "entry-point" ? undefined : { path: "./run-cache.js", external: true }));
  },
};

/**
 * Builds of earlier sources, an hour after they were made: another checkout sharing this node_modules (a worktree,
 * the bench's frozen copy) may still be starting runs from one.
 */
async function removeOlderBuilds(buildsDir, current) {
  const entries = await readdir(buildsDir).catch(() => []);
  const anHourAgo = Date.now() - 60 * 60 * 1000;
  await Promise.all(
    entries
      .filter((name) => name.startsWith("tool-") && name !== current)
      .map(async (name) => {
        const dir = path.join(buildsDir, name);
        const built = await stat(dir).then(
          (info) => info.mtimeMs,
          () => Date.now(),
        );
        if (built < anHourAgo) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }),
  );
}
