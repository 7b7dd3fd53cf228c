// `init`: set a Worker project up for d1-schema from its wrangler config. For every D1 binding it writes a schema
// folder: pulled from the binding's migrations_dir when that holds migrations, else from the binding's local D1
// database (wrangler's state) when that has tables, else empty. Then it points each binding's migrations_dir at its
// database's folder, writes d1-schema.config.ts, and runs generate, so that `generate` right after has nothing to do.
//
// All of it is done first in a temporary copy of the project and then written in one atomic commit: a binding that
// cannot be adopted (a migration that fails to replay, say) leaves the project as it was.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ProjectPaths } from "../io/paths.js";
import { findProjectConfig } from "../io/project-config.js";
import { ProjectFileError } from "../io/project-file-error.js";
import { packageName } from "../io/tool-paths.js";
import { writeFilesAtomically, type FileWrite } from "../io/write-files.js";
import { isPlainIdentifier } from "../model/identifiers.js";
import { readMigrationFolder } from "../project/migration-files.js";
import Database from "better-sqlite3";
import { introspectDatabase } from "../sqlite/introspect.js";
import { projectWranglerConfig, readWranglerD1Config, type D1DatabaseConfig } from "../wrangler/config.js";
import { localDatabaseFile, localStateDir } from "../wrangler/local-state.js";
import type { LiveSource } from "../io/sql-dump.js";

/** Where a database's schema is pulled from (as `pull` takes it). */
type PullSource = LiveSource | { kind: "migrations"; dir: string };

/**
 * The commands init runs, handed in by the CLI: a command never imports another (test/architecture), and init is
 * pull, wrangler-config and generate in a row.
 */
export interface InitSteps {
  pull(paths: ProjectPaths, options: { name: string; folder: string; bindings: string[]; source: PullSource; force: boolean }): Promise<unknown>;
  wranglerConfig(paths: ProjectPaths, options: { configPath: string; write: boolean }): Promise<{ lines: string[] }>;
  generate(paths: ProjectPaths, options: { allowDestructive: boolean }): Promise<unknown>;
}

export interface InitOptions {
  /** The wrangler config to read (`--config`); default: the one wrangler picks in the root. */
  config?: string;
  /** wrangler's local state folder (`--persist-to`); default `.wrangler/state` beside the config. */
  persistTo?: string;
  /** Replace an existing d1-schema.config.ts and schema folders. */
  force: boolean;
}

/** One database init sets up: the bindings that share one migrations_dir, and where its schema comes from. */
interface PlannedDatabase {
  name: string;
  folder: string;
  bindings: string[];
  source: PullSource | undefined;
  /** For people: where the schema came from. */
  origin: string;
}

export interface InitReport {
  written: string[];
  lines: string[];
}

export async function runInit(root: string, options: InitOptions, steps: InitSteps): Promise<InitReport> {
  const wranglerFile = projectWranglerConfig({ root }, options.config);
  if (!wranglerFile || !existsSync(wranglerFile)) {
    throw new ProjectFileError(
      options.config ?? "wrangler.json, wrangler.jsonc or wrangler.toml",
      options.config ? "does not exist" : `is not in ${root}: init reads the D1 bindings from the Worker's wrangler config`,
      "run init in the Worker project's root, create the Worker with `npm create cloudflare@latest`, or name the config with --config",
    );
  }
  const wrangler = (await readWranglerD1Config({ root }, wranglerFile))!;
  const configName = relativeTo(root, wranglerFile);
  if (wrangler.databases.length === 0) {
    throw new ProjectFileError(
      configName,
      "has no d1_databases: there is no D1 database to set up",
      `create one (\`npx wrangler d1 create <name>\`), add its binding to ${configName}, then run init again`,
    );
  }
  const stateDir = localStateDir(path.dirname(wranglerFile), options.persistTo);
  const layout = chooseLayout(root, wrangler.databases);
  const planned = await Promise.all(layout.databases.map((database) => planDatabase(database, stateDir)));
  refuseOverwrites(root, layout.migrations, planned, options.force);

  const scratch = await mkdtemp(path.join(os.tmpdir(), "d1-schema-init-"));
  try {
    const paths = scratchPaths(scratch, layout.migrations);
    const scratchWrangler = path.join(scratch, relativeTo(root, wranglerFile));
    await mkdir(path.dirname(scratchWrangler), { recursive: true });
    await copyFile(wranglerFile, scratchWrangler);
    paths.wranglerConfig = scratchWrangler;
    for (const database of planned) {
      if (database.source) {
        await steps.pull(paths, { name: database.name, folder: database.folder, bindings: database.bindings, source: database.source, force: true });
      } else {
        await mkdir(path.join(paths.schemaDir, database.folder), { recursive: true });
        await writeFile(path.join(paths.schemaDir, database.folder, "database.ts"), emptyDatabaseFile(database));
      }
    }
    const edited = await steps.wranglerConfig(paths, { configPath: scratchWrangler, write: true });
    await steps.generate(paths, { allowDestructive: false });
    await writeFile(path.join(scratch, "d1-schema.config.ts"), configFile(layout.migrations, configName));
    const writes = await changedFiles(scratch, root);
    await writeFilesAtomically(root, writes);
    const written = writes.map((write) => relativeTo(root, write.path)).sort();
    return {
      written,
      lines: [
        ...planned.map((database) => `${database.name} (${database.bindings.join(", ")}): schema/${database.folder}/ ${database.origin}`),
        ...edited.lines.filter((line) => line !== "no changes"),
        // Copied folders: the old one stays until the user has checked the copy.
        ...(layout.inPlace ? [] : planned).flatMap((database) =>
          database.source?.kind === "migrations"
            ? [
                `${relativeTo(root, database.source.dir)}/: its migrations were copied into ${layout.migrations}/${database.folder}/ under the same names; wrangler now applies the new folder, delete the old one once you have checked`,
              ]
            : [],
        ),
      ],
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Where the migrations go. When every binding's migrations_dir is `<folder>` inside one common parent (as in
 * `migrations/app_db`), the folders stay where they are and the parent becomes the config's `migrations`. Otherwise
 * (wrangler's default `migrations/` holding one database's files directly, say) each database gets
 * `migrations/<folder>/`, its files are copied there under the same names, and migrations_dir points at it.
 */
function chooseLayout(root: string, bindings: readonly D1DatabaseConfig[]): { migrations: string; databases: D1DatabaseConfig[][]; inPlace: boolean } {
  const groups = new Map<string, D1DatabaseConfig[]>();
  for (const binding of bindings) groups.set(binding.migrationsDir, [...(groups.get(binding.migrationsDir) ?? []), binding]);
  const databases = [...groups.values()];
  const parents = new Set([...groups.keys()].map((dir) => path.dirname(dir)));
  const folders = [...groups.keys()].map((dir) => path.basename(dir));
  const inPlace = parents.size === 1 && folders.every((folder) => usableFolder(folder) && folder !== "migrations") && new Set(folders).size === folders.length;
  return { migrations: inPlace ? relativeTo(root, [...parents][0]) || "." : "migrations", databases, inPlace };
}

async function planDatabase(bindings: readonly D1DatabaseConfig[], stateDir: string): Promise<PlannedDatabase> {
  const names = bindings.map((binding) => binding.binding);
  const dir = bindings[0].migrationsDir;
  const folder = usableFolder(path.basename(dir)) && path.basename(dir) !== "migrations" ? path.basename(dir) : folderFor(names);
  const name = names.length === 1 ? names[0] : folder.toUpperCase();
  if (existsSync(dir) && (await readMigrationFolder(dir)).migrations.length > 0) {
    return { name, folder, bindings: names, source: { kind: "migrations", dir }, origin: `pulled from the migrations in ${dir}` };
  }
  const local = bindings.map((binding) => localDatabaseFile(stateDir, binding)).find((file) => existsSync(file) && hasTables(file));
  if (local) return { name, folder, bindings: names, source: { kind: "sqlite", file: local }, origin: "pulled from its local D1 database (wrangler's state)" };
  return { name, folder, bindings: names, source: undefined, origin: "empty: add tables and run `npx d1-schema generate`" };
}

/** A folder name for bindings: the binding in lower case, or what shards share (SHARD_0, SHARD_1 → shard). */
function folderFor(bindings: readonly string[]): string {
  const stem = bindings.length === 1 ? bindings[0] : bindings[0].replace(/_?\d+$/, "");
  const folder = stem.toLowerCase();
  return usableFolder(folder) ? folder : `db_${folder.replace(/[^a-z0-9_]/g, "_")}`;
}

function usableFolder(folder: string): boolean {
  return isPlainIdentifier(folder) && folder !== "fresh" && !folder.startsWith("_");
}

/** Whether a local database holds a table pull would adopt (wrangler's and SQLite's own tables are not). */
function hasTables(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return introspectDatabase(db, { name: "LOCAL", folder: "local", bindings: ["LOCAL"], continueFrom: 0, ifNotExists: true }).database.tables.length > 0;
  } finally {
    db.close();
  }
}

function refuseOverwrites(root: string, migrations: string, planned: readonly PlannedDatabase[], force: boolean): void {
  if (force) return;
  const existing = [
    findProjectConfig(root),
    ...planned.flatMap((database) => [path.join(root, "schema", database.folder), path.join(root, migrations, database.folder, "snapshot.json")]),
  ].filter((file): file is string => file !== undefined && existsSync(file));
  if (existing.length > 0) {
    throw new ProjectFileError(
      existing.map((file) => relativeTo(root, file)).join(", "),
      existing.length === 1 ? "already exists" : "already exist",
      "the project is set up already; run `npx d1-schema generate`, or `init --force` to replace them",
    );
  }
}

function scratchPaths(scratch: string, migrations: string): ProjectPaths {
  return {
    root: scratch,
    schemaDir: path.join(scratch, "schema"),
    migrationsDir: path.resolve(scratch, migrations),
    generatedDir: path.join(scratch, "generated"),
    docsDir: path.join(scratch, "docs"),
  };
}

function emptyDatabaseFile(database: PlannedDatabase): string {
  const bindings =
    database.bindings.length === 1 && database.bindings[0] === database.name
      ? ""
      : `, bindings: [${database.bindings.map((binding) => JSON.stringify(binding)).join(", ")}]`;
  return [
    `// ${database.name}: add tables in files beside this one (export const users = table("users", { ... })),`,
    "// then run `npx d1-schema generate` for the migration and the types.",
    `import { database } from "${packageName}";`,
    "",
    `export default database({ name: ${JSON.stringify(database.name)}${bindings} });`,
    "",
  ].join("\n");
}

function configFile(migrations: string, wranglerConfig: string): string {
  return [
    `import { defineConfig } from "${packageName}";`,
    "",
    "// Where d1-schema reads and writes; paths are relative to this file. Every field is optional.",
    "export default defineConfig({",
    '  schema: "schema",',
    `  migrations: ${JSON.stringify(migrations)},`,
    '  generated: "generated",',
    `  wrangler: ${JSON.stringify(wranglerConfig)},`,
    "});",
    "",
  ].join("\n");
}

/** Every file of the scratch project that the real one lacks or holds differently, as a write into the real one. */
async function changedFiles(scratch: string, root: string): Promise<FileWrite[]> {
  const writes: FileWrite[] = [];
  for (const entry of await readdir(scratch, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(scratch, file);
    if (relative.split(path.sep).includes("node_modules")) continue;
    const content = await readFile(file, "utf8");
    const target = path.join(root, relative);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current !== content) writes.push({ path: target, content });
  }
  return writes;
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
