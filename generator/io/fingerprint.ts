// Derived files (the fresh squash, the generated types) start with a stamp: a hash of what they were made from
// (the snapshot and this generator's own code and formatters) and a hash of their content. `generate` skips
// rendering a file whose inputs have not changed (ts-morph, prettier and sql-formatter cost seconds at scale), and
// `check` can tell a stale file from a hand-edited one without rendering anything.
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { generatorDir } from "./tool-paths.js";

const formatterPackages = ["sql-formatter", "prettier", "ts-morph"];
/**
 * Where the code that shapes the squash, the types and the audit docs starts: a folder stands for every file in it.
 * What they import, transitively, shapes those files too; anything else (the CLI, the planner's migrations, the
 * schema files `pull` writes with types/schema-files.ts) leaves them as they are and does not restamp them.
 */
const renderingEntryPoints = ["render/fresh.ts", "types/render-types.ts", "types/render-index.ts", "audit/", "docs/"];

/**
 * Relative import specifiers of a source file that run: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
 * A type-only import (`import type { X } from "./x.js"`) is erased by the compiler, so it cannot change an output.
 */
const relativeImport = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^;"]*?\bfrom\s*)?"(\.{1,2}\/[^"]+)"|\bimport\s*\(\s*"(\.{1,2}\/[^"]+)"/g;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 32);
}

let generatorHash: Promise<string> | undefined;

/**
 * The generator's source files (paths from generator/, sorted) that shape derived files: the entry points and every
 * file they import, followed transitively. An import TypeScript resolves from `.js` to `.ts` is followed the same way.
 */
export async function renderingCodeFiles(): Promise<string[]> {
  const sources = (await readdir(generatorDir, { recursive: true }))
    .map((file) => file.split(path.sep).join("/"))
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith(".d.ts"));
  const exists = new Set(sources);
  const found = new Set<string>();
  const queue = sources.filter((file) => renderingEntryPoints.some((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry)));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (found.has(file)) continue;
    found.add(file);
    for (const [, , typeOnly, staticSpecifier, dynamicSpecifier] of (await readFile(path.join(generatorDir, file), "utf8")).matchAll(relativeImport)) {
      if (typeOnly) continue;
      const specifier = staticSpecifier ?? dynamicSpecifier;
      const target = path.posix.join(path.posix.dirname(file), specifier);
      const source = [target.replace(/\.js$/, ".ts"), target].find((candidate) => exists.has(candidate));
      if (source) queue.push(source);
    }
  }
  return [...found].sort();
}

/**
 * The fingerprint the package was built with (bin/build-package.js computes it from the source with the function
 * below): the published tool has no TypeScript source to hash, and its formatters are pinned to exact versions.
 */
declare const __D1_SCHEMA_RENDER_FINGERPRINT__: string | undefined;

/** A hash of the generator's rendering code and the versions of the formatters it uses; computed once. */
export function generatorFingerprint(): Promise<string> {
  if (typeof __D1_SCHEMA_RENDER_FINGERPRINT__ === "string") return Promise.resolve(__D1_SCHEMA_RENDER_FINGERPRINT__);
  generatorHash ??= (async () => {
    const files = await renderingCodeFiles();
    const parts = await Promise.all(files.map(async (file) => `${file}\n${await readFile(path.join(generatorDir, file), "utf8")}`));
    const versions = await Promise.all(formatterPackages.map(packageVersion));
    return sha256([...parts, ...versions].join("\0"));
  })();
  return generatorHash;
}

async function packageVersion(name: string): Promise<string> {
  const manifest = path.join(generatorDir, "..", "node_modules", name, "package.json");
  const text = await readFile(manifest, "utf8").catch(() => "{}");
  return `${name}@${(JSON.parse(text) as { version?: string }).version ?? "?"}`;
}

/** The inputs hash of one derived file: what it is, the snapshot it renders, and the generator. */
export async function inputsHash(kind: string, snapshot: string): Promise<string> {
  const fingerprint = await generatorFingerprint();
  // The hash of the three joined, with the snapshot (megabytes at thousands of tables) encoded once for every kind.
  return createHash("sha256").update(`${kind}\0`).update(encoded(snapshot)).update(`\0${fingerprint}`).digest("base64url").slice(0, 32);
}

/** The last snapshot encoded: each is hashed for both kinds of derived file, one after the other. */
let lastEncoded: { text: string; bytes: Buffer } | undefined;

function encoded(text: string): Buffer {
  if (lastEncoded?.text !== text) lastEncoded = { text, bytes: Buffer.from(text) };
  return lastEncoded.bytes;
}

export type CommentSyntax = "--" | "//" | "<!--";

/** The file with its stamp as the first line, in the file's comment syntax. */
export function stampFile(content: string, inputs: string, comment: CommentSyntax): string {
  return `${comment} d1-schema inputs:${inputs} content:${sha256(content)}${comment === "<!--" ? " -->" : ""}\n${content}`;
}

export type StampState = "current" | "stale" | "edited" | "missing";

/** Whether a file on disk is what `generate` would write for `inputs`, without rendering it. */
export function stampState(text: string | undefined, inputs: string): StampState {
  if (text === undefined) return "missing";
  const stamp = readStamp(text);
  if (!stamp?.intact()) return "edited";
  return stamp.inputs === inputs ? "current" : "stale";
}

export interface Stamp {
  /** The inputs hash it was written for. */
  inputs: string;
  /** The file's text after the stamp line. */
  content: string;
  /** Whether the content is what was written (its hash is the stamp's); computed on each call. */
  intact(): boolean;
}

/** A stamped file's stamp, undefined when its first line is not one. */
export function readStamp(text: string): Stamp | undefined {
  const match = /^(?:--|\/\/|<!--) d1-schema inputs:(\S+) content:(\S+)(?: -->)?\n/.exec(text);
  if (!match) return undefined;
  const content = text.slice(match[0].length);
  return { inputs: match[1], content, intact: () => sha256(content) === match[2] };
}
