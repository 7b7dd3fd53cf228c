// The pieces of a custom migration that need no project: its mark in migrations.sum (written, read, kept by a
// recomputed sum), which edited custom migrations may still be recorded (the trailing ones only), and the D1 rule
// its statements are held to, which check holds every migration to.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderCustomMigration, startsAsCustomMigration } from "../../generator/project/custom-migration-file.js";
import { editedCustomMigrations, integrityFindings, recordedFolderHash } from "../../generator/project/integrity.js";
import { parseMigrationFileName } from "../../generator/project/migration-files.js";
import { computeSum, readSum, renderSum } from "../../generator/project/migration-sum.js";
import { transactionControlStatement } from "../../generator/sqlite/transaction-control.js";

const database = { name: "APP_DB", bindings: ["APP_DB"], folder: "app_db" };
const file = (fileName: string, sql: string) => ({ ...parseMigrationFileName(fileName)!, sql });
const custom = (fileName: string, body = "") => file(fileName, renderCustomMigration(database, fileName) + body);
const folder = [file("0001_create_users.sql", "CREATE TABLE users (id TEXT, plan TEXT);\n"), custom("0002_backfill.sql")];

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function sumFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-sum-"));
  dirs.push(dir);
  await writeFile(path.join(dir, "migrations.sum"), text);
  return path.join(dir, "migrations.sum");
}

describe("a custom migration's mark", () => {
  it("is written after its hash, read back, and left out of the folder hash", async () => {
    const sum = computeSum(folder);
    const text = renderSum(sum);
    expect(text.split("\n")[2]).toMatch(/^0002_backfill\.sql h1:\S+ custom$/);
    const read = await readSum(await sumFile(text));
    expect(read).toEqual(sum);
    expect([...read!.custom]).toEqual(["0002_backfill.sql"]);
    // The same names and contents without the mark give the same folder hash: the first line carries the mark.
    expect(computeSum(folder).folderHash).toBe(recordedFolderHash(folder, sum));
  });

  it("is only the word custom: anything else after the hash is a malformed line", async () => {
    const text = renderSum(computeSum(folder)).replace(" custom", " customs");
    await expect(readSum(await sumFile(text), "APP_DB", "migrations/app_db/migrations.sum")).rejects.toThrow(
      /migrations\/app_db\/migrations\.sum line 3 is malformed: "0002_backfill\.sql h1:\S+ customs"/,
    );
  });

  it("comes from the file's first line, so a sum recomputed from the files (hash) keeps it", () => {
    expect(startsAsCustomMigration(folder[1].sql)).toBe(true);
    expect(startsAsCustomMigration(folder[0].sql)).toBe(false);
    expect([...computeSum([...folder, file("0003_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n")]).custom]).toEqual(["0002_backfill.sql"]);
  });
});

describe("editedCustomMigrations", () => {
  const sum = computeSum([...folder, custom("0003_seed.sql")]);

  it("are the trailing custom migrations whose content changed since the sum recorded it", () => {
    const edited = [...folder, custom("0003_seed.sql", "INSERT INTO users VALUES ('a', 'free');\n")];
    expect(editedCustomMigrations(edited, sum).map((migration) => migration.fileName)).toEqual(["0003_seed.sql"]);
    const both = [folder[0], custom("0002_backfill.sql", "UPDATE users SET plan = 'free';\n"), edited[2]];
    expect(editedCustomMigrations(both, sum).map((migration) => migration.fileName)).toEqual(["0002_backfill.sql", "0003_seed.sql"]);
    expect(integrityFindings("app_db", both, sum).map((finding) => finding.kind)).toEqual(["custom-migration-unrecorded", "custom-migration-unrecorded"]);
  });

  it("stop at a migration that is not custom: a custom migration before it is frozen, its edit the migration-edited finding", () => {
    const withLater = [...folder, file("0003_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n")];
    const edited = [folder[0], custom("0002_backfill.sql", "UPDATE users SET plan = 'free';\n"), withLater[2]];
    expect(editedCustomMigrations(edited, computeSum(withLater))).toEqual([]);
    expect(integrityFindings("app_db", edited, computeSum(withLater)).map((finding) => finding.kind)).toEqual(["migration-edited"]);
  });

  it("are never a generated migration given the custom first line: the sum did not mark it", () => {
    const generated = [folder[0], file("0002_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n")];
    const disguised = [folder[0], file("0002_add_email.sql", renderCustomMigration(database, "0002_add_email.sql") + "UPDATE users SET plan = 'x';\n")];
    expect(editedCustomMigrations(disguised, computeSum(generated))).toEqual([]);
    expect(integrityFindings("app_db", disguised, computeSum(generated)).map((finding) => finding.kind)).toEqual(["migration-edited"]);
  });
});

describe("transactionControlStatement", () => {
  it("names the line that controls transactions or foreign keys", () => {
    expect(transactionControlStatement("UPDATE t SET a = 1;\n  begin transaction;\nCOMMIT;\n")).toBe("begin transaction;");
    expect(transactionControlStatement("SAVEPOINT s1;\n")).toBe("SAVEPOINT s1;");
    expect(transactionControlStatement("UPDATE t SET a = 1; PRAGMA foreign_keys = OFF;\n")).toBe("UPDATE t SET a = 1; PRAGMA foreign_keys = OFF;");
    expect(transactionControlStatement("PRAGMA defer_foreign_keys = ON;\nUPDATE t SET a = 1;\n")).toBeUndefined();
  });

  it("leaves comments alone: the custom migration's own first lines mention what they forbid", () => {
    expect(transactionControlStatement(renderCustomMigration(database, "0002_backfill.sql"))).toBeUndefined();
    expect(transactionControlStatement("-- no BEGIN here\n/* PRAGMA foreign_keys = OFF */\nUPDATE t SET a = 1;\n")).toBeUndefined();
  });

  it("reads a trigger's BEGIN … END as part of its CREATE TRIGGER, wherever its lines break", () => {
    const trigger =
      "CREATE TRIGGER t_touch AFTER UPDATE ON t FOR EACH ROW\nBEGIN\n  UPDATE t SET b = CASE WHEN NEW.a > 0 THEN 1 ELSE 0 END WHERE id = NEW.id;\nEND;\n";
    expect(transactionControlStatement(trigger)).toBeUndefined();
    expect(transactionControlStatement(`${trigger}BEGIN;\n`)).toBe("BEGIN;");
    expect(transactionControlStatement(`${trigger}end transaction;\n`)).toBe("end transaction;");
  });
});
