// schema/<folder>/database.ts (the database) + every other schema file in the folder (its tables) → DSL objects.
// Schema files are TypeScript or JavaScript (.ts, .mts, .js, .mjs); loading runs them (io/schema-bundle.ts compiles
// them).
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { DatabaseDefinition } from "../dsl/database.js";
import type { TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "../dsl/objects.js";
import type { TableDefinition } from "../dsl/table.js";
import { SchemaError } from "../model/errors.js";
import { isPlainIdentifier } from "../model/identifiers.js";
import { importSchemaModules } from "./schema-bundle.js";

export interface LoadedDatabase {
  folder: string;
  definition: DatabaseDefinition;
  tables: TableDefinition[];
  /** The views, triggers and virtual tables the folder's files export (absent when none does). */
  objects?: { views: ViewDefinition[]; triggers: TriggerDefinition[]; virtualTables: VirtualTableDefinition[] };
  /** Each schema file (name without its extension) and the tables it defines: the audit's domains and diagrams. */
  files: { file: string; tables: string[] }[];
}

const databaseFile = "database.ts";
const schemaFileExtensions = [".ts", ".mts", ".js", ".mjs"];

/** A schema file's name without its extension: `teams.ts` → `teams`. */
function stem(file: string): string {
  return file.slice(0, -path.extname(file).length);
}

/** Whether a file in a schema folder is a schema file (declaration files are not). */
function isSchemaFile(file: string): boolean {
  return schemaFileExtensions.includes(path.extname(file)) && !/\.d\.m?ts$/.test(file);
}

export async function loadSchemaFolders(schemaDir: string): Promise<LoadedDatabase[]> {
  const entries = await readdir(schemaDir, { withFileTypes: true }).catch(() => {
    throw new SchemaError({}, `has no folder ${schemaDir}`, "create schema/<database>/database.ts (see the README)");
  });
  // Folders starting with _ hold code shared by several databases (column helpers), not a database.
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name)
    .sort();
  return loadFolders(schemaDir, folders);
}

/** One database folder, schema/<folder>/. */
export async function loadSchemaFolder(schemaDir: string, folder: string): Promise<LoadedDatabase> {
  const [loaded] = await loadFolders(schemaDir, [folder]);
  return loaded;
}

/** The folders' files run in one load: each folder's database file first, then its other files by name. */
async function loadFolders(schemaDir: string, folders: string[]): Promise<LoadedDatabase[]> {
  const listed = await Promise.all(folders.map(async (folder) => ({ folder, files: await schemaFiles(schemaDir, folder) })));
  const modules = listed.flatMap(({ folder, files }) =>
    [...files.filter(isDatabaseFile), ...files.filter((file) => !isDatabaseFile(file))].map((file) => ({
      folder,
      file: path.resolve(schemaDir, folder, file),
    })),
  );
  const exports = await importSchemaModules(modules, path.dirname(path.resolve(schemaDir)));
  const exportsOf = new Map(modules.map((module, index) => [module.file, exports[index]]));
  return listed.map(({ folder, files }) =>
    collect(
      folder,
      files.map((file) => ({ file, exports: exportsOf.get(path.resolve(schemaDir, folder, file))! })),
    ),
  );
}

function isDatabaseFile(file: string): boolean {
  return stem(file) === "database";
}

/** The folder's schema files, sorted; it must be a usable name and hold one database file. */
async function schemaFiles(schemaDir: string, folder: string): Promise<string[]> {
  if (!isPlainIdentifier(folder) || folder === "fresh") {
    throw new SchemaError(
      { database: folder },
      `is not a usable folder name under schema/`,
      "use letters, digits and underscores, and not 'fresh' (kept for squashes)",
    );
  }
  const files = (await readdir(path.join(schemaDir, folder))).filter(isSchemaFile).sort();
  const databaseFiles = files.filter(isDatabaseFile);
  if (databaseFiles.length !== 1) {
    throw new SchemaError(
      { database: folder },
      databaseFiles.length === 0 ? `has no ${databaseFile}` : `has ${databaseFiles.join(" and ")}: one database file names the database`,
      databaseFiles.length === 0 ? `add schema/${folder}/${databaseFile} with \`export default database({ name: "..." })\`` : "keep one of them",
    );
  }
  return files;
}

/** The database and its tables, views, triggers and virtual tables from the folder's modules; one exported by two files is an error. */
function collect(folder: string, files: { file: string; exports: Record<string, unknown> }[]): LoadedDatabase {
  const database = files.find(({ file }) => isDatabaseFile(file));
  const definition = database?.exports.default as DatabaseDefinition | undefined;
  if (definition?.kind !== "database") {
    throw new SchemaError(
      { database: folder },
      `${database?.file ?? databaseFile} does not default-export database({...})`,
      'write `export default database({ name: "DB" })`',
    );
  }
  const tables = new Map<string, { table: TableDefinition; file: string }>();
  const tablesByFile: LoadedDatabase["files"] = [];
  const objects = new Map<string, { object: SchemaObjectDefinition; file: string }>();
  for (const { file, exports } of files) {
    const defined: string[] = [];
    for (const value of Object.values(exports)) {
      if (isObjectDefinition(value)) {
        const key = `${value.kind === "virtualTable" ? "virtual table" : value.kind} ${value.spec.name}`;
        const previous = objects.get(key);
        if (previous && previous.object !== value) {
          throw new SchemaError(
            { database: definition.options.name },
            `${key} is defined twice (in ${previous.file} and ${file})`,
            "keep one definition and export it once",
          );
        }
        objects.set(key, { object: value, file });
        continue;
      }
      if (!isTableDefinition(value)) continue;
      if (!defined.includes(value.spec.name) && tables.get(value.spec.name)?.table !== value) defined.push(value.spec.name);
      const previous = tables.get(value.spec.name);
      if (previous && previous.table !== value) {
        throw new SchemaError(
          { database: definition.options.name, table: value.spec.name },
          `is defined twice (in ${previous.file} and ${file})`,
          "keep one definition and export it once",
        );
      }
      tables.set(value.spec.name, { table: value, file });
    }
    if (defined.length > 0) tablesByFile.push({ file: stem(file), tables: defined });
  }
  const loaded: LoadedDatabase = { folder, definition, tables: [...tables.values()].map((entry) => entry.table), files: tablesByFile };
  if (objects.size === 0) return loaded;
  const all = [...objects.values()].map((entry) => entry.object);
  return {
    ...loaded,
    objects: {
      views: all.filter((object): object is ViewDefinition => object.kind === "view"),
      triggers: all.filter((object): object is TriggerDefinition => object.kind === "trigger"),
      virtualTables: all.filter((object): object is VirtualTableDefinition => object.kind === "virtualTable"),
    },
  };
}

type SchemaObjectDefinition = ViewDefinition | TriggerDefinition | VirtualTableDefinition;

function isObjectDefinition(value: unknown): value is SchemaObjectDefinition {
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  return kind === "view" || kind === "trigger" || kind === "virtualTable";
}

function isTableDefinition(value: unknown): value is TableDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "table";
}
