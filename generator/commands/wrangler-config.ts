// `wrangler-config`: every binding of every database has a [[d1_databases]] block in wrangler.toml whose
// migrations_dir is its database's migrations folder, so that the four shards apply the one shard folder. Check
// mode lists what is missing or wrong; --write adds the missing blocks and fixes migrations_dir, and leaves
// database ids, other keys and the rest of the file as they are.
import { createHash } from "node:crypto";
import path from "node:path";
import { databaseMigrationsDir, type ProjectPaths } from "../io/paths.js";
import { editD1Databases, readWranglerConfig, type D1DatabaseEntry, type D1DatabasesEdit, type WranglerConfig } from "../wrangler/toml-editor.js";
import { writeFilesAtomically } from "../io/write-files.js";
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { loadModels } from "./load-models.js";

export const wranglerConfigFileName = "wrangler.toml";

export function defaultWranglerConfig(paths: ProjectPaths): string {
  return path.join(paths.root, wranglerConfigFileName);
}

/** One binding as wrangler.toml must declare it. */
export interface WantedBinding {
  binding: string;
  database: string;
  /** migrations_dir as written: relative to the config file's folder, with forward slashes. */
  migrationsDir: string;
}

export function wantedBindings(paths: ProjectPaths, models: readonly Database[], configPath: string): WantedBinding[] {
  return models.flatMap((model) =>
    model.bindings.map((binding) => ({
      binding,
      database: model.name,
      migrationsDir: path.relative(path.dirname(configPath), databaseMigrationsDir(paths, model.folder)).split(path.sep).join("/"),
    })),
  );
}

export type BindingProblem =
  | { kind: "missing"; binding: string }
  | { kind: "migrations-dir"; binding: string; database: string; actual?: string; expected: string }
  | { kind: "duplicate"; binding: string; count: number }
  | { kind: "shared-id"; bindings: string[]; id: string };

/** What is wrong with the blocks of `wanted` (other blocks are the user's own and not looked at). */
export function bindingProblems(databases: readonly D1DatabaseEntry[], wanted: readonly WantedBinding[], configPath: string): BindingProblem[] {
  const problems: BindingProblem[] = [];
  for (const want of wanted) {
    const blocks = databases.filter((entry) => entry.binding === want.binding);
    if (blocks.length === 0) problems.push({ kind: "missing", binding: want.binding });
    if (blocks.length > 1) problems.push({ kind: "duplicate", binding: want.binding, count: blocks.length });
    const block = blocks[0];
    if (block && !sameDirectory(configPath, block.migrations_dir, want.migrationsDir)) {
      problems.push({ kind: "migrations-dir", binding: want.binding, database: want.database, actual: block.migrations_dir, expected: want.migrationsDir });
    }
  }
  // wrangler keys a local database by its id (by its binding when there is none), and Cloudflare by its id: two
  // bindings with one id are one database, so four shards would write into one.
  const byId = new Map<string, string[]>();
  for (const entry of databases) {
    if (entry.database_id === undefined) continue;
    byId.set(entry.database_id, [...(byId.get(entry.database_id) ?? []), entry.binding]);
  }
  const managed = new Set(wanted.map((want) => want.binding));
  for (const [id, bindings] of byId) {
    if (bindings.length > 1 && bindings.some((binding) => managed.has(binding))) problems.push({ kind: "shared-id", bindings, id });
  }
  return problems;
}

function sameDirectory(configPath: string, actual: string | undefined, expected: string): boolean {
  if (actual === undefined) return false;
  const base = path.dirname(path.resolve(configPath));
  return path.resolve(base, actual) === path.resolve(base, expected);
}

const writeHint = "run `d1-schema wrangler-config --write`";

export function describeBindingProblem(problem: BindingProblem, configName: string): string {
  switch (problem.kind) {
    case "missing":
      return `${problem.binding}: no [[d1_databases]] block in ${configName}, so wrangler does not know the binding: ${writeHint}`;
    case "migrations-dir":
      return problem.actual === undefined
        ? `${problem.binding}: its [[d1_databases]] block in ${configName} has no migrations_dir (wrangler would read ./migrations), but ${problem.database}'s migrations are in "${problem.expected}": ${writeHint}`
        : `${problem.binding}: migrations_dir in ${configName} is "${problem.actual}", but ${problem.database}'s migrations are in "${problem.expected}": ${writeHint}`;
    case "duplicate":
      return `${problem.binding}: ${configName} has ${problem.count} [[d1_databases]] blocks for it (wrangler uses the first): remove the extra ones`;
    case "shared-id":
      return `${problem.bindings.join(", ")}: share database_id "${problem.id}" in ${configName}, so they are one database, locally and on Cloudflare: give each binding its own database (wrangler d1 create) and id`;
    default: {
      const unknown: never = problem;
      return unknown;
    }
  }
}

/** The config file as named in messages: relative to the project root when it is inside it. */
export function configDisplayName(paths: ProjectPaths, configPath: string): string {
  const relative = path.relative(paths.root, configPath);
  return relative.startsWith("..") || path.isAbsolute(relative) ? configPath : relative.split(path.sep).join("/");
}

function configFindings(config: WranglerConfig, configName: string): string[] {
  if (config.kind === "missing") return [`${configName} does not exist, so wrangler knows none of the bindings: ${writeHint}`];
  if (config.kind === "invalid") return [`${configName} is ${config.message.startsWith("not valid") ? "" : "unusable: "}${config.message}`];
  return [];
}

/**
 * The findings of check mode for `models`: for the `check` command, and for `apply`, which needs the blocks of
 * the bindings it applies.
 */
export async function wranglerConfigFindings(paths: ProjectPaths, models: readonly Database[], configPath: string): Promise<string[]> {
  const config = await readWranglerConfig(configPath);
  const configName = configDisplayName(paths, configPath);
  if (config.kind !== "read") return configFindings(config, configName);
  return bindingProblems(config.databases, wantedBindings(paths, models, configPath), configPath).map((problem) => describeBindingProblem(problem, configName));
}

/**
 * A placeholder id for a new block: recognisable (apply --remote refuses it) and distinct per binding, since
 * wrangler keys a local database by its id and one id for four shards would make them one database.
 */
export function placeholderDatabaseId(binding: string): string {
  return `${placeholderPrefix}${createHash("sha256").update(binding).digest("hex").slice(0, 12)}`;
}

const placeholderPrefix = "00000000-0000-4000-8000-";

export function isPlaceholderDatabaseId(id: string): boolean {
  return id.startsWith(placeholderPrefix);
}

export interface WranglerConfigReport {
  /** Check mode: what is missing or wrong (empty when the file is right). */
  findings: string[];
  /** What was checked or written, for people. */
  lines: string[];
}

export async function runWranglerConfig(paths: ProjectPaths, options: { configPath: string; write: boolean }): Promise<WranglerConfigReport> {
  const models = await loadModels(paths.schemaDir);
  const configName = configDisplayName(paths, options.configPath);
  const wanted = wantedBindings(paths, models, options.configPath);
  if (!options.write) {
    const findings = await wranglerConfigFindings(paths, models, options.configPath);
    return { findings, lines: findings.length === 0 ? [`${configName}: all ${wanted.length} bindings point at their migrations folders`] : [] };
  }
  const config = await readWranglerConfig(options.configPath);
  if (config.kind === "invalid") throw new SchemaError({ database: configName }, config.message, "fix the file, then run wrangler-config --write again");
  const text = config.kind === "read" ? config.text : "";
  const databases = config.kind === "read" ? config.databases : [];
  const { edit, lines } = planEdit(databases, wanted, options.configPath, configName);
  if (lines.length === 0) return { findings: [], lines: ["no changes"] };
  let edited: string;
  try {
    edited = editD1Databases(text, edit);
  } catch (error) {
    throw new SchemaError(
      { database: configName },
      (error as Error).message,
      "add or fix the [[d1_databases]] blocks by hand (wrangler-config without --write lists them)",
    );
  }
  await writeFilesAtomically(paths.root, [{ path: options.configPath, content: edited }]);
  return { findings: [], lines };
}

/** The edit that fixes what can be fixed; problems that need a person (duplicates, shared ids) are errors. */
function planEdit(
  databases: readonly D1DatabaseEntry[],
  wanted: readonly WantedBinding[],
  configPath: string,
  configName: string,
): { edit: D1DatabasesEdit; lines: string[] } {
  const edit: D1DatabasesEdit = { set: [], append: [] };
  const lines: string[] = [];
  const appended: D1DatabaseEntry[] = [];
  for (const problem of bindingProblems(databases, wanted, configPath)) {
    if (problem.kind === "missing") {
      const want = wanted.find((candidate) => candidate.binding === problem.binding);
      if (!want) continue;
      const block = newBlock(want);
      edit.append.push(block);
      appended.push(Object.fromEntries(block.map((line) => [line.key, line.value])) as D1DatabaseEntry);
      lines.push(`${configName}: added ${want.binding} (migrations_dir = "${want.migrationsDir}", a placeholder database_id)`);
    } else if (problem.kind === "migrations-dir") {
      edit.set.push({ block: databases.findIndex((entry) => entry.binding === problem.binding), key: "migrations_dir", value: problem.expected });
      lines.push(`${configName}: ${problem.binding} migrations_dir ${problem.actual === undefined ? "added" : `"${problem.actual}" →`} "${problem.expected}"`);
    }
  }
  const unfixable = bindingProblems([...databases, ...appended], wanted, configPath).filter(
    (problem) => problem.kind === "duplicate" || problem.kind === "shared-id",
  );
  if (unfixable.length > 0) {
    throw new SchemaError(
      { database: configName },
      `cannot be fixed automatically:\n${unfixable.map((problem) => `    - ${describeBindingProblem(problem, configName)}`).join("\n")}`,
      "fix these blocks by hand, then run wrangler-config --write again",
    );
  }
  return { edit, lines };
}

function newBlock(want: WantedBinding): { key: string; value: string; comment?: string }[] {
  return [
    { key: "binding", value: want.binding },
    { key: "database_name", value: want.binding.toLowerCase().replaceAll("_", "-") },
    { key: "database_id", value: placeholderDatabaseId(want.binding), comment: "placeholder for --local: set the real id (wrangler d1 list) before --remote" },
    { key: "migrations_dir", value: want.migrationsDir },
  ];
}
