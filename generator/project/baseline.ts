// A baseline adopts a database's history: the whole schema with IF NOT EXISTS, numbered like the last migration
// production applied, so databases that have the schema treat it as a no-op (`d1-schema baseline`, `pull`).
import { baselineMarker } from "../render/migration.js";

// The header line `d1-schema baseline` writes (render/migration.ts), as a comment line of its own: a migration that
// merely mentions the words elsewhere is not a baseline.
const baselineHeader = new RegExp(`^-- ${baselineMarker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m");

/** Whether a migration's SQL is a baseline d1-schema wrote. */
export function isBaselineMigration(sql: string): boolean {
  return baselineHeader.test(sql);
}
