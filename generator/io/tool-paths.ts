// Where this tool's own source lives. Run from source (tests), that is beside this file; run compiled
// (bin/compiled-tool.js), the bundle sits elsewhere and the build tells it where generator/ is.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

declare const __D1_SCHEMA_GENERATOR_DIR__: string | undefined;
declare const __D1_SCHEMA_VERSION__: string | undefined;

/** The generator/ folder: its files shape the rendering fingerprint, and `pull` writes imports of its DSL. */
export const generatorDir: string =
  typeof __D1_SCHEMA_GENERATOR_DIR__ === "string" ? __D1_SCHEMA_GENERATOR_DIR__ : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** This tool's version (its package.json's), whatever project it runs in. */
export function toolVersion(): string {
  if (typeof __D1_SCHEMA_VERSION__ === "string") return __D1_SCHEMA_VERSION__;
  try {
    return (JSON.parse(readFileSync(path.join(generatorDir, "..", "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}
