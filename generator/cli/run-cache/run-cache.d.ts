// Types for run-cache.js (plain JavaScript: it runs before the TypeScript loader is registered).

export interface CacheableRun {
  command: string;
  root: string;
  argv: string[];
  recordPath: string;
}

export function noteImport(url: string): void;
export function noteProjectPaths(paths: import("../../io/paths.js").ProjectPaths): void;
export function cacheableRun(argv: string[], env?: NodeJS.ProcessEnv, cwd?: string): CacheableRun | undefined;
export function startRun(argv: string[]): Promise<{ stdout: string } | undefined>;
export function recordSuccessfulRun(stdout: string): Promise<void>;
