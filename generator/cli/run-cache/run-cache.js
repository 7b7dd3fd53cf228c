// The no-change fast path. `generate` and `check` are deterministic functions of the files they read: the schema
// (and whatever project file it imports), the migrations, the generated files, the wrangler config, this tool's own code
// and the versions of its dependencies. After a successful run we record a digest of all of them with what the run
// printed; a later run whose digest is the same prints that again without loading TypeScript, the schema or SQLite.
// Any byte that differs (an edited schema, a hand-edited migration, a new file, an upgraded dependency) gives
// another digest, and the command runs in full.
//
// Plain JavaScript on purpose: it runs before the compiled CLI is loaded, which is the start-up cost it exists to avoid.
// The record lives in node_modules/.cache/d1-schema/ (the usual place for tool caches; never committed), so a
// fresh clone, and CI, always run in full.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import parseArguments from "yargs-parser";
import { controlFileNames } from "../../io/control-files.js";
import { projectConfigFileNames } from "../../io/project-config-names.js";
import { globalOptions } from "./global-options.js";

/**
 * The tool's root, the folder holding bin/d1-schema.js: the compiled copy (bin/compiled-tool.js) is told where it
 * is; run from source, it is found from here.
 */
// eslint-disable-next-line no-undef -- defined by the build; typeof keeps it safe where it is not
const toolDir = typeof __D1_SCHEMA_TOOL_ROOT__ === "string" ? __D1_SCHEMA_TOOL_ROOT__ : findToolRoot(path.dirname(fileURLToPath(import.meta.url)));
const cachedCommands = new Set(["generate", "check"]);
const recordVersion = 1;

/** Files the schema loaded while the command ran, so a schema importing a file elsewhere is covered. */
const importedUrls = new Set();

/**
 * Where the project keeps what the commands read and write, relative to its root: the defaults, or what its
 * d1-schema.config.ts said in the run that wrote the record (the config's own bytes are an input, so a record
 * whose config is unchanged has the same layout).
 */
const defaultLayout = { schema: "schema", migrations: "migrations", generated: "generated", docs: "docs", wrangler: undefined };
let loadedLayout;

/** Called with the project's paths when the run read its d1-schema.config. */
export function noteProjectPaths(paths) {
  const relative = (file) => path.relative(paths.root, file).split(path.sep).join("/");
  loadedLayout = {
    schema: relative(paths.schemaDir),
    migrations: relative(paths.migrationsDir),
    generated: relative(paths.generatedDir),
    docs: relative(paths.docsDir),
    wrangler: paths.wranglerConfig === undefined ? undefined : relative(paths.wranglerConfig),
  };
}

/** The run under way, when it may be recorded: its command line and the digest of its inputs when it started. */
let current;

/** Called with every file the schema loader bundled: the run depends on each of them. */
export function noteImport(url) {
  importedUrls.add(url);
}

function findToolRoot(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "bin", "d1-schema.js"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`d1-schema: no bin/d1-schema.js above ${from}`);
  }
}

/**
 * The command line as the cache sees it: which command, the project root, and where its record is filed.
 * Undefined when the run is not cached (another command, --help, --no-cache, D1_SCHEMA_NO_CACHE set).
 */
export function cacheableRun(argv, env = process.env, cwd = process.cwd()) {
  if (env.D1_SCHEMA_NO_CACHE) return undefined;
  // yargs' own parser with the global options' table, so --cache and --root read here as the CLI reads them
  // (--cache false, --cache=false, --no-cache, --root x, --root=x ...). The command's own options are unknown
  // here; they only file the record (the whole command line is its key).
  const parsed = parseArguments(argv, {
    string: ["root"],
    boolean: ["cache", "help", "version"],
    default: { root: globalOptions.root.default, cache: globalOptions.cache.default },
  });
  if (parsed.cache !== true || parsed.help || parsed.version || argv.includes("-h")) return undefined;
  const command = parsed._[0];
  if (!cachedCommands.has(command)) return undefined;
  const projectRoot = path.resolve(cwd, parsed.root);
  const key = sha256(JSON.stringify(argv)).slice(0, 16);
  return { command, root: projectRoot, argv, recordPath: path.join(projectRoot, "node_modules", ".cache", "d1-schema", `${command}-${key}.json`) };
}

/**
 * Starts a run: returns what to print when nothing changed since the last successful run of the same command
 * line; otherwise remembers the inputs' digest (for the record the run may write) and returns undefined.
 */
export async function startRun(argv) {
  const run = cacheableRun(argv);
  if (!run) return undefined;
  const record = await readFile(run.recordPath, "utf8").then(JSON.parse, () => undefined);
  const extraFiles = Array.isArray(record?.extraFiles) ? record.extraFiles : [];
  const layout = { ...defaultLayout, ...record?.layout };
  const inputs = await inputsDigest(run, extraFiles, layout);
  // A lock or a write journal in the root: a write is under way or was interrupted, and the command must run (and
  // complete it) whatever the record says.
  const writeUnderWay = controlFileNames.some((name) => existsSync(path.join(run.root, name)));
  if (!writeUnderWay && record?.version === recordVersion && record.inputs === inputs && record.outputs === (await outputsDigest(run.root, layout))) {
    return { stdout: record.stdout };
  }
  current = { run, inputs, extraFiles, layout };
  return undefined;
}

/**
 * Called by `generate` and `check` after a successful run with what a run over the same files would print.
 * Nothing is recorded when the inputs changed while the command ran: the files may no longer be what it read.
 */
export async function recordSuccessfulRun(stdout) {
  if (!current) return;
  const { run, inputs: inputsAtStart, extraFiles: extraFilesAtStart, layout: layoutAtStart } = current;
  current = undefined;
  const inputsNow = await inputsDigest(run, extraFilesAtStart, layoutAtStart);
  if (inputsNow !== inputsAtStart) return;
  const layout = loadedLayout ?? defaultLayout;
  const extraFiles = importedProjectFiles(run.root, layout);
  // The same files in the same layout hash the same: the digest just taken is the record's (one hash of the tool,
  // its lockfile and the schema less per run).
  const sameInputs = JSON.stringify([extraFiles, layout]) === JSON.stringify([extraFilesAtStart, layoutAtStart]);
  const record = {
    version: recordVersion,
    inputs: sameInputs ? inputsNow : await inputsDigest(run, extraFiles, layout),
    outputs: await outputsDigest(run.root, layout),
    extraFiles,
    layout,
    stdout,
  };
  await mkdir(path.dirname(run.recordPath), { recursive: true });
  const temporary = `${run.recordPath}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, run.recordPath);
}

/** Project files the run imported that are neither this tool's nor a dependency's, relative to the root. */
function importedProjectFiles(root, layout) {
  const files = [];
  for (const url of importedUrls) {
    if (!url.startsWith("file:")) continue;
    const file = fileURLToPath(url.split("?")[0]);
    const alreadyHashed = ["generator", "bin", "dist"].map((dir) => path.join(toolDir, dir)).concat(path.join(root, layout.schema));
    if (file.includes(`${path.sep}node_modules${path.sep}`) || alreadyHashed.some((dir) => isInside(dir, file))) continue;
    files.push(path.relative(root, file).split(path.sep).join("/"));
  }
  return [...new Set(files)].sort();
}

/** Everything the command reads besides the files it writes: its code, its dependencies, the schema. */
async function inputsDigest(run, extraFiles, layout) {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ version: recordVersion, argv: run.argv, node: process.versions.node }));
  // The tool's code: its source in its repository, the compiled dist/ in the published package.
  // eslint-disable-next-line no-undef -- defined by bin/build-package.js; typeof keeps it safe where it is not
  const packaged = typeof __D1_SCHEMA_PACKAGED__ === "boolean" && __D1_SCHEMA_PACKAGED__;
  for (const dir of packaged ? ["dist", "bin"] : ["generator", "bin"]) await hashTree(hash, path.join(toolDir, dir), toolDir);
  await hashFile(hash, path.join(toolDir, "package.json"), toolDir);
  hash.update(JSON.stringify(await dependencyVersions()));
  // The lockfiles pin the dependencies' own dependencies too (a formatter's parser, TypeScript under ts-morph).
  await hashFile(hash, path.join(toolDir, "package-lock.json"), toolDir);
  if (run.root !== toolDir) await hashFile(hash, path.join(run.root, "package-lock.json"), run.root);
  for (const name of projectConfigFileNames) await hashFile(hash, path.join(run.root, name), run.root);
  hash.update(JSON.stringify(layout));
  await hashTree(hash, path.join(run.root, layout.schema), run.root);
  for (const file of extraFiles) await hashFile(hash, path.resolve(run.root, file), run.root);
  return hash.digest("base64url");
}

/** The files the commands write or compare: migrations, squashes, snapshots, types, docs, the wrangler config. */
async function outputsDigest(root, layout) {
  const hash = createHash("sha256");
  for (const dir of [layout.migrations, layout.generated, layout.docs]) await hashTree(hash, path.join(root, dir), root);
  // check reads the config d1-schema.config names, or whichever of these wrangler picks (generator/wrangler/config.ts),
  // so a change to any is a change.
  for (const name of [layout.wrangler, "wrangler.json", "wrangler.jsonc", "wrangler.toml"]) {
    if (name !== undefined) await hashFile(hash, path.join(root, name), root);
  }
  return hash.digest("base64url");
}

/** Every file under `dir` (recursively, sorted), each as its path and content; a missing folder hashes as such. */
async function hashTree(hash, dir, base) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => undefined);
  if (!entries) {
    hash.update(`\0missing ${path.relative(base, dir)}\0`);
    return;
  }
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  const contents = await Promise.all(files.map((file) => readFile(file)));
  files.forEach((file, index) => {
    hash.update(`\0${path.relative(base, file)}\0${contents[index].length}\0`);
    hash.update(contents[index]);
  });
}

async function hashFile(hash, file, base) {
  const content = await readFile(file).catch(() => undefined);
  hash.update(`\0${path.relative(base, file)}\0${content === undefined ? "missing" : content.length}\0`);
  if (content) hash.update(content);
}

/** The installed version of each of this tool's dependencies (an upgrade may change what it writes). */
async function dependencyVersions() {
  const manifest = JSON.parse(await readFile(path.join(toolDir, "package.json"), "utf8"));
  const names = Object.keys(manifest.dependencies ?? {}).sort();
  return Promise.all(names.map(async (name) => `${name}@${await installedVersion(name)}`));
}

async function installedVersion(name) {
  for (let dir = toolDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) return JSON.parse(await readFile(manifest, "utf8")).version;
    if (path.dirname(dir) === dir) return "missing";
  }
}

function isInside(dir, file) {
  const relative = path.relative(dir, file);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

function sha256(text) {
  return createHash("sha256").update(text).digest("base64url");
}
