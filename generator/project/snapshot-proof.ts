// Is a snapshot what its migrations folder builds? `generate` diffs schema/ against the snapshot, so a snapshot that
// lacks a column the folder created (an interrupted run, `hash` after one, two runs at once, a mis-merge, a hand
// edit) makes the next rebuild of that table copy only the columns it knows: the others' values become NULL, and
// every later proof compares the new migration with the same wrong snapshot. So the snapshot is proven, never
// trusted: by the folder digest it records (cheap, every run), and by the replay of the folder whenever generate
// replays it anyway to prove a new migration (this catches a hand-edited snapshot whose digest was left alone).
import { canonicalJson } from "../model/canonical-json.js";
import { SchemaError } from "../model/errors.js";
import type { Database } from "../model/model.js";
import type { Snapshot } from "../model/snapshot.js";
import { renderFreshSchema } from "../render/fresh.js";
import type { TableShape } from "../sqlite/shape.js";
import { tableShapesOfSquash } from "../sqlite/prove.js";
import { describeShapeChanges } from "../sqlite/shape-changes.js";
import { describeObjectDifferences, objectShapes } from "../sqlite/objects.js";
import { objectsOf } from "../model/objects.js";
import { computeSum } from "./migration-sum.js";

/** How a snapshot stands against the migrations folder beside it. */
export type SnapshotStanding =
  /** Its digest is the folder's (or there is neither snapshot nor migration). */
  | { kind: "agrees" }
  /** Version 1: no digest; it stands only once a replay of the folder proves it. */
  | { kind: "unproven" }
  | { kind: "missing"; folderEndsAt: string }
  | { kind: "otherFolder"; writtenAfter?: string; folderEndsAt?: string };

export type StaleStanding = Extract<SnapshotStanding, { kind: "missing" | "otherFolder" }>;

export function snapshotStanding(snapshot: Snapshot | undefined, migrations: readonly { fileName: string; sql: string }[]): SnapshotStanding {
  const folderEndsAt = migrations.at(-1)?.fileName;
  if (!snapshot) return folderEndsAt === undefined ? { kind: "agrees" } : { kind: "missing", folderEndsAt };
  if (snapshot.version === 1) return { kind: "unproven" };
  return snapshot.folderHash === computeSum(migrations).folderHash
    ? { kind: "agrees" }
    : { kind: "otherFolder", writtenAfter: snapshot.lastMigration, folderEndsAt };
}

export function isStale(standing: SnapshotStanding): standing is StaleStanding {
  return standing.kind === "missing" || standing.kind === "otherFolder";
}

/** What is wrong with a snapshot that is not proven, and the fix, in words (a SchemaError's or a finding's). */
export function describeStanding(model: Database, standing: StaleStanding | { kind: "unproven" }): { problem: string; fix: string } {
  const file = `migrations/${model.folder}/snapshot.json`;
  switch (standing.kind) {
    case "missing":
      return {
        problem: `migrations/${model.folder}/ holds migrations up to ${standing.folderEndsAt} but no snapshot.json: generate would diff schema/ against nothing and create every table again`,
        fix: rebuildFix(model),
      };
    case "otherFolder": {
      const after = standing.writtenAfter ?? "no migration";
      const where =
        standing.writtenAfter === standing.folderEndsAt
          ? `it was written after ${after}, and the folder's files changed since`
          : `it was written after ${after}; the folder now ends at ${standing.folderEndsAt ?? "no migration"}`;
      return { problem: `${file} describes a different migrations folder (${where})`, fix: rebuildFix(model) };
    }
    case "unproven":
      return {
        problem: `${file} is version 1: it does not record which migrations folder it describes, so a snapshot left behind by an interrupted run or a merge cannot be told from a current one`,
        fix: "run `npx d1-schema generate`: it proves the snapshot against a replay of the folder, records the folder's digest (version 2), and fails if they disagree; commit the result",
      };
    default: {
      const unknown: never = standing;
      throw new Error(`unknown snapshot standing ${JSON.stringify(unknown)}`);
    }
  }
}

export function staleSnapshotError(model: Database, standing: StaleStanding): SchemaError {
  const { problem, fix } = describeStanding(model, standing);
  return new SchemaError({ database: model.name }, problem, fix);
}

/**
 * Where the replayed folder differs from the snapshot's schema (both as SQLite reports them), in words from the
 * snapshot to the folder; empty when they agree.
 */
export function snapshotShapeDifferences(snapshot: Database, replayed: readonly TableShape[], replayedObjects: readonly string[] = []): string[] {
  const objects = describeObjectDifferences(objectShapes(objectsOf(snapshot)), replayedObjects);
  const described = tableShapesOfSquash(renderFreshSchema(snapshot, undefined));
  if (canonicalJson(described) === canonicalJson(replayed)) return objects;
  const changes = describeShapeChanges(described, replayed);
  return [...(changes.length > 0 ? changes : ["column details differ"]), ...objects];
}

export function describeShapeDisagreement(model: Database, differences: readonly string[]): { problem: string; fix: string } {
  return {
    problem: `migrations/${model.folder}/snapshot.json does not describe what the folder builds (from the snapshot to the folder: ${differences.join("; ")}); a rebuild of those tables would copy only the columns the snapshot knows`,
    fix: rebuildFix(model),
  };
}

function rebuildFix(model: Database): string {
  return `\`npx d1-schema snapshot --database ${model.name}\` rebuilds it from what the folder builds (keeping schema/'s types and descriptions where they agree); then run generate`;
}
