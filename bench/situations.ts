// The situations measured at each synthetic size, as the report names them: ours (ids as run.ts measures them),
// with drizzle-kit's counterpart where it has one. Cold ones first: no caches at all, as on a fresh clone or in CI.
export interface Situation {
  id: string;
  /** Row label in a size's table. */
  label: string;
  /** Short name in the targets' evidence. */
  name: string;
  drizzle?: string;
  cold: boolean;
}

export const situations: readonly Situation[] = [
  {
    id: "oursAddColumnCold",
    label: "**cold**: generate, one added column, no caches (fresh clone, CI)",
    name: "one added column, no caches",
    drizzle: "drizzleAddColumn",
    cold: true,
  },
  { id: "oursEmpty", label: "**cold**: generate, empty snapshot (whole schema), no caches", name: "empty snapshot", drizzle: "drizzleEmpty", cold: true },
  {
    id: "oursNoChangeCold",
    label: "**cold**: generate `--no-cache`, no change, no caches",
    name: "no change, --no-cache",
    drizzle: "drizzleNoChange",
    cold: true,
  },
  { id: "oursCheckCold", label: "**cold**: check `--no-cache`, no caches", name: "check --no-cache", cold: true },
  {
    id: "oursAddColumn",
    label: "warm: generate, one added column, render caches warm",
    name: "one added column, caches warm",
    drizzle: "drizzleAddColumn",
    cold: false,
  },
  {
    id: "oursNoChange",
    label: "warm: generate, no change (the run cache holds the last success)",
    name: "no change, run cache",
    drizzle: "drizzleNoChange",
    cold: false,
  },
  { id: "oursCheck", label: "warm: check (the run cache holds the last success)", name: "check, run cache", cold: false },
];
