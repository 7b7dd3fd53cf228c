// wrangler's local state: where miniflare keeps each local D1 database under `.wrangler/state` (or --persist-to),
// and what its migrations table lists. Everything here reads; wrangler stays the one that applies migrations and
// records them.
import { createHash, createHmac } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readAppliedMigrations } from "./applied-migrations.js";
import { readWranglerD1Config, type D1DatabaseConfig, type WranglerConfigLocation } from "./config.js";

/** wrangler's local state: `--persist-to`, resolved against the working directory as wrangler does, or `.wrangler/state` beside the config. */
export function localStateDir(configDir: string, persistTo: string | undefined): string {
  return persistTo ? path.resolve(persistTo) : path.join(configDir, ".wrangler", "state");
}

/** The folder where miniflare keeps one SQLite file per local D1 database. */
export function localD1Dir(stateDir: string): string {
  return path.join(stateDir, "v3", "d1", durableObjectUniqueKey);
}

// miniflare runs each D1 database as a Durable Object of class D1DatabaseObject whose namespace's unique key is
// `miniflare-D1DatabaseObject`, and names the object by the id wrangler hands it (miniflare dist/src/index.js,
// D1_PLUGIN.getServices: `uniqueKey = \`miniflare-${D1_DATABASE_OBJECT_CLASS_NAME}\``, `objectEntryWorker(.., id)`).
// wrangler hands it `preview_database_id ?? database_id ?? binding` (wrangler-dist/cli.js, executeLocally:
// `localDB.previewDatabaseUuid ?? localDB.uuid`, and getDatabaseInfoFromConfig: `uuid = database_id ?? binding`).
const durableObjectUniqueKey = "miniflare-D1DatabaseObject";

/** The id miniflare derives from the id's name, which is also the SQLite file's name. */
export function durableObjectIdFromName(uniqueKey: string, name: string): string {
  // A copy of miniflare's durableObjectNamespaceIdFromName (dist/src/index.js), which reproduces workerd's
  // idFromName: the key is sha256(uniqueKey); the id is HMAC(name)[0..16] followed by HMAC(that)[0..16], in hex.
  const key = createHash("sha256").update(uniqueKey).digest();
  const nameHmac = createHmac("sha256", key).update(name).digest().subarray(0, 16);
  const check = createHmac("sha256", key).update(nameHmac).digest().subarray(0, 16);
  return Buffer.concat([nameHmac, check]).toString("hex");
}

/** The local SQLite file of one binding, whether or not it exists. */
export function localDatabaseFile(stateDir: string, database: D1DatabaseConfig): string {
  const id = database.previewDatabaseId ?? database.databaseId ?? database.binding;
  return path.join(localD1Dir(stateDir), `${durableObjectIdFromName(durableObjectUniqueKey, id)}.sqlite`);
}

/** Every local D1 database file in the state folder (miniflare's own metadata.sqlite left out). */
export function localDatabaseFiles(stateDir: string): string[] {
  const dir = localD1Dir(stateDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")
    .sort()
    .map((name) => path.join(dir, name));
}

/** The names a local database's migrations table lists, in the order they were applied ([] when it has no such table). */
export function readLocalAppliedMigrations(file: string, migrationsTable: string): string[] {
  // Read-only still sees rows in the -wal file, which wrangler does not always checkpoint.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return readAppliedMigrations(db, migrationsTable) ?? [];
  } finally {
    db.close();
  }
}

/**
 * Binding → its local database (wrangler's state), opened read-only; bindings without one are left out, and so is
 * everything when there is no wrangler config. The caller closes them.
 */
export async function openLocalDatabases(
  project: WranglerConfigLocation,
  options: { config?: string; persistTo?: string },
): Promise<Map<string, Database.Database>> {
  const config = await readWranglerD1Config(project, options.config);
  const databases = new Map<string, Database.Database>();
  if (!config) return databases;
  const stateDir = localStateDir(path.dirname(config.path), options.persistTo);
  for (const database of config.databases) {
    const file = localDatabaseFile(stateDir, database);
    if (existsSync(file)) databases.set(database.binding, new Database(file, { readonly: true }));
  }
  return databases;
}

/** The local databases of a schema's bindings (from openLocalDatabases), each with its binding. */
export function bindingDatabases(
  model: { bindings: readonly string[] },
  locals: ReadonlyMap<string, Database.Database>,
): { binding: string; db: Database.Database }[] {
  return model.bindings.flatMap((binding) => {
    const db = locals.get(binding);
    return db ? [{ binding, db }] : [];
  });
}
