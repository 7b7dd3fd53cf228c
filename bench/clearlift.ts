// ClearLift's own schema as a bench project: a temporary copy of the repository's schema/, migrations/, generated/,
// docs/, wrangler.toml and package.json. Its schema files import "d1-schema-kit", which the tool under test resolves
// to its own entry; generator/ is linked to that tool too, for any file importing it by path. The change is issue 14's: one nullable TEXT column declared in the middle of
// DB.organizations, which must become one ALTER TABLE ... ADD COLUMN.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchProject, Growth } from "./projects.js";

/** The database folder and table the change goes into, and the column it declares after the table's second one. */
export const clearLiftChange = { folder: "db", table: "organizations", column: "bench_mid_note" };

export interface ClearLiftProject extends BenchProject {
  /** Tables in the committed squashes, databases (schema folders) and schema files: the size of the real schema. */
  tables: number;
  databases: number;
  schemaFiles: number;
  remove(): void;
}

const copied = ["schema", "migrations", "generated", "docs", "wrangler.toml", "package.json"];

export function createClearLiftProject(repoRoot: string, toolRoot: string): ClearLiftProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), "d1-schema-bench-clearlift-"));
  const project = path.join(dir, "project");
  for (const entry of copied) cpSync(path.join(repoRoot, entry), path.join(project, entry), { recursive: true });
  symlinkSync(path.join(toolRoot, "generator"), path.join(project, "generator"), "dir");
  const schemaDir = path.join(project, "schema");
  const folders = readdirSync(schemaDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"));
  const schemaFiles = folders.reduce((sum, folder) => sum + readdirSync(path.join(schemaDir, folder.name)).filter((file) => file.endsWith(".ts")).length, 0);
  const freshDir = path.join(project, "migrations", "fresh");
  const tables = readdirSync(freshDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sql"))
    .reduce((sum, file) => sum + (readFileSync(path.join(freshDir, file), "utf8").match(/^CREATE TABLE /gm)?.length ?? 0), 0);
  const changedPath = findTableFile(path.join(schemaDir, clearLiftChange.folder), clearLiftChange.table);
  const original = readFileSync(changedPath, "utf8");
  return {
    dir: project,
    outputs: ["migrations", "generated", "docs"],
    changedFile: {
      path: changedPath,
      original,
      withAddedColumn: insertColumnAfterSecond(original, clearLiftChange.table, `${clearLiftChange.column}: text(),`),
    },
    tables,
    databases: folders.length,
    schemaFiles,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function tableStart(table: string): RegExp {
  return new RegExp(`\\btable\\(\\s*"${table}"\\s*,\\s*\\{`);
}

function findTableFile(folderDir: string, table: string): string {
  const file = readdirSync(folderDir)
    .filter((name) => name.endsWith(".ts"))
    .sort()
    .map((name) => path.join(folderDir, name))
    .find((candidate) => tableStart(table).test(readFileSync(candidate, "utf8")));
  if (!file) throw new Error(`bench: no table("${table}", ...) in ${folderDir}`);
  return file;
}

/**
 * The file with `property` inserted as the table's third column: before the third line that starts a property at the
 * columns object's own indentation (a column written over several lines is one property), or before the object's
 * closing brace when the table has two columns.
 */
export function insertColumnAfterSecond(source: string, table: string, property: string): string {
  const start = tableStart(table).exec(source);
  if (!start) throw new Error(`bench: no table("${table}", { ... }) to add a column to`);
  if (!/import\s*\{[^}]*\btext\b[^}]*\}\s*from\s*"(?:d1-schema-kit|[^"]*dsl\/index\.js)"/.test(source))
    throw new Error(`bench: the file declaring ${table} does not import text()`);
  const bodyStart = start.index + start[0].length;
  const lines = source.slice(bodyStart).split("\n");
  // lines[0] is what follows "{" on its line (nothing, in a formatted file); the columns start on the next line.
  const indent = /^(\s+)\S/.exec(lines[1] ?? "")?.[1];
  if (indent === undefined) throw new Error(`bench: cannot read the columns of ${table}`);
  let properties = 0;
  for (let line = 1; line < lines.length; line++) {
    const atIndent = lines[line].startsWith(indent) && !/^\s/.test(lines[line].slice(indent.length));
    const closes = !lines[line].startsWith(indent) && /^\s*\}/.test(lines[line]);
    if (atIndent && /^\w+\s*:/.test(lines[line].slice(indent.length))) properties++;
    if (properties === 3 || closes) {
      lines.splice(line, 0, `${indent}${property}`);
      return source.slice(0, bodyStart) + lines.join("\n");
    }
  }
  throw new Error(`bench: the columns object of ${table} does not close`);
}

/**
 * What the change run wrote against issue 14's ask: exactly one new migration, holding one
 * `ALTER TABLE organizations ADD COLUMN` (of the added column) and no CREATE TABLE. `problem` says what differs.
 */
export function verifyOneAlter(project: ClearLiftProject, growth: Growth): { migration?: string; problem?: string } {
  const migrations = growth.files.filter(
    (file) => file.status === "new" && file.file.endsWith(".sql") && file.file.startsWith("migrations/") && !file.file.startsWith("migrations/fresh/"),
  );
  if (migrations.length !== 1)
    return { problem: `expected one new migration, found ${migrations.length}: ${migrations.map((file) => file.file).join(", ") || "none"}` };
  const migration = migrations[0].file;
  const file = path.join(project.dir, migration);
  const sql = existsSync(file) ? readFileSync(file, "utf8") : "";
  const alters = [...sql.matchAll(new RegExp(`ALTER\\s+TABLE\\s+"?${clearLiftChange.table}"?\\s+ADD\\s+COLUMN\\s+"?(\\w+)`, "gi"))].map((match) => match[1]);
  const creates = sql.match(/CREATE\s+TABLE/gi)?.length ?? 0;
  if (alters.length !== 1 || creates !== 0) {
    return {
      migration,
      problem: `${migration} holds ${alters.length} ALTER TABLE ${clearLiftChange.table} ADD COLUMN and ${creates} CREATE TABLE (expected 1 and 0)`,
    };
  }
  if (alters[0] !== clearLiftChange.column) return { migration, problem: `${migration} adds ${alters[0]}, not ${clearLiftChange.column}` };
  return { migration };
}
