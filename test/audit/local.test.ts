// audit --local: local databases as wrangler keeps them (files made here the way miniflare names them, with a
// d1_migrations table), giving tables without rows, applied counts and shards that have no local database.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runAudit } from "../../generator/commands/audit.js";
import { runGenerate } from "../../generator/commands/generate.js";
import { projectPaths } from "../../generator/io/paths.js";
import { localDatabaseFile, localStateDir } from "../../generator/wrangler/local-state.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dsl = JSON.stringify(path.join(repoRoot, "generator/dsl/index.ts"));
const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const wranglerToml = ["APP_DB", "SHARD_0", "SHARD_1"]
  .map(
    (binding, position) =>
      `[[d1_databases]]\nbinding = "${binding}"\ndatabase_name = "${binding.toLowerCase()}"\ndatabase_id = "00000000-0000-4000-8000-00000000000${position}"\nmigrations_dir = "migrations/${binding === "APP_DB" ? "app_db" : "shard"}"\n`,
  )
  .join("\n");

describe("audit --local", () => {
  it("finds tables without rows and a shard without a local database", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-audit-local-"));
    temporaryDirs.push(root);
    for (const [folder, name, bindings, tables] of [
      [
        "app_db",
        "APP_DB",
        undefined,
        'export const teams = table("teams", { id: text().primaryKey() });\nexport const notes = table("notes", { id: text().primaryKey() });',
      ],
      ["shard", "SHARD", '["SHARD_0", "SHARD_1"]', 'export const events = table("events", { id: text().primaryKey() });'],
    ] as const) {
      await mkdir(path.join(root, "schema", folder), { recursive: true });
      await writeFile(
        path.join(root, "schema", folder, "database.ts"),
        `import { database } from ${dsl};\nexport default database({ name: "${name}"${bindings ? `, bindings: ${bindings}` : ""} });\n`,
      );
      await writeFile(path.join(root, "schema", folder, "tables.ts"), `import { table, text } from ${dsl};\n${tables}\n`);
    }
    await writeFile(path.join(root, "wrangler.toml"), wranglerToml);
    const paths = projectPaths(root);
    await runGenerate(paths, { allowDestructive: false });

    // APP_DB and SHARD_0 exist locally with every migration applied; SHARD_1 was never created.
    const stateDir = localStateDir(root, undefined);
    for (const [binding, position, folder, rows] of [
      ["APP_DB", 0, "app_db", "INSERT INTO teams VALUES ('t1');"],
      ["SHARD_0", 1, "shard", ""],
    ] as const) {
      const file = localDatabaseFile(stateDir, {
        binding,
        databaseId: `00000000-0000-4000-8000-00000000000${position}`,
        migrationsDir: "",
        migrationsTable: "d1_migrations",
      });
      await mkdir(path.dirname(file), { recursive: true });
      const db = new Database(file);
      const migration = (await import("node:fs")).readdirSync(path.join(root, "migrations", folder)).find((name) => name.endsWith(".sql"))!;
      db.exec(await readFile(path.join(root, "migrations", folder, migration), "utf8"));
      db.exec(
        `CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TEXT); INSERT INTO d1_migrations (name) VALUES ('${migration}'); ${rows}`,
      );
      db.close();
    }

    const { report } = await runAudit(paths, { local: true, remoteStatus: [] });
    expect(Object.fromEntries(report.inventory.map((row) => [row.binding, `${row.local} ${row.status}`]))).toEqual({
      APP_DB: "1/1 Local only",
      SHARD_0: "1/1 Local only",
      SHARD_1: "no local database No local database",
    });
    expect(report.emptyTables).toEqual([
      { binding: "APP_DB", tables: ["notes"] },
      { binding: "SHARD_0", tables: ["events"] },
    ]);
    expect(report.findings.map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
      "MEDIUM 1 table of APP_DB has no rows locally",
      "MEDIUM 1 table of SHARD_0 has no rows locally",
      "MEDIUM Shards with no local database: SHARD_1",
    ]);
  });
});
