// `d1-schema snapshot` rebuilds a snapshot from what its migrations folder builds, keeping what SQLite cannot say
// (logical and TypeScript types, descriptions, lint silencers) wherever the old snapshot or schema/ describes the
// same table or column. Rebuilding never changes a correct snapshot: ClearLift's four, read back from their folders.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rebuildSnapshot } from "../../generator/commands/rebuild-snapshot.js";
import { readMigrationFiles } from "../../generator/project/database-state.js";
import { projectPaths, snapshotPath } from "../../generator/io/paths.js";
import type { Snapshot } from "../../generator/model/snapshot.js";
import { readSnapshot } from "../../generator/project/snapshot-file.js";
import { SchemaError } from "../../generator/model/errors.js";
import type { Database, Table } from "../../generator/model/model.js";
import { boolean, integer, json, table, text } from "../../generator/dsl/index.js";
import { dslImport, repoRoot, runCli, temporaryDir } from "../helpers/cli.js";
import { History, modelOf } from "../helpers/evolve.js";

const clearLift = projectPaths(repoRoot);

async function committed(folder: string): Promise<{ snapshot: Snapshot; migrations: Awaited<ReturnType<typeof readMigrationFiles>>["migrations"] }> {
  const snapshot = await readSnapshot(snapshotPath(clearLift, folder), folder);
  if (!snapshot) throw new Error(`migrations/${folder}/ has no snapshot`);
  return { snapshot, migrations: (await readMigrationFiles(clearLift, folder)).migrations };
}

/** The model with an index on every table that the folder never built: no table agrees with it as a whole. */
function withIndexEverywhere(database: Database): Database {
  const extra = (table: Table) => ({ name: `idx_not_built_${table.name}`, unique: false, parts: [{ column: table.columns[0].name }] });
  return { ...database, tables: database.tables.map((table) => ({ ...table, indexes: [...table.indexes, extra(table)] })) };
}

describe("rebuilding ClearLift's snapshots from their folders", () => {
  for (const folder of ["db", "ai_db", "analytics_db", "shard"]) {
    it(`${folder}: gives the committed snapshot's model, metadata included`, async () => {
      const { snapshot, migrations } = await committed(folder);
      // The committed snapshot as the old one: every table agrees with the folder and is kept as it is.
      expect(rebuildSnapshot(snapshot.database, snapshot, migrations).snapshot).toMatchObject({
        version: 2,
        lastMigration: snapshot.lastMigration,
        database: snapshot.database,
      });
      // No source agrees with any table as a whole: each is read back from SQLite, its columns, CHECKs and
      // indexes matched with the source's one by one; the result must still be the committed model exactly.
      const rebuilt = rebuildSnapshot(withIndexEverywhere(snapshot.database), undefined, migrations);
      expect(rebuilt.snapshot.database).toEqual(snapshot.database);
    });
  }
});

describe("the metadata a rebuilt snapshot keeps", () => {
  const settings = table(
    "settings",
    {
      id: integer().primaryKey(),
      enabled: boolean().notNull().default(true).describe("on or off"),
      config: json("Record<string, string>"),
    },
    { description: "per-team settings", lint: { "table-without-primary-key": "kept for the test" } },
  );
  const withTheme = table(
    "settings",
    {
      id: integer().primaryKey(),
      enabled: boolean().notNull().default(true).describe("on or off"),
      config: json("Record<string, string>"),
      theme: text().describe("light or dark"),
    },
    { description: "per-team settings", lint: { "table-without-primary-key": "kept for the test" } },
  );
  const changedAgain = table(
    "settings",
    {
      id: integer().primaryKey(),
      enabled: boolean().notNull().default(true).describe("on or off"),
      config: json("Record<string, string>").check("json_valid(config)"),
      theme: text().describe("light or dark"),
    },
    { description: "per-team settings", checks: ["id > 0"] },
  );

  it("takes the columns that agree from the sources and reads the rest back from the folder", () => {
    const history = new History();
    const old = history.step(modelOf([settings]));
    history.step(modelOf([withTheme]));
    const stale: Snapshot = { version: 2, lastMigration: old.migration?.fileName, folderHash: "h1:stale", database: old.database };
    const rebuilt = rebuildSnapshot(modelOf([changedAgain]), stale, history.migrations).snapshot.database.tables[0];
    // No source is the whole table (the old snapshot lacks theme; the schema adds CHECKs): read back, with the
    // metadata of the columns whose definition agrees, and the table's own metadata from the old snapshot.
    expect(rebuilt).toEqual({
      ...modelOf([withTheme]).tables[0],
      description: "per-team settings",
      lint: { "table-without-primary-key": "kept for the test" },
    });
    expect(rebuilt.columns.find((column) => column.name === "enabled")).toMatchObject({ logical: "boolean", description: "on or off" });
    expect(rebuilt.columns.find((column) => column.name === "config")).toMatchObject({ logical: "json", tsType: "Record<string, string>" });
    expect(rebuilt.columns.find((column) => column.name === "config")?.check).toBeUndefined();
    expect(rebuilt.checks).toEqual([]);
  });

  it("keeps a column's storage type but not its logical one when the definitions disagree", () => {
    const history = new History();
    history.step(modelOf([table("flags", { id: integer().primaryKey(), active: integer().notNull().default(0) })]));
    const schema = modelOf([table("flags", { id: integer().primaryKey(), active: boolean().describe("set by admins") })]);
    const rebuilt = rebuildSnapshot(schema, undefined, history.migrations).snapshot.database.tables[0];
    expect(rebuilt.columns[1]).toEqual({ name: "active", type: "INTEGER", logical: "integer", notNull: true, default: { sql: "0", constant: true } });
  });

  it("refuses a folder that does not replay, naming the database and the file", () => {
    const schema = modelOf([settings]);
    const broken = [
      { number: 1, name: "broken", fileName: "0001_broken.sql", sql: "CREATE TABLE settings (id INTEGER PRIMARY KEY);\nINSERT INTO missing VALUES (1);\n" },
    ];
    expect(() => rebuildSnapshot(schema, undefined, broken)).toThrow(SchemaError);
    expect(() => rebuildSnapshot(schema, undefined, broken)).toThrow(
      /TEST_DB: migrations\/test_db\/ does not replay on an empty database the D1 way: 0001_broken\.sql fails on SQLite/,
    );
  });
});

describe("d1-schema snapshot", () => {
  async function project(): Promise<string> {
    const root = await temporaryDir("rebuild");
    await mkdir(path.join(root, "schema/app_db"), { recursive: true });
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dslImport};\nexport default database({ name: "APP_DB" });\n`);
    await writeFile(
      path.join(root, "schema/app_db/users.ts"),
      `import { integer, table, text } from ${dslImport};\nexport const users = table("users", { id: integer().primaryKey(), name: text() });\n`,
    );
    expect((await runCli(root, ["generate"])).code).toBe(0);
    return root;
  }

  it("leaves a snapshot that describes its folder as it is, rebuilds an unreadable one, and refuses a folder whose sum finds it edited", async () => {
    const root = await project();
    const file = path.join(root, "migrations/app_db/snapshot.json");
    const before = await readFile(file, "utf8");
    const unchanged = await runCli(root, ["snapshot"]);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toBe(
      "APP_DB: migrations/app_db/snapshot.json already describes what migrations/app_db/ builds (through 0001_create_users.sql); unchanged\n",
    );
    expect(await readFile(file, "utf8")).toBe(before);

    await writeFile(file, "{ half a snapshot");
    const unreadable = await runCli(root, ["generate"]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain("APP_DB: has an unreadable snapshot");
    expect(unreadable.stderr).toContain("npx d1-schema snapshot --database APP_DB");
    const rebuilt = await runCli(root, ["snapshot", "--database", "APP_DB"]);
    expect(rebuilt.stdout).toContain(
      "APP_DB: migrations/app_db/snapshot.json rebuilt from what migrations/app_db/ builds (through 0001_create_users.sql)\n  the old snapshot was unreadable; it now holds 1 tables\n",
    );
    expect(await readFile(file, "utf8")).toBe(before);

    const migration = path.join(root, "migrations/app_db/0001_create_users.sql");
    await writeFile(migration, (await readFile(migration, "utf8")).replace("name TEXT", "name TEXT, email TEXT"));
    const refused = await runCli(root, ["snapshot", "--database", "APP_DB"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("APP_DB: has a migrations folder that changed since it was generated, so what it builds is not what databases applied:");
    expect(refused.stderr).toContain("0001_create_users.sql was edited after it was generated");
    expect(await readFile(file, "utf8")).toBe(before);
  }, 60_000);
});
