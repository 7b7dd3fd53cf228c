// Where this tool's own source lives. Run from source (tests), that is beside this file; run compiled
// (bin/compiled-tool.js), the bundle sits elsewhere and the build tells it where generator/ is.
import path from "node:path";
import { fileURLToPath } from "node:url";

declare const __D1_SCHEMA_GENERATOR_DIR__: string | undefined;

/** The generator/ folder: its files shape the rendering fingerprint, and `pull` writes imports of its DSL. */
export const generatorDir: string =
  typeof __D1_SCHEMA_GENERATOR_DIR__ === "string" ? __D1_SCHEMA_GENERATOR_DIR__ : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
