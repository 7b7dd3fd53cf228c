// A progress line on stderr for long runs: the phase under way and the time so far, rewritten in place and cleared
// at the end. Only on a terminal, so CI logs and pipes stay clean. The slow phases (SQLite builds, rendering) are
// synchronous, so no timer could fire during them: the line is written when a phase starts, once the run has
// taken half a second, and stays up while that phase works.
import { performance } from "node:perf_hooks";

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  phase(text: string): void;
  done(): void;
}

const silent: Progress = { phase: () => undefined, done: () => undefined };
let current: Progress = silent;

/** A progress line on `stream` (a terminal), shown for phases that start after `afterMs`. */
export function progressLine(stream: ProgressStream, now: () => number = () => performance.now(), afterMs = 500): Progress {
  if (!stream.isTTY) return silent;
  const started = now();
  let shown = false;
  return {
    phase(text) {
      const elapsed = now() - started;
      if (elapsed < afterMs) return;
      stream.write(`\r\x1b[Kd1-schema: ${text} (${(elapsed / 1000).toFixed(1)} s)`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** Makes `progress` the line that `reportPhase` writes to (the CLI does, for generate and check). */
export function useProgress(progress: Progress): void {
  current = progress;
}

/** Says what the run is doing now; silent unless the CLI asked for a progress line. */
export function reportPhase(text: string): void {
  current.phase(text);
}

export function endProgress(): void {
  current.done();
  current = silent;
}
