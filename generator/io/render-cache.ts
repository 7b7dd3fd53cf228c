// Caches of rendered text that is expensive to produce and a pure function of its input: a statement formatted by
// sql-formatter, a table's block of generated types formatted by prettier. At thousands of tables, formatting
// everything again for one added column cost most of a minute; with the cache only what changed is formatted.
//
// Each cache is one JSON file in node_modules/.cache/d1-schema/ (never committed), named after what it holds and
// tagged with the versions that shape its values; a file with another tag, or unreadable, is ignored. Only the
// entries a run used are saved, so the files do not grow with history. Without a directory (tests, other
// commands) the caches live in memory for the run.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

interface CacheFile {
  tag: string;
  entries: Record<string, string>;
}

export interface RenderCache {
  /** The value stored for `input`, unless it fails `plausible` (a cheap guard against a damaged cache file). */
  lookup(input: string, plausible?: (value: string) => boolean): string | undefined;
  /** Keeps `value` for `input` (and marks it used by this run). */
  store(input: string, value: string): void;
}

class FileBackedCache implements RenderCache {
  private stored: Map<string, string> | undefined;
  private readonly used = new Map<string, string>();
  private changed = false;

  constructor(
    private readonly name: string,
    private readonly tag: string,
  ) {}

  lookup(input: string, plausible: (value: string) => boolean = () => true): string | undefined {
    const key = keyOf(input);
    const value = this.used.get(key) ?? this.load().get(key);
    if (value === undefined || !plausible(value)) return undefined;
    this.used.set(key, value);
    return value;
  }

  store(input: string, value: string): void {
    this.used.set(keyOf(input), value);
    this.changed = true;
  }

  private load(): Map<string, string> {
    if (this.stored) return this.stored;
    this.stored = new Map();
    if (!cacheDir) return this.stored;
    try {
      const file = JSON.parse(readFileSync(this.filePath(), "utf8")) as CacheFile;
      if (file.tag === this.tag) this.stored = new Map(Object.entries(file.entries));
    } catch {
      // No cache yet, or one we cannot read: render everything.
    }
    return this.stored;
  }

  async save(): Promise<void> {
    const dirty = this.changed || (this.stored !== undefined && this.stored.size !== this.used.size);
    if (!cacheDir || !dirty) return;
    const file: CacheFile = { tag: this.tag, entries: Object.fromEntries(this.used) };
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${this.filePath()}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(file));
    await rename(temporary, this.filePath());
  }

  private filePath(): string {
    return path.join(cacheDir!, `${this.name}.json`);
  }
}

function keyOf(input: string): string {
  return createHash("sha256").update(input).digest("base64url").slice(0, 24);
}

let cacheDir: string | undefined;
const caches = new Map<string, FileBackedCache>();

/** Keeps the caches in `<root>/node_modules/.cache/d1-schema/` from now on. */
export function useRenderCacheDir(root: string): void {
  cacheDir = path.join(root, "node_modules", ".cache", "d1-schema");
}

/** The cache called `name`, whose values depend on `tag` (formatter versions and options). */
export function renderCache(name: string, tag: string): RenderCache {
  let cache = caches.get(name);
  if (!cache) {
    cache = new FileBackedCache(name, tag);
    caches.set(name, cache);
  }
  return cache;
}

/** Writes every cache this run changed. */
export async function saveRenderCaches(): Promise<void> {
  await Promise.all([...caches.values()].map((cache) => cache.save()));
}

const runMemos = new Set<Map<string, string>>();

/** A memo kept for this run only: the same input rendered twice in one run (a migration from nothing and the squash). */
export function runMemo(): Map<string, string> {
  const memo = new Map<string, string>();
  runMemos.add(memo);
  return memo;
}

/** Forgets every cache of this run (tests that compare a cached render with a fresh one, the bench's cold renders). */
export function clearRenderCaches(): void {
  caches.clear();
  cacheDir = undefined;
  for (const memo of runMemos) memo.clear();
}
