// wrangler's config file, read the way wrangler reads it: the first of wrangler.json, wrangler.jsonc and
// wrangler.toml in the project root (or the one --config names), TOML through smol-toml (the parser wrangler
// bundles) and JSON with comments and trailing commas through jsonc-parser (the parser wrangler bundles, with its
// options). The top-level d1_databases are what every command works with; `--env NAME` reads those of the
// environment instead (`[env.NAME]` in TOML, `"env": { "NAME": {...} }` in JSON), which wrangler does not inherit
// from the top level.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { z } from "zod";
import { WranglerStateError } from "./state-error.js";

/** wrangler looks for these in this order (wrangler-dist/cli.js, findWranglerConfig). */
const wranglerConfigFileNames = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

/** The name a project without a wrangler config gets from `wrangler-config --write`. */
const defaultWranglerConfigFileName = "wrangler.toml";

export type ConfigFormat = "toml" | "json" | "jsonc";

/** The wrangler config in `root` wrangler would use, or undefined when there is none. */
export function findWranglerConfigFile(root: string): string | undefined {
  return wranglerConfigFileNames.map((name) => path.join(root, name)).find((candidate) => existsSync(candidate));
}

/** Where a project's wrangler config is: its root, and the file d1-schema.config.ts names, if it names one. */
export interface WranglerConfigLocation {
  root: string;
  wranglerConfig?: string;
}

/**
 * The wrangler config a command reads: `--config` (resolved from the working directory), else the one
 * d1-schema.config.ts names, else the one wrangler would find in the root; undefined when there is none.
 */
export function projectWranglerConfig(project: WranglerConfigLocation, explicit?: string): string | undefined {
  if (explicit !== undefined) return path.resolve(explicit);
  return project.wranglerConfig ?? findWranglerConfigFile(project.root);
}

/** The wrangler config a command writes: the one it would read, or a new `wrangler.toml` in the root. */
export function wranglerConfigPath(project: WranglerConfigLocation, explicit: string | undefined): string {
  return projectWranglerConfig(project, explicit) ?? path.join(project.root, defaultWranglerConfigFileName);
}

/** By extension, as wrangler decides it; any other name is read as TOML, as an explicit --config always was. */
export function configFormat(file: string): ConfigFormat {
  if (file.endsWith(".jsonc")) return "jsonc";
  if (file.endsWith(".json")) return "json";
  return "toml";
}

const d1DatabaseEntry = z.looseObject({
  binding: z.string().min(1),
  database_name: z.string().optional(),
  database_id: z.string().optional(),
  preview_database_id: z.string().optional(),
  migrations_dir: z.string().optional(),
  // It is put into SQL as a quoted name when the local state is read.
  migrations_table: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
});
/** One d1_databases entry as wrangler reads it (keys we do not manage are kept but not typed). */
export type D1DatabaseEntry = z.infer<typeof d1DatabaseEntry>;

export type WranglerConfig = { kind: "missing" } | { kind: "invalid"; message: string } | { kind: "read"; text: string; databases: D1DatabaseEntry[] };

/** The config in `file`, with the d1_databases of the top level or of environment `env`. */
export async function readWranglerConfig(file: string, env?: string): Promise<WranglerConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw error;
  }
  try {
    return { kind: "read", text, databases: parseD1Databases(text, configFormat(file), env) };
  } catch (error) {
    return { kind: "invalid", message: (error as Error).message };
  }
}

/**
 * The d1_databases of a config's text, top-level or of environment `env`; throws with the parser's line and column
 * when it is invalid, and when `env` names no environment of the file.
 */
export function parseD1Databases(text: string, format: ConfigFormat = "toml", env?: string): D1DatabaseEntry[] {
  const parsed = format === "toml" ? parseTomlConfig(text) : parseJsoncConfig(text);
  const section = env === undefined ? parsed : environmentSection(parsed, env, format);
  const entries = section.d1_databases;
  const where = env === undefined ? "d1_databases" : `env.${env}.d1_databases`;
  if (entries === undefined) return [];
  if (!Array.isArray(entries)) {
    throw new Error(`${where} is not ${format === "toml" ? `an array of tables: write each database as a [[${where}]] block` : "an array"}`);
  }
  return entries.map((entry, index) => {
    const result = d1DatabaseEntry.safeParse(entry);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new Error(`${where} entry ${index + 1}: ${issue?.path.join(".") || "the entry"} ${entryProblem(issue)}`);
  });
}

/** The environments of a config's text that declare d1_databases of their own, in the file's order. */
export function environmentsWithD1Databases(text: string, format: ConfigFormat): string[] {
  const environments = (format === "toml" ? parseTomlConfig(text) : parseJsoncConfig(text)).env;
  if (typeof environments !== "object" || environments === null) return [];
  return Object.entries(environments)
    .filter(([, section]) => typeof section === "object" && section !== null && (section as Record<string, unknown>).d1_databases !== undefined)
    .map(([name]) => name);
}

/** `env.<name>` of a parsed config; an environment the file does not define is an error naming how to add it. */
function environmentSection(config: Record<string, unknown>, env: string, format: ConfigFormat): Record<string, unknown> {
  const environments = config.env;
  const section = typeof environments === "object" && environments !== null ? (environments as Record<string, unknown>)[env] : undefined;
  if (typeof section === "object" && section !== null && !Array.isArray(section)) return section as Record<string, unknown>;
  const names = typeof environments === "object" && environments !== null ? Object.keys(environments) : [];
  throw new Error(
    `has no environment "${env}" (${format === "toml" ? `[env.${env}]` : `"env": { "${env}": { ... } }`})${names.length > 0 ? `; it has ${names.join(", ")}` : ""}`,
  );
}

function entryProblem(issue: z.core.$ZodIssue | undefined): string {
  if (issue?.code === "too_small") return "must not be empty";
  if (issue?.code === "invalid_format") return "must be a plain table name";
  return issue?.path.length === 0 ? "must be a table of keys" : "must be a string";
}

/** A TOML config as plain values; throws "not valid TOML" with the line and column. */
export function parseTomlConfig(text: string): Record<string, unknown> {
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError)
      throw new Error(`not valid TOML: ${error.message.split("\n")[0]} (line ${error.line}, column ${error.column})`, { cause: error });
    throw error;
  }
}

/** wrangler's options for both .json and .jsonc (wrangler-dist/cli.js, parseJSONC): comments and trailing commas allowed. */
export const jsoncOptions = { allowTrailingComma: true, disallowComments: false } as const;

/** A JSON or JSONC config as plain values; throws "not valid JSON" with the line and column. */
export function parseJsoncConfig(text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, jsoncOptions);
  const [first] = errors;
  if (first) {
    const before = text.slice(0, first.offset).split("\n");
    throw new Error(`not valid JSON: ${printParseErrorCode(first.error)} (line ${before.length}, column ${before[before.length - 1].length + 1})`);
  }
  // A document that is not an object has no d1_databases, as wrangler reads it.
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** One D1 binding as the commands that read wrangler's state need it. */
export interface D1DatabaseConfig {
  binding: string;
  databaseId?: string;
  previewDatabaseId?: string;
  /** Absolute path of the folder wrangler applies (`migrations_dir`, default `migrations` beside the config). */
  migrationsDir: string;
  /** `migrations_table`, default `d1_migrations`. */
  migrationsTable: string;
}

export interface WranglerD1Config {
  path: string;
  databases: D1DatabaseConfig[];
}

/**
 * The D1 databases of the project's wrangler config (projectWranglerConfig); undefined when there is none. A config
 * that cannot be read is a WranglerStateError.
 */
export async function readWranglerD1Config(project: WranglerConfigLocation, configPath?: string, env?: string): Promise<WranglerD1Config | undefined> {
  const file = projectWranglerConfig(project, configPath);
  if (!file) return undefined;
  const config = await readWranglerConfig(file, env).catch(() => ({ kind: "missing" as const }));
  if (config.kind === "missing") throw new WranglerStateError(`cannot read the wrangler config ${file}`);
  if (config.kind === "invalid") throw new WranglerStateError(`${file}: ${config.message}`);
  const dir = path.dirname(file);
  return {
    path: file,
    databases: config.databases.map((entry) => ({
      binding: entry.binding,
      databaseId: entry.database_id,
      previewDatabaseId: entry.preview_database_id,
      migrationsDir: path.resolve(dir, entry.migrations_dir ?? "migrations"),
      migrationsTable: entry.migrations_table ?? "d1_migrations",
    })),
  };
}
