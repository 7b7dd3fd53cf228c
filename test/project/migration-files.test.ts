// The one migration file-name and number rule, pinned on the names the old parsers saw: the folder's strict
// `^(\d{4})_([a-z0-9_]+)\.sql$`, status's `parseInt(name.split("_")[0], 10)` (wrangler's own), pull's
// `^(\d{1,4})_` for names d1_migrations recorded, and integrity's and the audit's `slice(0, 4)`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  filesSharingANumber,
  formatMigrationNumber,
  listMigrationFolder,
  migrationNumber,
  nextMigrationFileName,
  parseMigrationFileName,
  readMigrationFolder,
  readSqlFiles,
} from "../../generator/project/migration-files.js";

describe("the migration number rule", () => {
  it("gives wrangler's number: the integer before the first underscore, whatever follows", () => {
    // Every old parser agreed on these (the audit printed `0001` and `0045`).
    expect(migrationNumber("0001_a.sql")).toBe(1);
    expect(migrationNumber("0045_production_baseline.sql")).toBe(45);
    expect(migrationNumber("0000_init.sql")).toBe(0);
    // Not d1-schema's form, but numbered for wrangler, status and pull alike (integrity's slice read 12_x as NaN;
    // it only ever reads names the strict rule accepted).
    expect(migrationNumber("12_x.sql")).toBe(12);
    expect(migrationNumber("0007_A.sql")).toBe(7);
    expect(migrationNumber("0003_add-col.sql")).toBe(3);
    // Five digits are wrangler's 12345 (status read it so; pull passes it over as no file name continues it).
    expect(migrationNumber("12345_x.sql")).toBe(12345);
  });

  it("gives no number to a name that does not start with one", () => {
    // status read NaN, pull 0: each caller keeps doing that with undefined.
    expect(migrationNumber("notes.sql")).toBeUndefined();
    expect(migrationNumber("_0001_a.sql")).toBeUndefined();
  });

  it("accepts only NNNN_lower_case_name.sql as d1-schema's own migration files", () => {
    expect(parseMigrationFileName("0001_a.sql")).toEqual({ number: 1, name: "a", fileName: "0001_a.sql" });
    expect(parseMigrationFileName("0045_production_baseline.sql")).toEqual({
      number: 45,
      name: "production_baseline",
      fileName: "0045_production_baseline.sql",
    });
    for (const name of ["12_x.sql", "0007_A.sql", "notes.sql", "12345_x.sql", "0003_add-col.sql", "0001_a.SQL", "0001_.sql"]) {
      expect(parseMigrationFileName(name), name).toBeUndefined();
    }
  });

  it("writes four digits, and numbers the next file one past the highest", () => {
    expect(formatMigrationNumber(7)).toBe("0007");
    expect(formatMigrationNumber(45)).toBe("0045");
    const existing = ["0001_a.sql", "0045_production_baseline.sql"].map((name) => parseMigrationFileName(name)!);
    expect(nextMigrationFileName(existing, 0, "add_users")).toBe("0046_add_users.sql");
    expect(nextMigrationFileName([], 83, "production_baseline")).toBe("0084_production_baseline.sql");
  });

  it("finds files that share a number, as status and integrity both report them", () => {
    expect(filesSharingANumber(["0001_a.sql", "0002_b.sql", "0002_c.sql", "2_d.sql", "0003_e.sql"])).toEqual([
      { number: 2, fileNames: ["0002_b.sql", "0002_c.sql", "2_d.sql"] },
    ]);
    expect(filesSharingANumber(["0001_a.sql", "0002_b.sql"])).toEqual([]);
  });
});

describe("the one folder reader", () => {
  it("lists every *.sql file in name order, d1-schema's migrations apart from the others, and reads their SQL", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-folder-"));
    try {
      const files = { "0002_b.sql": "SELECT 2;", "0001_a.sql": "SELECT 1;", "0007_A.sql": "SELECT 7;", "notes.sql": "-- notes", "README.md": "# no" };
      for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
      expect(await listMigrationFolder(dir)).toEqual({
        migrations: [
          { number: 1, name: "a", fileName: "0001_a.sql" },
          { number: 2, name: "b", fileName: "0002_b.sql" },
        ],
        otherSqlFiles: ["0007_A.sql", "notes.sql"],
        sqlFiles: ["0001_a.sql", "0002_b.sql", "0007_A.sql", "notes.sql"],
      });
      expect((await readMigrationFolder(dir)).migrations.map((migration) => migration.sql)).toEqual(["SELECT 1;", "SELECT 2;"]);
      expect([...(await readSqlFiles(dir))]).toEqual([
        ["0001_a.sql", "SELECT 1;"],
        ["0002_b.sql", "SELECT 2;"],
        ["0007_A.sql", "SELECT 7;"],
        ["notes.sql", "-- notes"],
      ]);
      expect(await listMigrationFolder(path.join(dir, "missing"))).toEqual({ migrations: [], otherSqlFiles: [], sqlFiles: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
