// Throwaway project folders for one schema size: ours (schema/<db>/*.ts importing the DSL by absolute path) and
// drizzle-kit's (schema/*.ts + drizzle.config.ts, node_modules linked to bench/node_modules). Never the repo's
// own schema/.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  databaseFolder,
  fileOfChangedTable,
  filesOf,
  generateSyntheticSchema,
  renderDrizzleConfig,
  renderDrizzleTableFile,
  renderOurDatabaseFile,
  renderOurTableFile,
  type SyntheticSchema,
} from "./synthetic-schema.js";

export const repoRoot = path.resolve(import.meta.dirname, "..");
export const benchDir = import.meta.dirname;

/** A project whose outputs can be reset to a saved state and whose one table file can gain the added column. */
export interface BenchProject {
  dir: string;
  /** The folders the tool writes (removed for "from empty", saved and restored around "one added column"). */
  outputs: string[];
  /** The file holding the changed table, and its content without and with the added column. */
  changedFile: { path: string; original: string; withAddedColumn: string };
}

export interface SizeProjects {
  tables: number;
  schema: SyntheticSchema;
  root: string;
  ours: BenchProject;
  drizzle: BenchProject;
  /** Removes both projects. */
  remove(): void;
}

/** Both projects for `tables` tables; our schema files import the DSL from `dslPath` (absolute). */
export function createProjects(tables: number, seed: number, dslPath: string): SizeProjects {
  const schema = generateSyntheticSchema(tables, seed);
  const root = mkdtempSync(path.join(os.tmpdir(), `d1-schema-bench-${tables}-`));
  return {
    tables,
    schema,
    root,
    ours: writeOurProject(path.join(root, "ours"), schema, dslPath),
    drizzle: writeDrizzleProject(path.join(root, "drizzle"), schema),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function writeOurProject(dir: string, schema: SyntheticSchema, dslPath: string): BenchProject {
  const schemaDir = path.join(dir, "schema", databaseFolder);
  mkdirSync(schemaDir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "bench-ours", private: true, type: "module" }, null, 2)}\n`);
  writeFileSync(path.join(schemaDir, "database.ts"), renderOurDatabaseFile(dslPath));
  for (const file of filesOf(schema)) writeFileSync(path.join(schemaDir, `${file}.ts`), renderOurTableFile(schema, file, dslPath));
  const changed = fileOfChangedTable(schema);
  return {
    dir,
    outputs: ["migrations", "generated"],
    changedFile: {
      path: path.join(schemaDir, `${changed}.ts`),
      original: renderOurTableFile(schema, changed, dslPath),
      withAddedColumn: renderOurTableFile(schema, changed, dslPath, true),
    },
  };
}

function writeDrizzleProject(dir: string, schema: SyntheticSchema): BenchProject {
  const schemaDir = path.join(dir, "schema");
  mkdirSync(schemaDir, { recursive: true });
  // CommonJS like a default drizzle project; drizzle-kit registers its own TypeScript loader for the schema.
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "bench-drizzle", private: true }, null, 2)}\n`);
  symlinkSync(path.join(benchDir, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "drizzle.config.ts"), renderDrizzleConfig());
  for (const file of filesOf(schema)) writeFileSync(path.join(schemaDir, `${file}.ts`), renderDrizzleTableFile(schema, file));
  const changed = fileOfChangedTable(schema);
  return {
    dir,
    outputs: ["drizzle"],
    changedFile: {
      path: path.join(schemaDir, `${changed}.ts`),
      original: renderDrizzleTableFile(schema, changed),
      withAddedColumn: renderDrizzleTableFile(schema, changed, true),
    },
  };
}

export function removeOutputs(project: BenchProject): void {
  for (const output of project.outputs) rmSync(path.join(project.dir, output), { recursive: true, force: true });
}

/** Copies the outputs aside (the state after generating the whole schema), to restore before each run. */
export function saveOutputs(project: BenchProject): string {
  const saved = path.join(project.dir, "..", `${path.basename(project.dir)}-saved-outputs`);
  rmSync(saved, { recursive: true, force: true });
  mkdirSync(saved, { recursive: true });
  for (const output of project.outputs) cpSync(path.join(project.dir, output), path.join(saved, output), { recursive: true });
  return saved;
}

export function restoreOutputs(project: BenchProject, saved: string): void {
  removeOutputs(project);
  for (const output of project.outputs) cpSync(path.join(saved, output), path.join(project.dir, output), { recursive: true });
}

export function setAddedColumn(project: BenchProject, added: boolean): void {
  writeFileSync(project.changedFile.path, added ? project.changedFile.withAddedColumn : project.changedFile.original);
}

/** Our caches in the project (the run cache and the render caches), which a fresh clone and CI do not have. */
export function removeCaches(project: BenchProject): void {
  rmSync(path.join(project.dir, "node_modules", ".cache"), { recursive: true, force: true });
}

export function sqlFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith(".sql"))
        .sort()
    : [];
}

export interface Growth {
  /** Paths relative to the project, with forward slashes. */
  files: { file: string; bytes: number; status: "new" | "rewritten" }[];
  /** Bytes in new files: what one migration adds to a repository. */
  newBytes: number;
}

/** Files of the outputs that are new, or whose content differs from the saved state. */
export function growthSince(project: BenchProject, saved: string): Growth {
  const files: Growth["files"] = [];
  const walk = (relative: string) => {
    const full = path.join(project.dir, relative);
    if (!existsSync(full)) return;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        walk(child);
        continue;
      }
      const before = path.join(saved, child);
      const bytes = statSync(path.join(project.dir, child)).size;
      const file = child.split(path.sep).join("/");
      if (!existsSync(before)) files.push({ file, bytes, status: "new" });
      else if (!readFileSync(before).equals(readFileSync(path.join(project.dir, child)))) files.push({ file, bytes, status: "rewritten" });
    }
  };
  for (const output of project.outputs) walk(output);
  return { files, newBytes: files.filter((file) => file.status === "new").reduce((sum, file) => sum + file.bytes, 0) };
}
