// Where this tool's own source lives. Run from source (tests), that is beside this file; run compiled
// (bin/compiled-tool.js), the bundle sits elsewhere and the build tells it where generator/ is.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

declare const __D1_SCHEMA_GENERATOR_DIR__: string | undefined;
declare const __D1_SCHEMA_VERSION__: string | undefined;
declare const __D1_SCHEMA_PACKAGED__: boolean | undefined;

/**
 * Whether this is the published package (bin/build-package.js): the CLI is dist/cli.js beside dist/index.js, and the
 * tool's TypeScript source is not there. Otherwise the tool runs in its repository, from generator/.
 */
const packaged = typeof __D1_SCHEMA_PACKAGED__ === "boolean" && __D1_SCHEMA_PACKAGED__;

/** The generator/ folder: its files shape the rendering fingerprint. */
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

/** The name projects install this tool under, and import the schema language and defineConfig from. */
export const packageName = "d1-schema-kit";

/**
 * The file `import ... from "d1-schema-kit"` means when the tool loads a schema: its own entry, whatever the project
 * has installed, so the schema language a schema is read with is always the one the tool reading it understands
 * (and a project without node_modules, such as a test's temporary one, still loads). In the repository it is the
 * TypeScript source, which the schema bundle compiles in; in the package, the compiled dist/index.js.
 */
export const publicEntry: string = packaged ? fileURLToPath(new URL("./index.js", import.meta.url)) : path.join(generatorDir, "public.ts");
