// The d1-schema under test, frozen: a run takes minutes, and an edit to generator/ in the meantime would change
// the tool between two runs (its stamps hash the generator's source, so a "no change" run would rewrite files).
// The copy holds bin/, generator/ and bench/core.ts, with node_modules linked to the repository's install.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

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
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"), "dir");
  return at(root, () => rmSync(root, { recursive: true, force: true }));
}
