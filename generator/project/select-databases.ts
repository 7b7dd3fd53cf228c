// `--database`: which databases a command works on. Every command takes the database's name or its folder; `apply`
// also takes one binding (a single shard). Each command asks about what it has: loaded schemas, or (for commands
// that need not load schema/) the folders under migrations/.
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import type { DatabaseFolder } from "./database-state.js";

/** Whether `--database only` names this database. */
function isNamed(database: { name: string; folder: string }, only: string): boolean {
  return database.name === only || database.folder === only;
}

/** The schemas `--database` names (all without it); an unknown name is a SchemaError listing the known ones. */
export function selectDatabases(models: Database[], only: string | undefined): Database[] {
  if (only === undefined) return models;
  const selected = models.filter((model) => isNamed(model, only));
  if (selected.length === 0) {
    throw new SchemaError({ database: only }, "is not a database under schema/", `use one of: ${models.map((model) => model.name).join(", ")}`);
  }
  return selected;
}

/** The folders under migrations/ that `--database` names (all without it). */
export function selectDatabaseFolders(folders: DatabaseFolder[], only: string | undefined): DatabaseFolder[] {
  const selected = only === undefined ? folders : folders.filter((folder) => isNamed(folder, only));
  if (selected.length === 0) {
    throw new SchemaError(
      { database: only },
      "has no folder under migrations/",
      `use one of: ${folders.map((folder) => folder.name).join(", ") || "(none yet: run generate)"}`,
    );
  }
  return selected;
}

export interface BindingTarget {
  model: Database;
  binding: string;
}

/** Every binding of every database, or of the one named, or the one binding named (a single shard). */
export function selectBindings(models: readonly Database[], only: string | undefined): BindingTarget[] {
  const all = models.flatMap((model) => model.bindings.map((binding) => ({ model, binding })));
  if (only === undefined) return all;
  const byDatabase = all.filter((target) => isNamed(target.model, only));
  const selected = byDatabase.length > 0 ? byDatabase : all.filter((target) => target.binding === only);
  if (selected.length === 0) {
    throw new SchemaError(
      { database: only },
      "is neither a database under schema/ nor one of their bindings",
      `use one of: ${all.map((target) => target.binding).join(", ")}`,
    );
  }
  return selected;
}
