// The snapshot is proven, never trusted. Every way a snapshot can stop describing its migrations folder (an
// interrupted run, `hash` after one, a deleted or hand-edited snapshot, a version-1 snapshot, a malformed sum) is
// refused by generate and failed by check, through the real CLI; and the fix each error names works: after
// `d1-schema snapshot`, generate's next migration keeps every value the folder's columns hold, on SQLite with rows.
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { computeSum } from "../../generator/project/migration-sum.js";
import type { CurrentSnapshot } from "../../generator/model/snapshot.js";
import { dslImport, runCli, temporaryDir, type CliResult } from "../helpers/cli.js";
import { applyLikeD1, openMemoryDatabase } from "../helpers/evolve.js";
import type { Finding } from "../../generator/model/finding.js";

const d1Schema = (root: string, ...args: string[]): Promise<CliResult> => runCli(root, args, { D1_SCHEMA_NO_CACHE: "1" });

const usersFile = (columns: string) => `import { integer, table, text } from ${dslImport};
export const users = table("users", { id: integer().primaryKey(), ${columns} });
`;
const withoutNickname = "name: text().notNull()";
const withNickname = `${withoutNickname}, nickname: text().describe("what friends call them")`;
/** The next change: a CHECK on name, which SQLite cannot add in place, so the migration rebuilds users. */
const rebuildingChange = 'name: text().notNull().check("length(name) > 0"), nickname: text().describe("what friends call them")';

const snapshotFile = "migrations/app_db/snapshot.json";
/** A snapshot file's text as the object it holds (the tool has written and checked it). */
const snapshotIn = (text: string) => JSON.parse(text) as CurrentSnapshot;
const sumFile = "migrations/app_db/migrations.sum";
const first = "0001_create_users.sql";
const second = "0002_add_nickname_to_users.sql";

/**
 * A project after two generates (users(id, name), then nickname added), with its render caches, and the snapshot
 * the first generate wrote: what a run killed between writing 0002 and writing the snapshot leaves beside 0002.
 */
let base: string;
let oldSnapshot: string;

beforeAll(async () => {
  base = await temporaryDir("proof-base");
  await writeProjectFile(base, "package.json", '{ "type": "module" }\n');
  await writeProjectFile(base, "schema/app_db/database.ts", `import { database } from ${dslImport};\nexport default database({ name: "APP_DB" });\n`);
  await writeProjectFile(base, "schema/app_db/users.ts", usersFile(withoutNickname));
  expect((await d1Schema(base, "generate")).code).toBe(0);
  oldSnapshot = await readProjectFile(base, snapshotFile);
  await writeProjectFile(base, "schema/app_db/users.ts", usersFile(withNickname));
  const added = await d1Schema(base, "generate");
  expect(added.stdout).toContain(second);
}, 60_000);

async function copyOfBase(prefix: string): Promise<string> {
  const root = await temporaryDir(prefix);
  await cp(base, root, { recursive: true });
  return root;
}

async function writeProjectFile(root: string, file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}
const readProjectFile = (root: string, file: string) => readFile(path.join(root, file), "utf8");

/** migrations/ and generated/ by path: what a refused run must leave as it was. */
async function outputsOf(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const dir of ["migrations", "generated"]) {
    for (const entry of await readdir(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[path.relative(root, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), "utf8");
    }
  }
  return files;
}

async function expectRefused(root: string, args: string[], message: string | RegExp): Promise<CliResult> {
  const before = await outputsOf(root);
  const result = await d1Schema(root, ...args);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toContain("Nothing was written.");
  expect(await outputsOf(root)).toEqual(before);
  return result;
}

/**
 * Applies every migration of the project the D1 way on a database that holds users with nicknames from the moment
 * the column exists; returns the rows after the last migration.
 */
async function rowsAfterEveryMigration(root: string): Promise<unknown[]> {
  const dir = path.join(root, "migrations/app_db");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  const db = openMemoryDatabase();
  try {
    for (const file of files) {
      applyLikeD1(db, await readFile(path.join(dir, file), "utf8"));
      if (file === first) db.exec("INSERT INTO users (id, name) VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')");
      if (file === second) db.exec("UPDATE users SET nickname = CASE id WHEN 1 THEN 'the countess' WHEN 2 THEN 'amazing grace' END");
    }
    return db.prepare("SELECT id, name, nickname FROM users ORDER BY id").all();
  } finally {
    db.close();
  }
}

const everyNickname = [
  { id: 1, name: "Ada", nickname: "the countess" },
  { id: 2, name: "Grace", nickname: "amazing grace" },
  { id: 3, name: "Edsger", nickname: null },
];

const staleDigest = new RegExp(
  `APP_DB: migrations/app_db/snapshot\\.json describes a different migrations folder \\(it was written after ${first}; the folder now ends at ${second}\\)\\n  fix: \`npx d1-schema snapshot --database APP_DB\``,
);

/** After `snapshot`, generate writes the rebuild; applied with rows, it keeps every nickname; check passes. */
async function expectFixedByRebuild(root: string): Promise<void> {
  const rebuilt = await d1Schema(root, "snapshot", "--database", "APP_DB");
  expect(rebuilt.code).toBe(0);
  expect(rebuilt.stdout).toContain(
    "APP_DB: migrations/app_db/snapshot.json rebuilt from what migrations/app_db/ builds (through 0002_add_nickname_to_users.sql)",
  );
  expect(rebuilt.stdout).toContain("the old snapshot → the folder: adds column users.nickname");
  const generated = await d1Schema(root, "generate");
  expect(generated.code).toBe(0);
  expect(generated.stdout).toContain("migrations/app_db/0003_");
  const migration = await readProjectFile(
    root,
    `migrations/app_db/${(await readdir(path.join(root, "migrations/app_db"))).find((file) => file.startsWith("0003_"))}`,
  );
  expect(migration).toMatch(/INSERT INTO\s+users \(id, name, nickname\)/);
  expect(await rowsAfterEveryMigration(root)).toEqual(everyNickname);
  expect((await d1Schema(root, "check")).code).toBe(0);
  // The description schema/ gives nickname survived the rebuild of the snapshot.
  expect(snapshotIn(await readProjectFile(root, snapshotFile)).database.tables[0].columns[2]).toMatchObject({
    name: "nickname",
    description: "what friends call them",
  });
}

describe("a snapshot that does not describe its migrations folder", () => {
  it("is refused by generate and failed by check after a run died between 0002 and the snapshot; `snapshot` fixes it and no nickname is lost", async () => {
    const root = await copyOfBase("proof-interrupted");
    await writeProjectFile(root, snapshotFile, oldSnapshot);
    await writeProjectFile(root, "schema/app_db/users.ts", usersFile(rebuildingChange));
    await expectRefused(root, ["generate"], staleDigest);
    const check = await d1Schema(root, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /APP_DB: migrations\/app_db\/snapshot\.json describes a different migrations folder .*: `npx d1-schema snapshot --database APP_DB`/,
    );
    await expectFixedByRebuild(root);
  }, 120_000);

  it("is named by hash, which re-records the folder but does not make the old snapshot current", async () => {
    const root = await copyOfBase("proof-hash");
    await writeProjectFile(root, snapshotFile, oldSnapshot);
    const sum = await readProjectFile(root, sumFile);
    await writeProjectFile(
      root,
      sumFile,
      sum
        .split("\n")
        .filter((line) => !line.startsWith(second))
        .join("\n"),
    );
    await expectRefused(root, ["generate"], /0002_add_nickname_to_users\.sql is not in migrations\.sum/);
    const hashed = await d1Schema(root, "hash");
    expect(hashed.code).toBe(0);
    expect(hashed.stdout).toContain("wrote migrations/app_db/migrations.sum");
    expect(hashed.stdout).toMatch(staleDigest);
    expect(await readProjectFile(root, sumFile)).toBe(sum);
    await writeProjectFile(root, "schema/app_db/users.ts", usersFile(rebuildingChange));
    await expectRefused(root, ["generate"], staleDigest);
    expect((await d1Schema(root, "check")).code).toBe(1);
    await expectFixedByRebuild(root);
  }, 120_000);

  it("is missing while migrations exist: refused instead of creating every table again; `snapshot` fixes it", async () => {
    const root = await copyOfBase("proof-missing");
    await rm(path.join(root, snapshotFile));
    await writeProjectFile(root, "schema/app_db/users.ts", usersFile(`${withNickname}, email: text()`));
    const missing = `APP_DB: migrations/app_db/ holds migrations up to ${second} but no snapshot.json: generate would diff schema/ against nothing and create every table again\n  fix: \`npx d1-schema snapshot --database APP_DB\``;
    await expectRefused(root, ["generate"], missing);
    const check = await d1Schema(root, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`holds migrations up to ${second} but no snapshot.json`);
    const rebuilt = await d1Schema(root, "snapshot", "--database", "APP_DB");
    expect(rebuilt.stdout).toContain("there was no snapshot; it now holds 1 tables");
    const generated = await d1Schema(root, "generate");
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain("migrations/app_db/0003_add_email_to_users.sql\n  add column users.email\n");
    expect(await readProjectFile(root, "migrations/app_db/0003_add_email_to_users.sql")).not.toMatch(/CREATE TABLE/);
    expect((await d1Schema(root, "check")).code).toBe(0);
  }, 120_000);

  it("was edited by hand with its digest left alone: generate refuses by shape, check fails, `snapshot` restores it", async () => {
    const root = await copyOfBase("proof-edited");
    const good = await readProjectFile(root, snapshotFile);
    const edited = snapshotIn(good);
    edited.database.tables[0].columns = edited.database.tables[0].columns.filter((column) => column.name !== "nickname");
    await writeProjectFile(root, snapshotFile, `${JSON.stringify(edited, null, 2)}\n`);
    const shape =
      "APP_DB: migrations/app_db/snapshot.json does not describe what the folder builds (from the snapshot to the folder: adds column users.nickname)";
    await expectRefused(root, ["generate"], shape);
    const check = await d1Schema(root, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(shape);
    expect(check.stderr).not.toContain("changed since the last generate");
    expect((await d1Schema(root, "snapshot")).code).toBe(0);
    expect(await readProjectFile(root, snapshotFile)).toBe(good);
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    expect((await d1Schema(root, "check")).code).toBe(0);
  }, 120_000);
});

describe("a malformed migrations.sum", () => {
  it("is an error of generate and a finding of check, naming the database, the file and the line, and `hash` re-records it", async () => {
    const root = await copyOfBase("proof-sum");
    const sum = await readProjectFile(root, sumFile);
    await writeProjectFile(root, sumFile, `${sum}<<<<<<< HEAD\n`);
    const malformed = 'APP_DB: migrations/app_db/migrations.sum line 4 is malformed: "<<<<<<< HEAD"\n  fix: look at `git diff -- migrations/app_db`';
    const refused = await expectRefused(root, ["generate"], malformed);
    expect(refused.stderr).toContain("`npx d1-schema hash --database APP_DB` records the folder as it is");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // check lists it as a finding (exit 1), with the same fix, and no stack trace.
    const check = await d1Schema(root, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      'check failed:\n  - APP_DB: migrations/app_db/migrations.sum line 4 is malformed: "<<<<<<< HEAD": look at `git diff -- migrations/app_db` (a merge can leave conflict markers; a migration may have changed with it), then `npx d1-schema hash --database APP_DB` records the folder as it is\n',
    );
    const json = JSON.parse((await d1Schema(root, "check", "--json")).stdout) as { ok: boolean; findings: Finding[] };
    expect(json.ok).toBe(false);
    expect(json.findings.map(({ severity, kind, database }) => ({ severity, kind, database }))).toEqual([
      { severity: "error", kind: "sum-malformed", database: "APP_DB" },
    ]);
    expect(json.findings[0].message).toBe('migrations/app_db/migrations.sum line 4 is malformed: "<<<<<<< HEAD"');
    expect((await d1Schema(root, "hash", "--database", "APP_DB")).code).toBe(0);
    expect(await readProjectFile(root, sumFile)).toBe(sum);
    expect((await d1Schema(root, "generate")).stdout.trim()).toBe("no changes");
    expect((await d1Schema(root, "check")).code).toBe(0);
  }, 60_000);
});

describe("a version-1 snapshot (no digest)", () => {
  const asVersion1 = (text: string) => {
    const { folderHash: _digest, ...rest } = snapshotIn(text);
    return `${JSON.stringify({ ...rest, version: 1 }, null, 2)}\n`;
  };

  it("fails check until generate proves it against the folder and writes version 2", async () => {
    const root = await copyOfBase("proof-v1");
    const current = await readProjectFile(root, snapshotFile);
    await writeProjectFile(root, snapshotFile, asVersion1(current));
    const check = await d1Schema(root, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("APP_DB: migrations/app_db/snapshot.json is version 1: it does not record which migrations folder it describes");
    const upgraded = await d1Schema(root, "generate");
    expect(upgraded.code).toBe(0);
    expect(upgraded.stdout).toContain(
      "APP_DB: no schema change; migrations/app_db/snapshot.json proved against a replay of its folder and now records the folder's digest",
    );
    const written = snapshotIn(await readProjectFile(root, snapshotFile));
    const folder = await Promise.all(
      [first, second].map(async (fileName) => ({ fileName, sql: await readProjectFile(root, `migrations/app_db/${fileName}`) })),
    );
    expect(written).toMatchObject({ version: 2, lastMigration: second, folderHash: computeSum(folder).folderHash });
    expect(await readProjectFile(root, snapshotFile)).toBe(current);
    expect((await d1Schema(root, "check")).code).toBe(0);
  }, 60_000);

  it("is refused by shape when it lacks a column the folder built", async () => {
    const root = await copyOfBase("proof-v1-stale");
    await writeProjectFile(root, snapshotFile, asVersion1(oldSnapshot));
    await expectRefused(
      root,
      ["generate"],
      "APP_DB: migrations/app_db/snapshot.json does not describe what the folder builds (from the snapshot to the folder: adds column users.nickname)",
    );
    await writeProjectFile(root, "schema/app_db/users.ts", usersFile(rebuildingChange));
    await expectRefused(root, ["generate"], "adds column users.nickname");
    await expectFixedByRebuild(root);
  }, 120_000);
});
