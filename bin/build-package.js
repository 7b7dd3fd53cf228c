// `npm pack` and `npm publish` run this first (prepack): the published package's dist/, so that a project that
// installs the tool runs compiled JavaScript and never needs a TypeScript loader or this repository's source.
//   dist/cli.js, dist/run-cache.js  the CLI as bin/d1-schema.js loads it (bundled like bin/compiled-tool.js's build)
//   dist/index.js                   what `import { table, defineConfig } from "d1-schema-kit"` loads
//   dist/index.d.ts, dist/types/    its declarations
// Plain JavaScript, like the rest of bin/. Run it by hand with `node bin/build-package.js [outdir]`.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleOptions, toolEntryPoints, toolManifest } from "./compiled-tool.js";

/** Builds the package's dist/ from the source in `toolRoot`; returns the folder. */
export async function buildPackage(toolRoot, outdir = path.join(toolRoot, "dist")) {
  const { build } = await import("esbuild");
  await rm(outdir, { recursive: true, force: true });
  const options = bundleOptions(toolRoot);
  await build({
    ...options,
    entryPoints: { ...toolEntryPoints, index: "generator/public.ts" },
    outdir,
    define: {
      __D1_SCHEMA_PACKAGED__: "true",
      __D1_SCHEMA_VERSION__: JSON.stringify((await toolManifest(toolRoot)).version ?? "unknown"),
      __D1_SCHEMA_RENDER_FINGERPRINT__: JSON.stringify(await renderingFingerprint(toolRoot)),
    },
  });
  await writeDeclarations(toolRoot, outdir);
  return outdir;
}

/**
 * The fingerprint that stamps derived files (generator/io/fingerprint.ts), computed from the source the package is
 * built from: the same source gives the same stamps whether the tool runs from its repository or from the package.
 */
async function renderingFingerprint(toolRoot) {
  const { build } = await import("esbuild");
  const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-fingerprint-"));
  try {
    const file = path.join(dir, "fingerprint.mjs");
    await build({
      ...bundleOptions(toolRoot),
      entryPoints: ["generator/io/fingerprint.ts"],
      outfile: file,
      define: { __D1_SCHEMA_GENERATOR_DIR__: JSON.stringify(path.join(toolRoot, "generator")) },
    });
    const { generatorFingerprint } = await import(pathToFileURL(file).href);
    return await generatorFingerprint();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * TypeScript's declarations of the entry and the files it reaches. The model's types are inferred from zod
 * schemas, so they import zod; they import it as `zod/v4`, the entry zod 3.25+ and zod 4 both have (the generated
 * files do the same), so a project's zod of either line type-checks them.
 */
async function writeDeclarations(toolRoot, outdir) {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const typesDir = path.join(outdir, "types");
  const args = ["generator/public.ts", "--declaration", "--emitDeclarationOnly", "--outDir", typesDir, "--rootDir", "generator"];
  const flags = ["--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022", "--strict", "--skipLibCheck"];
  const result = spawnSync(process.execPath, [tsc, ...args, ...flags], { cwd: toolRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tsc failed to write the package's declarations:\n${result.stdout}${result.stderr}`);
  for (const entry of await readdir(typesDir, { recursive: true })) {
    if (!entry.endsWith(".d.ts")) continue;
    const file = path.join(typesDir, entry);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replaceAll(/from "zod"/g, 'from "zod/v4"'));
  }
  await writeFile(path.join(outdir, "index.d.ts"), 'export * from "./types/public.js";\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const toolRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const outdir = await buildPackage(toolRoot, process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`built ${path.relative(process.cwd(), outdir) || "."}`);
}
