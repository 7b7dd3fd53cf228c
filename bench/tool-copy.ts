// The d1-schema under test, frozen: a run takes minutes, and an edit to generator/ in the meantime would change
// the tool between two runs (its stamps hash the generator's source, so a "no change" run would rewrite files).
// The copy holds bin/, generator/ and bench/core.ts, and a node_modules of its own whose packages link to the
// repository's install. Its node_modules/.cache is its own: the compiled CLI is built there, from the copy's
// generator/, and no other checkout's build (which records where its generator/ lives) is picked up or cleared.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface ToolUnderTest {
  root: string;
  /** bin/d1-schema.js, run as users run it. */
  cli: string;
  /** generator/dsl/index.js, which the synthetic schema files import by absolute path. */
  dsl: string;
  /** bench/core.ts beside that generator. */
  core: string;
  remove(): void;
}

export function toolUnderTest(repoRoot: string, live: boolean): ToolUnderTest {
  const at = (root: string, remove: () => void): ToolUnderTest => ({
    root,
    cli: path.join(root, "bin/d1-schema.js"),
    dsl: path.join(root, "generator/dsl/index.js"),
    core: path.join(root, "bench/core.ts"),
    remove,
  });
  if (live) return at(repoRoot, () => undefined);
  const root = mkdtempSync(path.join(os.tmpdir(), "d1-schema-bench-tool-"));
  for (const entry of ["bin", "generator", "package.json", "tsconfig.json", "bench/core.ts"]) {
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  mkdirSync(path.join(root, "node_modules"));
  for (const entry of readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry !== ".cache") symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(root, "node_modules", entry));
  }
  return at(root, () => rmSync(root, { recursive: true, force: true }));
}

/**
 * Builds the compiled CLI before any run, timed or not: bin/compiled-tool.js bundles generator/ on the first run
 * after it changes, and that build belongs to installing the tool (as drizzle-kit ships compiled JavaScript), not to
 * a command. Runs `node bin/d1-schema.js --version` as a user would, and returns the build's folder.
 */
export async function buildCompiledTool(tool: ToolUnderTest): Promise<string> {
  const result = spawnSync(process.execPath, [tool.cli, "--version"], { cwd: tool.root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`node ${tool.cli} --version failed: ${(result.stderr || result.stdout).trim()}`);
  // The same function bin/d1-schema.js calls: it finds the build just made, and says where it is.
  const { compiledTool } = (await import(pathToFileURL(path.join(tool.root, "bin/compiled-tool.js")).href)) as {
    compiledTool: (root: string) => Promise<{ cli: string }>;
  };
  return path.dirname(fileURLToPath((await compiledTool(tool.root)).cli));
}
