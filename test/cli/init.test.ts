// `init` (issue 15): a Worker project's wrangler config in, a project d1-schema runs in out, and `generate` right
// after has nothing to do. Each project is a temporary CommonJS one (no "type"), as npm creates them.
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { localDatabaseFile, localStateDir } from "../../generator/wrangler/local-state.js";
import { runCli, temporaryDir } from "../helpers/cli.js";

async function workerProject(files: Record<string, string>): Promise<string> {
  const root = await temporaryDir("init");
  await writeFile(path.join(root, "package.json"), '{ "name": "worker", "private": true }\n');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

/** Every file under `root`, relative, sorted (node_modules and wrangler's state left out). */
async function filesOf(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !file.startsWith("node_modules/") && !file.startsWith(".wrangler/"))
    .sort();
}

/** wrangler.jsonc as `npm create cloudflare` writes it, comments and tabs included. */
const jsonc = (databases: string) => `/**
 * For more details on how to configure Wrangler, refer to:
 * https://developers.cloudflare.com/workers/wrangler/configuration/
 */
{
\t"$schema": "node_modules/wrangler/config-schema.json",
\t"name": "worker",
\t"main": "src/index.ts",
\t"compatibility_date": "2025-09-01",
\t// the app's database
\t"d1_databases": [${databases}]
}
`;

async function expectSettled(root: string): Promise<void> {
  const generate = await runCli(root, ["generate", "--no-cache"]);
  expect(generate.stdout.trim()).toBe("no changes");
  expect(generate.code).toBe(0);
  const check = await runCli(root, ["check", "--no-cache"]);
  expect(check.stderr).toBe("");
  expect(check.code).toBe(0);
}

describe("init", () => {
  it("sets up an empty database for each binding of wrangler.jsonc, keeps its comments, and never overwrites without --force", async () => {
    const root = await workerProject({
      "wrangler.jsonc": jsonc(`\n\t\t{ "binding": "DB", "database_name": "app", "database_id": "00000000-0000-4000-8000-000000000001" }\n\t`),
    });
    const result = await runCli(root, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("DB (DB): schema/db/ empty");
    expect(await filesOf(root)).toEqual([
      "d1-schema.config.ts",
      "generated/db.ts",
      "generated/index.ts",
      "migrations/db/migrations.sum",
      "migrations/db/snapshot.json",
      "migrations/fresh/db/0001_complete_schema.sql",
      "package.json",
      "schema/db/database.ts",
      "wrangler.jsonc",
    ]);
    for (const file of ["d1-schema.config.ts", "schema/db/database.ts"]) expect(result.stdout).toContain(`  ${file}\n`);
    const wrangler = await readFile(path.join(root, "wrangler.jsonc"), "utf8");
    expect(wrangler).toContain("// the app's database");
    expect(wrangler).toContain('"migrations_dir": "migrations/db"');
    expect(await readFile(path.join(root, "d1-schema.config.ts"), "utf8")).toContain('wrangler: "wrangler.jsonc"');
    await expectSettled(root);

    // A first table, then generate: the migration lands where wrangler applies it.
    await writeFile(
      path.join(root, "schema/db/users.ts"),
      `import { integer, table, text } from "d1-schema-kit";\nexport const users = table("users", { id: integer().autoincrement(), email: text().notNull() });\n`,
    );
    expect((await runCli(root, ["generate"])).stdout).toContain("migrations/db/0001_create_users.sql");

    const before = await filesOf(root);
    const again = await runCli(root, ["init"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("d1-schema.config.ts, schema/db, migrations/db/snapshot.json already exist");
    expect(again.stderr).toContain("init --force");
    expect(await filesOf(root)).toEqual(before);
  });

  it("adopts migrations in wrangler's default folder: copied under the same names into migrations/<folder>/, numbering continued", async () => {
    const root = await workerProject({
      "wrangler.toml": `name = "worker"\n\n[[d1_databases]]\nbinding = "APP_DB"\ndatabase_name = "app"\ndatabase_id = "00000000-0000-4000-8000-000000000002"\n`,
      "migrations/0001_init.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
      "migrations/0003_posts.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, body TEXT);\n",
    });
    const result = await runCli(root, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("APP_DB (APP_DB): schema/app_db/ pulled from the migrations");
    expect(result.stdout).toContain("migrations/: its migrations were copied into migrations/app_db/ under the same names");
    for (const file of ["0001_init.sql", "0003_posts.sql"]) {
      expect(await readFile(path.join(root, "migrations/app_db", file), "utf8")).toBe(await readFile(path.join(root, "migrations", file), "utf8"));
    }
    expect(await readFile(path.join(root, "wrangler.toml"), "utf8")).toContain('migrations_dir = "migrations/app_db"');
    expect(existsSync(path.join(root, "schema/app_db/database.ts"))).toBe(true);
    await expectSettled(root);
    await writeFile(
      path.join(root, "schema/app_db/extra.ts"),
      `import { integer, table } from "d1-schema-kit";\nexport const extra = table("extra", { id: integer().autoincrement() });\n`,
    );
    expect((await runCli(root, ["generate"])).stdout).toContain("migrations/app_db/0004_create_extra.sql");
  });

  it("keeps folders where they are when every migrations_dir sits in one parent, shards sharing one folder", async () => {
    const shard = (n: number) =>
      `\n\t\t{ "binding": "SHARD_${n}", "database_id": "00000000-0000-4000-8000-00000000001${n}", "migrations_dir": "db/migrations/shard" }`;
    const root = await workerProject({
      "wrangler.jsonc": jsonc(
        `\n\t\t{ "binding": "APP", "database_id": "00000000-0000-4000-8000-000000000003", "migrations_dir": "db/migrations/app" },${shard(0)},${shard(1)}\n\t`,
      ),
      "db/migrations/app/0001_init.sql": "CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n",
    });
    const result = await runCli(root, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("APP (APP): schema/app/ pulled");
    expect(result.stdout).toContain("SHARD (SHARD_0, SHARD_1): schema/shard/ empty");
    expect(await readFile(path.join(root, "d1-schema.config.ts"), "utf8")).toContain('migrations: "db/migrations"');
    expect(await readFile(path.join(root, "schema/shard/database.ts"), "utf8")).toContain('database({ name: "SHARD", bindings: ["SHARD_0", "SHARD_1"] })');
    expect(existsSync(path.join(root, "migrations"))).toBe(false);
    await expectSettled(root);
  });

  it("pulls a binding without migrations from its local D1 database", async () => {
    const root = await workerProject({
      "wrangler.toml": `name = "worker"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_id = "00000000-0000-4000-8000-000000000004"\nmigrations_dir = "migrations/db"\n`,
    });
    const file = localDatabaseFile(localStateDir(root, undefined), {
      binding: "DB",
      databaseId: "00000000-0000-4000-8000-000000000004",
      migrationsDir: path.join(root, "migrations/db"),
      migrationsTable: "d1_migrations",
    });
    await mkdir(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT ''); INSERT INTO notes (body) VALUES ('kept');");
    db.close();
    const result = await runCli(root, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("DB (DB): schema/db/ pulled from its local D1 database");
    expect(await readFile(path.join(root, "migrations/db/0001_production_baseline.sql"), "utf8")).toContain("CREATE TABLE IF NOT EXISTS notes");
    await expectSettled(root);
  });

  it("writes nothing when a binding cannot be adopted, or when there is no wrangler config", async () => {
    const root = await workerProject({
      "wrangler.toml": `name = "worker"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_id = "00000000-0000-4000-8000-000000000005"\nmigrations_dir = "migrations/db"\n`,
      "migrations/db/0001_init.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY);\n",
      "migrations/db/0002_broken.sql": "ALTER TABLE missing ADD COLUMN x TEXT;\n",
    });
    const before = await filesOf(root);
    const result = await runCli(root, ["init"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("0002_broken.sql fails when the folder is replayed the D1 way");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await filesOf(root)).toEqual(before);

    const bare = await workerProject({});
    const none = await runCli(bare, ["init"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("wrangler.json, wrangler.jsonc or wrangler.toml is not in");
    expect(await filesOf(bare)).toEqual(["package.json"]);
  });
});
