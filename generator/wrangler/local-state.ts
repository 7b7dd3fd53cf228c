// What wrangler knows: the `[[d1_databases]]` blocks of its config file, the `d1_migrations` table of each local
// database under `.wrangler/state`, and saved `wrangler d1 execute --remote --json` output for production.
// Everything here reads; wrangler stays the one that applies migrations and records them.
import { createHash, createHmac } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { parseD1Databases } from "./toml-editor.js";

/** A wrangler config or a saved status file that cannot be read; the CLI reports it as bad input (exit 2). */
export class WranglerStateError extends Error {}

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

/** wrangler looks for these in this order (wrangler-dist/cli.js, findWranglerConfig). */
const configFileNames = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/**
 * The D1 databases of `configPath`, or of the first wrangler config file in `root`; undefined when there is none.
 * Only top-level `[[d1_databases]]` are read, not those of `[env.*]` sections.
 */
export async function readWranglerD1Config(root: string, configPath?: string): Promise<WranglerD1Config | undefined> {
  const file = configPath ? path.resolve(configPath) : configFileNames.map((name) => path.join(root, name)).find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  const text = await readFile(file, "utf8").catch(() => {
    throw new WranglerStateError(`cannot read the wrangler config ${file}`);
  });
  const blocks = file.endsWith(".toml") ? d1BlocksFromToml(file, text) : d1BlocksFromJson(file, text);
  const parsed = z.array(d1Block).safeParse(blocks);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WranglerStateError(`${file}: d1_databases[${String(issue?.path[0])}]: ${issue?.path.slice(1).join(".") || "block"}: ${issue?.message}`);
  }
  const dir = path.dirname(file);
  return {
    path: file,
    databases: parsed.data.map((block) => ({
      binding: block.binding,
      databaseId: block.database_id,
      previewDatabaseId: block.preview_database_id,
      migrationsDir: path.resolve(dir, block.migrations_dir ?? "migrations"),
      migrationsTable: block.migrations_table ?? "d1_migrations",
    })),
  };
}

const d1Block = z.object({
  binding: z.string().min(1),
  database_id: z.string().optional(),
  preview_database_id: z.string().optional(),
  migrations_dir: z.string().optional(),
  migrations_table: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain table name")
    .optional(),
});

function d1BlocksFromToml(file: string, text: string): unknown {
  try {
    return parseD1Databases(text);
  } catch (error) {
    throw new WranglerStateError(`${file}: ${(error as Error).message}`);
  }
}

function d1BlocksFromJson(file: string, text: string): unknown {
  let config: unknown;
  try {
    config = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new WranglerStateError(`${file}: not JSON: ${(error as Error).message}`);
  }
  return (config as { d1_databases?: unknown } | null)?.d1_databases ?? [];
}

/** JSONC (wrangler.jsonc) as JSON: comments and trailing commas removed, strings left alone. */
function stripJsonComments(text: string): string {
  let out = "";
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '"') {
      const end = endOfJsonString(text, at);
      out += text.slice(at, end);
      at = end - 1;
    } else if (char === "/" && text[at + 1] === "/") {
      at = text.indexOf("\n", at) === -1 ? text.length : text.indexOf("\n", at) - 1;
    } else if (char === "/" && text[at + 1] === "*") {
      at = text.indexOf("*/", at + 2) === -1 ? text.length : text.indexOf("*/", at + 2) + 1;
    } else out += char;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

function endOfJsonString(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === '"') return at + 1;
  }
  return text.length;
}

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
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(migrationsTable);
    if (!exists) return [];
    return (db.prepare(`SELECT name FROM "${migrationsTable}" ORDER BY id`).all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}

/** `wrangler d1 execute <DB> --remote --json --command "SELECT name FROM d1_migrations"`, or just the names. */
const savedNames = z.union([z.array(z.object({ results: z.array(z.object({ name: z.string() })) })).min(1), z.array(z.string())]);

/**
 * Production's applied migrations per binding, from saved files. Each spec is `BINDING=FILE` (the file holds one
 * binding's wrangler output or array of names) or `FILE` (a JSON object mapping bindings to either).
 */
export async function readRemoteStatus(specs: readonly string[]): Promise<Map<string, string[]>> {
  const applied = new Map<string, string[]>();
  for (const spec of specs) {
    const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
    const file = named ? named[2] : spec;
    const text = await readFile(file, "utf8").catch(() => {
      throw new WranglerStateError(`--remote-status: cannot read ${file}`);
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new WranglerStateError(`--remote-status: ${file} is not JSON: ${(error as Error).message}`);
    }
    const isMapping = typeof json === "object" && json !== null && !Array.isArray(json);
    if (!named && !isMapping) {
      throw new WranglerStateError(
        `--remote-status: ${file} is not a JSON object mapping bindings to saved d1_migrations names; for one binding's wrangler output write --remote-status BINDING=${file}`,
      );
    }
    const entries: [string, unknown][] = named ? [[named[1], json]] : Object.entries(json as object);
    for (const [binding, value] of entries) {
      const parsed = savedNames.safeParse(value);
      if (!parsed.success) {
        throw new WranglerStateError(
          `--remote-status: ${file}${named ? "" : ` (${binding})`} is neither the output of \`wrangler d1 execute ${binding} --remote --json --command "SELECT name FROM d1_migrations"\` nor an array of names`,
        );
      }
      applied.set(binding, parsed.data.map((entry) => (typeof entry === "string" ? entry : entry.results.map((row) => row.name))).flat());
    }
  }
  return applied;
}

/**
 * Binding → its local database (wrangler's state), opened read-only; bindings without one are left out, and so is
 * everything when there is no wrangler config. The caller closes them.
 */
export async function openLocalDatabases(root: string, options: { config?: string; persistTo?: string }): Promise<Map<string, Database.Database>> {
  const config = await readWranglerD1Config(root, options.config);
  const databases = new Map<string, Database.Database>();
  if (!config) return databases;
  const stateDir = localStateDir(path.dirname(config.path), options.persistTo);
  for (const database of config.databases) {
    const file = localDatabaseFile(stateDir, database);
    if (existsSync(file)) databases.set(database.binding, new Database(file, { readonly: true }));
  }
  return databases;
}
