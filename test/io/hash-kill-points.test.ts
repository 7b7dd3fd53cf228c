// Writes that cannot be half-done, for hash (kill-points.test.ts has the reasoning, for generate): killed right
// before each of its write points, the next hash completes or redoes the write, byte for byte.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyProject, d1Schema, killAtEveryWritePoint, newProject, treeOf } from "./project.js";

describe("hash killed at any write point", () => {
  it("the next hash completes or redoes the write, and the sum equals an unkilled hash's", async () => {
    // A comment added to a migration by hand, recorded on purpose with hash.
    const edited = await newProject("hash-start", { docs: false });
    const migration = path.join(edited, "migrations/app_db/0001_create_notes.sql");
    await writeFile(migration, `-- reviewed\n${await readFile(migration, "utf8")}`);
    const finished = await copyProject(edited, "hash-reference");
    expect((await d1Schema(finished, ["hash"])).code).toBe(0);
    const hashed = await treeOf(finished);
    expect(hashed["migrations/app_db/migrations.sum"]).not.toBe((await treeOf(edited))["migrations/app_db/migrations.sum"]);
    const points = await killAtEveryWritePoint(edited, ["hash"], async (root, point) => {
      const next = await d1Schema(root, ["hash"]);
      expect({ point, code: next.code }).toEqual({ point, code: 0 });
      expect(await treeOf(root)).toEqual(hashed);
    });
    expect(points).toBe(2 * 1 + 5);
  }, 120_000);
});
