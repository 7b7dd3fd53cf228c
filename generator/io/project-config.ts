// The project's d1-schema.config.ts (dsl/config.ts says what it holds), read once per run into the ProjectPaths
// every command works with. A project without one gets the defaults: the layout this repository uses.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { D1SchemaConfig } from "../dsl/config.js";
import { SchemaError } from "../model/errors.js";
import { projectPaths, type ProjectPaths } from "./paths.js";
import { projectConfigFileNames } from "./project-config-names.js";
import { ProjectFileError } from "./project-file-error.js";
import { importSchemaModules } from "./schema-bundle.js";

const folder = z.string().min(1, "must name a folder");
const configSchema = z.strictObject({
  schema: folder.optional(),
  migrations: folder.optional(),
  generated: folder.optional(),
  docs: folder.optional(),
  wrangler: z.string().min(1, "must name a file").optional(),
}) satisfies z.ZodType<D1SchemaConfig>;

type Listener = (paths: ProjectPaths) => void;
const listeners = new Set<Listener>();

/** Tells `listener` the paths each load of a config gave (the run cache hashes what they name). */
export function onProjectConfigLoaded(listener: Listener): void {
  listeners.add(listener);
}

/** The config file in `root`, if the project has one. */
export function findProjectConfig(root: string): string | undefined {
  return projectConfigFileNames.map((name) => path.join(root, name)).find((file) => existsSync(file));
}

/**
 * The project's paths: the defaults, with what d1-schema.config.ts sets (relative to the root). A config that does
 * not compile or throws is a SchemaError at its line (io/schema-bundle.ts); one that is not a config is a
 * ProjectFileError naming the field.
 */
export async function loadProjectPaths(root: string): Promise<ProjectPaths> {
  const absoluteRoot = path.resolve(root);
  const file = findProjectConfig(absoluteRoot);
  const defaults = projectPaths(absoluteRoot);
  if (!file) return defaults;
  const name = path.basename(file);
  const [module] = await importSchemaModules([{ file, folder: "" }], absoluteRoot).catch((error: unknown) => {
    // The loader's error names the file and line; the fix is about the config, not a schema file.
    if (!(error instanceof SchemaError)) throw error;
    throw new ProjectFileError(error.problem, "", `correct ${name} at that line: it runs whenever d1-schema starts`);
  });
  const parsed = configSchema.safeParse(module?.default);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".");
    const problem =
      module?.default === undefined
        ? "has no default export"
        : issue?.code === "unrecognized_keys"
          ? `has an unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}`
          : `${field ? `field "${field}" ` : ""}${issue?.message ?? "is not a config"}`;
    throw new ProjectFileError(
      name,
      problem,
      `export default defineConfig({ ... }) with any of schema, migrations, generated, docs (folders) and wrangler (a file), paths relative to ${name}`,
    );
  }
  const config = parsed.data;
  const at = (value: string | undefined, fallback: string) => (value === undefined ? fallback : path.resolve(absoluteRoot, value));
  const paths: ProjectPaths = {
    root: absoluteRoot,
    schemaDir: at(config.schema, defaults.schemaDir),
    migrationsDir: at(config.migrations, defaults.migrationsDir),
    generatedDir: at(config.generated, defaults.generatedDir),
    docsDir: at(config.docs, defaults.docsDir),
    wranglerConfig: config.wrangler === undefined ? undefined : path.resolve(absoluteRoot, config.wrangler),
  };
  for (const listener of listeners) listener(paths);
  return paths;
}
