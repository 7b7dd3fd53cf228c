// Writes that cannot be half-done (io/write-files.ts, io/write-journal.ts, io/project-lock.ts). A writing command is
// killed with SIGKILL right before each of its write points in turn (D1_SCHEMA_KILL_AT, io/kill-point.ts); after
// every kill, the next run of the command succeeds and leaves the project byte for byte as a run never killed
// leaves it, and check passes. (hash-kill-points.test.ts does the same for hash.)
import { beforeAll, describe, expect, it } from "vitest";
import { columnProjects, d1Schema, killAtEveryWritePoint, treeOf, type ColumnProjects } from "./project.js";

let projects: ColumnProjects;
let start: string;
let reference: Record<string, string>;

beforeAll(async () => {
  projects = await columnProjects();
  start = projects.start;
  reference = await treeOf(projects.finished);
}, 60_000);

describe("a writing command killed at any write point", () => {
  it("generate: the next generate completes the write or starts it again, and the tree equals an unkilled run's", async () => {
    const before = await treeOf(start);
    const written = Object.keys(reference).filter((file) => reference[file] !== before[file]);
    // The migration, the sum, the snapshot, the squash, the types, the audit report and its diagram: one commit.
    expect(written.sort()).toEqual([
      "docs/AUDIT.md",
      "docs/diagrams/app_db/tables.md",
      "generated/app_db.ts",
      "migrations/app_db/0002_add_title_to_notes.sql",
      "migrations/app_db/migrations.sum",
      "migrations/app_db/snapshot.json",
      "migrations/fresh/app_db/0001_complete_schema.sql",
    ]);
    const commitPoint = written.length + 3;
    const points = await killAtEveryWritePoint(start, ["generate"], async (root, point) => {
      const tree = await treeOf(root);
      // Never half-done: until the commit point every project file is as it was; after the journal is gone, all new.
      const changed = written.filter((file) => tree[file] !== before[file]);
      if (!(".d1-schema-journal.json" in tree)) expect({ point, changed }).toEqual({ point, changed: point <= commitPoint ? [] : written });
      const next = await d1Schema(root, ["generate"]);
      expect({ point, code: next.code }).toEqual({ point, code: 0 });
      // Killed after creating the lock, a run leaves it behind; the next run sees its pid is gone and takes it over.
      expect(next.stderr.includes("took over the lock of `d1-schema generate`")).toBe(point > 1);
      expect(next.stderr.includes("completed a write that was interrupted after it committed")).toBe(point > commitPoint && point <= 2 * written.length + 4);
      // Every file but the caches, root files (lock, journal, temporary files) included: byte for byte the tree check
      // passed on. check itself runs on one kill of each phase (a run costs seconds; the bytes already decide it).
      expect(await treeOf(root)).toEqual(reference);
      if ([commitPoint - 1, commitPoint + 2, 2 * written.length + 5].includes(point)) {
        const check = await d1Schema(root, ["check"]);
        expect({ point, code: check.code, stdout: check.stdout }).toEqual({ point, code: 0, stdout: expect.stringContaining("check passed") as string });
      }
    });
    // The lock, the pending journal, each temporary file, the commit, each rename, the journal's removal, the unlock.
    expect(points).toBe(2 * written.length + 5);
  }, 240_000);
});
