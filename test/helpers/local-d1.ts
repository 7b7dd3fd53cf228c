/**
 * Test helper: run migrations through wrangler's real local D1 engine (miniflare/workerd),
 * so tests can check what D1 really accepts instead of what plain SQLite accepts.
 *
 * Every call works in a throwaway "project" directory holding its own wrangler.toml and its
 * own persist dir, so nothing touches the repository or the user's ~/.wrangler state.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

export interface LocalD1Result {
  /** SQLite file miniflare wrote for the database (open it readonly with better-sqlite3). */
  sqlitePath: string;
  /** Names recorded in `d1_migrations`, in id order ([] when the table does not exist). */
  appliedNames: string[];
  /** Wrangler's stdout (tables, "commands executed successfully", ...). */
  stdout: string;
}

// Not exported: the public API is the two functions and LocalD1Result; callers pass an object literal.
interface LocalD1Options {
  /** Binding name written to wrangler.toml and passed to wrangler. Default "DB". */
  binding?: string;
  /** Project dir to use. Reusing one keeps its persist dir, so later applies only run pending files. */
  workDir?: string;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The local binary, never `npx`: npx may try the network, and the tests must run offline.
const WRANGLER_BIN = join(REPO_ROOT, "node_modules", ".bin", "wrangler");
const WRANGLER_TIMEOUT_MS = 120_000;
// Fixed so the persisted Durable Object file name (a hash of the id) is stable across calls.
const DATABASE_ID = "00000000-0000-4000-8000-000000000000";
const PERSIST_DIR_NAME = "d1-state";

/**
 * Applies every *.sql in `migrationsDir` with `wrangler d1 migrations apply <binding> --local`.
 * wrangler.toml points `migrations_dir` at `migrationsDir` itself (not a copy), so wrangler sees
 * exactly what is in that folder, non-.sql files and subdirectories included.
 * Throws an Error carrying wrangler's stdout/stderr when wrangler fails (e.g. a migration errors).
 * The error also has a `result` property (LocalD1Result) when the database file exists, so a test
 * can check what a failed migration left behind (e.g. that it rolled back).
 */
export async function applyWithWrangler(migrationsDir: string, options: LocalD1Options = {}): Promise<LocalD1Result> {
  const project = prepareProject(resolveWorkDir(options), resolve(migrationsDir), options.binding);
  return runAndRead(project, ["d1", "migrations", "apply", project.binding]);
}

/** Runs `wrangler d1 execute <binding> --local --file=<file>` against the same kind of throwaway project. */
export async function executeFileWithWrangler(sqlFile: string, options: LocalD1Options = {}): Promise<LocalD1Result> {
  const workDir = resolveWorkDir(options);
  // `d1 execute` never reads migrations; the folder only makes wrangler.toml complete.
  const migrationsDir = join(workDir, "migrations");
  mkdirSync(migrationsDir, { recursive: true });
  const project = prepareProject(workDir, migrationsDir, options.binding);
  return runAndRead(project, ["d1", "execute", project.binding, `--file=${resolve(sqlFile)}`]);
}

interface Project {
  workDir: string;
  binding: string;
  configPath: string;
  persistDir: string;
}

/** The caller's dir (created if missing) or a fresh temp dir. */
function resolveWorkDir(options: LocalD1Options): string {
  if (!options.workDir) return mkdtempSync(join(tmpdir(), "d1-local-"));
  const workDir = resolve(options.workDir);
  mkdirSync(workDir, { recursive: true });
  return workDir;
}

/** Writes (or rewrites) wrangler.toml; an existing persist dir is kept so earlier applies stay recorded. */
function prepareProject(workDir: string, migrationsDir: string, binding = "DB"): Project {
  const configPath = join(workDir, "wrangler.toml");
  writeFileSync(configPath, wranglerToml(binding, migrationsDir));
  return { workDir, binding, configPath, persistDir: join(workDir, PERSIST_DIR_NAME) };
}

function wranglerToml(binding: string, migrationsDir: string): string {
  // JSON string literals are valid TOML basic strings, which escapes odd characters in paths.
  return [
    `name = "d1-schema-local-test"`,
    `compatibility_date = "2025-01-01"`,
    ``,
    `[[d1_databases]]`,
    `binding = ${JSON.stringify(binding)}`,
    `database_name = "local-test-db"`,
    `database_id = ${JSON.stringify(DATABASE_ID)}`,
    `migrations_dir = ${JSON.stringify(migrationsDir)}`,
    ``,
  ].join("\n");
}

/** Runs wrangler, then reads the database; on failure attaches what the database holds to the error. */
async function runAndRead(project: Project, args: string[]): Promise<LocalD1Result> {
  let stdout: string;
  try {
    stdout = await runWrangler(project, args);
  } catch (error) {
    if (error instanceof WranglerError && hasSqliteFile(project.persistDir)) {
      error.result = readResult(project, error.stdout);
    }
    throw error;
  }
  return readResult(project, stdout);
}

/** Not exported: tests read `result` through `Error & { result?: LocalD1Result }`. */
class WranglerError extends Error {
  result?: LocalD1Result;
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "WranglerError";
  }
}

/** Spawns wrangler non-interactively and resolves with stdout; rejects with both streams on failure. */
function runWrangler(project: Project, args: string[]): Promise<string> {
  const fullArgs = [...args, "--local", `--persist-to=${project.persistDir}`, `--config=${project.configPath}`];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(WRANGLER_BIN, fullArgs, {
      cwd: project.workDir,
      env: wranglerEnv(project.workDir),
      // No stdin: with CI=true and no TTY wrangler answers its confirm prompt with the default "yes".
      stdio: ["ignore", "pipe", "pipe"],
      timeout: WRANGLER_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      stdout = stripAnsi(stdout);
      stderr = stripAnsi(stderr);
      if (code === 0) return resolvePromise(stdout);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const message = `wrangler ${args.join(" ")} ${how}\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`;
      reject(new WranglerError(message, stdout, stderr));
    });
  });
}

function wranglerEnv(workDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    // Keep wrangler's debug logs inside the throwaway project instead of the user's home.
    WRANGLER_LOG_PATH: join(workDir, "logs"),
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

// wrangler colours its error box even with NO_COLOR/FORCE_COLOR=0; tests match plain text.
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the ESC character is the point
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

function readResult(project: Project, stdout: string): LocalD1Result {
  const sqlitePath = findSqliteFile(project.persistDir);
  return { sqlitePath, appliedNames: readAppliedNames(sqlitePath), stdout };
}

/**
 * miniflare stores each D1 database as a Durable Object SQLite file named after a hash of the
 * object id: <persist>/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite, next to metadata.sqlite.
 * The project has one database, so exactly one non-metadata file is expected.
 */
function findSqliteFile(persistDir: string): string {
  const objectDir = d1ObjectDir(persistDir);
  const files = listSqliteFiles(objectDir);
  if (files.length !== 1) {
    throw new Error(`expected one D1 sqlite file in ${objectDir}, found: ${JSON.stringify(files)}`);
  }
  return join(objectDir, files[0]);
}

function hasSqliteFile(persistDir: string): boolean {
  return listSqliteFiles(d1ObjectDir(persistDir)).length === 1;
}

function d1ObjectDir(persistDir: string): string {
  return join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject");
}

function listSqliteFiles(objectDir: string): string[] {
  if (!existsSync(objectDir)) return [];
  return readdirSync(objectDir).filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
}

function readAppliedNames(sqlitePath: string): string[] {
  // Readonly still sees rows left in the -wal file, which wrangler does not always checkpoint.
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'").get();
    if (!hasTable) return [];
    const rows = db.prepare("SELECT name FROM d1_migrations ORDER BY id").all() as { name: string }[];
    return rows.map((row) => row.name);
  } finally {
    db.close();
  }
}
