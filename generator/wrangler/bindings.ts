// The d1_databases entries d1-schema needs: one per binding of every database, whose migrations_dir is its
// database's migrations folder (so that the four shards apply the one shard folder), and what is wrong with them.
import path from "node:path";
import { databaseMigrationsDir, type ProjectPaths } from "../io/paths.js";
import type { Finding, WranglerConfigKind } from "../model/finding.js";
import type { Database } from "../model/model.js";
import { configFormat, type D1DatabaseEntry } from "./config.js";

/** One binding as the wrangler config must declare it. */
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

export const writeHint = "run `d1-schema wrangler-config --write`";

/** One d1_databases entry as the config's format writes it: a `[[d1_databases]]` block in TOML, an entry in JSON. */
export function d1EntryWords(configName: string, count: number): string {
  if (configFormat(configName) === "toml") return count === 1 ? "[[d1_databases]] block" : "[[d1_databases]] blocks";
  return count === 1 ? '"d1_databases" entry' : '"d1_databases" entries';
}

/**
 * A binding problem as a finding: on the binding (or the bindings that share an id), with its fix, naming the entries
 * as `configName`'s format writes them, in the file or in its environment `env`.
 */
export function bindingProblemFinding(problem: BindingProblem, configName: string, env?: string): Finding<WranglerConfigKind> {
  // Where the entries are: the file, or one of its environments.
  const where = env === undefined ? configName : `${configName} (env.${env})`;
  const found = (binding: string, message: string, fix: string): Finding<WranglerConfigKind> => ({
    severity: "error",
    kind: `binding-${problem.kind}`,
    binding,
    message,
    fix,
  });
  switch (problem.kind) {
    case "missing":
      return found(problem.binding, `no ${d1EntryWords(configName, 1)} in ${where}, so wrangler does not know the binding`, writeHint);
    case "migrations-dir":
      return found(
        problem.binding,
        problem.actual === undefined
          ? `its ${d1EntryWords(configName, 1)} in ${where} has no migrations_dir (wrangler would read ./migrations), but ${problem.database}'s migrations are in "${problem.expected}"`
          : `migrations_dir in ${where} is "${problem.actual}", but ${problem.database}'s migrations are in "${problem.expected}"`,
        writeHint,
      );
    case "duplicate":
      return found(
        problem.binding,
        `${where} has ${problem.count} ${d1EntryWords(configName, problem.count)} for it (wrangler uses the first)`,
        "remove the extra ones",
      );
    case "shared-id":
      return found(
        problem.bindings.join(", "),
        `share database_id "${problem.id}" in ${where}, so they are one database, locally and on Cloudflare`,
        "give each binding its own database (wrangler d1 create) and id",
      );
    default: {
      const unknown: never = problem;
      return unknown;
    }
  }
}
