// Where the time goes: runs a command under `node --cpu-prof` and reads the .cpuprofile files it leaves (one per
// thread), attributing self time to modules (the compiled generator, the schema bundle, zod, better-sqlite3,
// sql-formatter, ...) and listing the heaviest functions, self and inclusive. The CLI runs generator/ compiled into
// one file (bin/compiled-tool.js), so its functions are named by that file's lines; generator/<stage> modules appear
// only when a profile runs the TypeScript sources.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runOnce, type Command } from "./measure.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  label: string;
  wallSeconds: number;
  /** Per thread profile: total sampled ms, self ms by module, top functions. */
  threads: ThreadSummary[];
}

export interface ThreadSummary {
  file: string;
  /** The main thread (0) runs the command; the others are workers and loader threads. */
  main: boolean;
  totalMs: number;
  byArea: { area: string; ms: number }[];
  byModule: { module: string; ms: number }[];
  topSelf: { name: string; module: string; ms: number }[];
  topInclusive: { name: string; module: string; ms: number }[];
}

/** Which module a frame belongs to, by its URL. */
export function moduleOf(frame: CallFrame, projectDir: string): string {
  const { url, functionName } = frame;
  if (url === "") {
    if (functionName.startsWith("(")) return functionName; // (garbage collector), (program), (idle), (root)
    return "V8 builtins and native bindings";
  }
  if (url.startsWith("wasm://")) return "wasm (module lexer)";
  if (/\/node_modules\/\.cache\/d1-schema\/tool-[^/]+\//.test(url)) return "generator (compiled)";
  if (/\/d1-schema-load-[^/]+\/schema\.mjs$/.test(url)) return "schema files";
  const packageMatch = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch) {
    const name = packageMatch[1];
    if (name.startsWith("@esbuild")) return "esbuild";
    return name;
  }
  const generatorMatch = /\/generator\/([^/]+)\//.exec(url);
  if (generatorMatch) return `generator/${generatorMatch[1]}`;
  if (/\/generator\/[^/]+\.ts$/.test(url)) return "generator/cli";
  if (url.includes(projectDir)) return "schema files";
  if (url.startsWith("node:")) {
    if (url.startsWith("node:internal/modules")) return "node: module loading";
    return "node: other internals";
  }
  return url.replace(/^file:\/\//, "").replace(`${path.resolve(import.meta.dirname, "..")}/`, "");
}

/** The areas issue 6 asks about, from a frame's module (and file, for canonical JSON). */
export function areaOf(module: string, url: string): string {
  if (url.endsWith("/canonical-json.ts")) return "canonical JSON (snapshot compare and write)";
  if (["esbuild", "wasm (module lexer)", "node: module loading", "schema files", "generator/dsl"].includes(module))
    return "loading modules and the schema files (esbuild bundle, module loader)";
  if (module === "zod") return "zod";
  if (module === "generator/model") return "normalize + validate (generator/model)";
  if (module === "better-sqlite3" || module === "generator/sqlite") return "SQLite proving and replay (better-sqlite3)";
  if (["sql-formatter", "nearley", "moo"].includes(module)) return "sql-formatter (with nearley)";
  if (["prettier", "ts-morph", "@ts-morph/common", "code-block-writer", "typescript"].includes(module)) return "ts-morph + prettier (types)";
  if (module === "generator/diff" || module === "generator/plan") return "diff + plan";
  if (module === "generator (compiled)") return "generator code (compiled bundle: every stage)";
  if (module.startsWith("generator/")) return `other generator code (${module})`;
  if (module === "(garbage collector)") return "garbage collection";
  if (module === "(idle)") return "idle (waiting on esbuild, another thread or I/O)";
  return "other (node internals, yargs, builtins)";
}

function frameName(frame: CallFrame): string {
  const file = frame.url
    .replace(/^file:\/\//, "")
    .split("/")
    .slice(-2)
    .join("/");
  return `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}` : ""}`;
}

export function summarizeProfile(profile: CpuProfile, file: string, projectDir: string, top = 15): ThreadSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, position) => {
    // timeDeltas[i] is the time since the previous sample; it belongs to the sample it leads to.
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[position] ?? 0) / 1000);
  });
  const byModule = new Map<string, number>();
  const byArea = new Map<string, number>();
  const self = new Map<string, { name: string; module: string; ms: number }>();
  const inclusive = new Map<string, { name: string; module: string; ms: number }>();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const module = moduleOf(node.callFrame, projectDir);
    totalMs += ms;
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
    const area = areaOf(module, node.callFrame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = frameName(node.callFrame);
    const entry = self.get(name) ?? { name, module, ms: 0 };
    entry.ms += ms;
    self.set(name, entry);
    // Inclusive: every distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const frame = byId.get(current)!.callFrame;
      const frameKey = frameName(frame);
      if (seen.has(frameKey) || frame.functionName.startsWith("(")) continue;
      seen.add(frameKey);
      const stacked = inclusive.get(frameKey) ?? { name: frameKey, module: moduleOf(frame, projectDir), ms: 0 };
      stacked.ms += ms;
      inclusive.set(frameKey, stacked);
    }
  }
  const sortByMs = <T extends { ms: number }>(items: Iterable<T>) => [...items].sort((a, b) => b.ms - a.ms);
  return {
    file,
    // Profile files are named CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile.
    main: file.split(".")[4] === "0",
    totalMs,
    byArea: sortByMs([...byArea].map(([area, ms]) => ({ area, ms }))),
    byModule: sortByMs([...byModule].map(([module, ms]) => ({ module, ms }))),
    topSelf: sortByMs(self.values()).slice(0, top),
    // Functions of our own code and the libraries' entry points are what a reader can act on; anonymous module
    // bodies and the event loop's frames are left out.
    topInclusive: sortByMs(inclusive.values())
      .filter((entry) => entry.module.startsWith("generator") && !entry.name.startsWith("(anonymous)"))
      .slice(0, top),
  };
}

/** Runs the command under --cpu-prof and summarizes every thread's profile. */
export async function profileCommand(label: string, command: Command, projectDir: string, timeoutSeconds: number): Promise<ProfileSummary> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "d1-schema-bench-prof-"));
  const [node, ...rest] = command.argv;
  const result = await runOnce({ ...command, argv: [node, "--cpu-prof", `--cpu-prof-dir=${dir}`, ...rest] }, timeoutSeconds);
  if (result.exitCode !== 0) throw new Error(`${label} failed under --cpu-prof: ${result.stderr || result.stdout}`);
  const threads = readdirSync(dir)
    .filter((file) => file.endsWith(".cpuprofile"))
    .sort()
    .map((file) => summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CpuProfile, file, projectDir));
  rmSync(dir, { recursive: true, force: true });
  return { label, wallSeconds: result.seconds, threads };
}

export function renderProfileMarkdown(summary: ProfileSummary): string {
  const lines = [`### ${summary.label} (${summary.wallSeconds.toFixed(2)} s wall under the profiler)`, ""];
  for (const thread of summary.threads.filter((candidate) => !candidate.main)) {
    const idle = thread.byModule.find((entry) => entry.module === "(idle)")?.ms ?? 0;
    lines.push(`Other thread (\`${thread.file}\`): busy ${((thread.totalMs - idle) / 1000).toFixed(2)} s of ${(thread.totalMs / 1000).toFixed(2)} s.`, "");
  }
  for (const thread of summary.threads.filter((candidate) => candidate.main)) {
    const percent = (ms: number) => `${((100 * ms) / thread.totalMs).toFixed(1)}%`;
    lines.push(`Main thread: ${(thread.totalMs / 1000).toFixed(2)} s sampled.`, "");
    lines.push("| area (self time) | ms | share |", "|---|---:|---:|");
    for (const { area, ms } of thread.byArea) lines.push(`| ${area} | ${ms.toFixed(0)} | ${percent(ms)} |`);
    lines.push("", "| module (self time) | ms | share |", "|---|---:|---:|");
    for (const { module, ms } of thread.byModule.slice(0, 16)) lines.push(`| ${module} | ${ms.toFixed(0)} | ${percent(ms)} |`);
    lines.push("", "| function (self time) | module | ms | share |", "|---|---|---:|---:|");
    for (const entry of thread.topSelf) lines.push(`| \`${entry.name}\` | ${entry.module} | ${entry.ms.toFixed(0)} | ${percent(entry.ms)} |`);
    if (thread.topInclusive.length > 0) {
      lines.push("", "| generator function (inclusive time, synchronous part) | ms | share |", "|---|---:|---:|");
      for (const entry of thread.topInclusive) lines.push(`| \`${entry.name}\` | ${entry.ms.toFixed(0)} | ${percent(entry.ms)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
