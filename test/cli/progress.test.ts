// The progress line: shown on a terminal for phases that start once the run has taken half a second, rewritten in
// place, cleared at the end; never written when stderr is not a terminal.
import { describe, expect, it } from "vitest";
import { progressLine } from "../../generator/io/progress.js";

function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe("the progress line", () => {
  it("stays quiet for a quick start, then shows each phase with the time so far, and clears itself", () => {
    const { stream, writes } = fakeTerminal(true);
    let clock = 0;
    const progress = progressLine(stream, () => clock);
    progress.phase("loading schema/");
    clock = 1200;
    progress.phase("DB: rendering generated/db.ts");
    clock = 2500;
    progress.phase("writing files");
    progress.done();
    expect(writes).toEqual(["\r\x1b[Kd1-schema: DB: rendering generated/db.ts (1.2 s)", "\r\x1b[Kd1-schema: writing files (2.5 s)", "\r\x1b[K"]);
  });

  it("writes nothing when stderr is not a terminal, or when no phase was shown", () => {
    const pipe = fakeTerminal(false);
    let clock = 0;
    const piped = progressLine(pipe.stream, () => clock);
    clock = 5000;
    piped.phase("slow");
    piped.done();
    expect(pipe.writes).toEqual([]);

    const quick = fakeTerminal(true);
    const fast = progressLine(quick.stream, () => 10);
    fast.phase("loading schema/");
    fast.done();
    expect(quick.writes).toEqual([]);
  });
});
