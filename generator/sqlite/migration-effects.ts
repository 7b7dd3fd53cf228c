// What a migration does to a database, found by applying it on a replay of the migrations that database applied:
// the schema changes (shape-changes.ts), none, or why it could not be told. `status` finds them, the audit classifies
// them by kind; `renderMigrationEffect` is the one place they become words.
import { renderShapeChange, type ShapeChange } from "./shape-changes.js";

export type MigrationEffect =
  | ShapeChange
  /** It applies and the schema is as before (it moves rows, or changes nothing). */
  | { kind: "noSchemaChange" }
  /** SQLite rejects it on the replay: wrangler would stop at this file. */
  | { kind: "fails"; reason: string }
  /** An earlier pending file fails, so this one was not tried. */
  | { kind: "notReplayed" }
  /** The migrations the database applied do not replay, so what this one does cannot be told. */
  | { kind: "unknown"; appliedFile: string; reason: string }
  /** A baseline on a database whose history ends below it: IF NOT EXISTS keeps the older tables as they are. */
  | { kind: "skippedByBaseline"; historyEndsAt: string };

export function renderMigrationEffect(effect: MigrationEffect): string {
  switch (effect.kind) {
    case "noSchemaChange":
      return "no schema change";
    case "fails":
      return `fails on a replay of the applied migrations: ${effect.reason}`;
    case "notReplayed":
      return "not replayed: an earlier pending migration fails";
    case "unknown":
      return `unknown: replaying the applied ${effect.appliedFile} fails: ${effect.reason}`;
    case "skippedByBaseline":
      return `IF NOT EXISTS skips the tables this database has, so the changes after ${effect.historyEndsAt} never arrive`;
    default:
      return renderShapeChange(effect);
  }
}
