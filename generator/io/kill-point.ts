// Fault injection for test/io: with D1_SCHEMA_KILL_AT=N the process kills itself with SIGKILL (no `finally`, no
// exit handler runs: what a crash, an out-of-memory kill or a closed CI runner does) right before its N-th write
// point, counted from 1 over the whole run. The write points, in the order a writing command reaches them:
//   1. creating the project lock (io/project-lock.ts);
//   then for each interrupted write it completes at its start, each rename or delete and the journal's removal;
//   then for each commit (io/write-files.ts): writing the pending journal, each temporary file (one point each),
//   the commit (renaming the pending journal to the journal), each rename into place or delete (one point each),
//   removing the journal;
//   last, removing the project lock.
// Nothing else reads the variable; unset, a write point is one comparison.
const killAt = Number(process.env.D1_SCHEMA_KILL_AT ?? 0);
let reached = 0;

export function writePoint(): void {
  if (killAt > 0 && ++reached === killAt) process.kill(process.pid, "SIGKILL");
}
