// The one wrangler config reader and editor, on real files: wrangler.toml, wrangler.json and wrangler.jsonc (with
// comments and trailing commas, as Cloudflare's project generator writes it) give the same d1_databases; the file
// wrangler would pick is the one read, unless --config names another; and editing a wrangler.jsonc keeps its
// comments and layout and gives a file wrangler's parser reads.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse, type ParseError } from "jsonc-parser";
import { afterAll, describe, expect, it } from "vitest";
import {
  findWranglerConfigFile,
  jsoncOptions,
  parseD1Databases,
  readWranglerConfig,
  readWranglerD1Config,
  wranglerConfigPath,
} from "../../generator/wrangler/config.js";
import { editD1Databases } from "../../generator/wrangler/edit.js";
import { wranglerConfigFindings } from "../../generator/wrangler/config-findings.js";
import { database, integer, table } from "../../generator/dsl/index.js";
import { projectPaths } from "../../generator/io/paths.js";
import { renderFinding } from "../../generator/model/finding.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { WranglerStateError } from "../../generator/wrangler/state-error.js";

const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function projectWith(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "d1-schema-wrangler-config-reader-"));
  temporaryDirs.push(root);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
  return root;
}

const toml = `name = "worker"
compatibility_date = "2025-01-01"

[[d1_databases]]
binding = "APP_DB"
database_name = "app"
database_id = "11111111-1111-4111-8111-111111111111" # production
migrations_dir = "migrations/app_db"

[[d1_databases]]
binding = "SHARD_0"
database_id = "22222222-2222-4222-8222-222222222222"
preview_database_id = "33333333-3333-4333-8333-333333333333"
migrations_dir = "migrations/shard"
migrations_table = "shard_migrations"

[[env.staging.d1_databases]]
binding = "APP_DB"
database_id = "staging"
`;

const json = `{
  "name": "worker",
  "compatibility_date": "2025-01-01",
  "d1_databases": [
    { "binding": "APP_DB", "database_name": "app", "database_id": "11111111-1111-4111-8111-111111111111", "migrations_dir": "migrations/app_db" },
    {
      "binding": "SHARD_0",
      "database_id": "22222222-2222-4222-8222-222222222222",
      "preview_database_id": "33333333-3333-4333-8333-333333333333",
      "migrations_dir": "migrations/shard",
      "migrations_table": "shard_migrations"
    }
  ],
  "env": { "staging": { "d1_databases": [{ "binding": "APP_DB", "database_id": "staging" }] } }
}
`;

/** The same config as Cloudflare's project generator lays it out: a block comment, tabs, comments, trailing commas. */
const jsonc = `/**
 * For more details on how to configure Wrangler, refer to:
 * https://developers.cloudflare.com/workers/wrangler/configuration/
 */
{
	"$schema": "node_modules/wrangler/config-schema.json",
	"name": "worker",
	"compatibility_date": "2025-01-01",
	// D1: one binding for the app, one per shard
	"d1_databases": [
		{
			"binding": "APP_DB",
			"database_name": "app",
			"database_id": "11111111-1111-4111-8111-111111111111", // production
			"migrations_dir": "migrations/app_db",
		},
		{
			"binding": "SHARD_0",
			"database_id": "22222222-2222-4222-8222-222222222222",
			"preview_database_id": "33333333-3333-4333-8333-333333333333",
			/* wrangler's own table name for this one */
			"migrations_dir": "migrations/shard",
			"migrations_table": "shard_migrations",
		},
	],
	"env": { "staging": { "d1_databases": [{ "binding": "APP_DB", "database_id": "staging" }] } },
}
`;

const expectedDatabases = [
  { binding: "APP_DB", database_name: "app", database_id: "11111111-1111-4111-8111-111111111111", migrations_dir: "migrations/app_db" },
  {
    binding: "SHARD_0",
    database_id: "22222222-2222-4222-8222-222222222222",
    preview_database_id: "33333333-3333-4333-8333-333333333333",
    migrations_dir: "migrations/shard",
    migrations_table: "shard_migrations",
  },
];

/** What wrangler's parser makes of a .json or .jsonc file (wrangler-dist/cli.js, parseJSONC). */
function parseLikeWrangler(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, jsoncOptions);
  expect(errors).toEqual([]);
  return value;
}

describe("reading the wrangler config", () => {
  it("reads the same top-level d1_databases from wrangler.toml, wrangler.json and wrangler.jsonc", async () => {
    for (const [name, text] of [
      ["wrangler.toml", toml],
      ["wrangler.json", json],
      ["wrangler.jsonc", jsonc],
    ]) {
      const root = await projectWith({ [name]: text });
      const file = path.join(root, name);
      expect(findWranglerConfigFile(root), name).toBe(file);
      expect(await readWranglerConfig(file), name).toEqual({ kind: "read", text, databases: expectedDatabases });
      expect(await readWranglerD1Config({ root: root }), name).toEqual({
        path: file,
        databases: [
          {
            binding: "APP_DB",
            databaseId: "11111111-1111-4111-8111-111111111111",
            previewDatabaseId: undefined,
            migrationsDir: path.join(root, "migrations/app_db"),
            migrationsTable: "d1_migrations",
          },
          {
            binding: "SHARD_0",
            databaseId: "22222222-2222-4222-8222-222222222222",
            previewDatabaseId: "33333333-3333-4333-8333-333333333333",
            migrationsDir: path.join(root, "migrations/shard"),
            migrationsTable: "shard_migrations",
          },
        ],
      });
    }
  });

  it("picks the file wrangler picks (wrangler.json, then wrangler.jsonc, then wrangler.toml), unless --config names one", async () => {
    const other = `{ "d1_databases": [{ "binding": "OTHER" }] }`;
    const all = await projectWith({ "wrangler.toml": toml, "wrangler.jsonc": jsonc, "wrangler.json": other, "deploy/wrangler.toml": toml });
    expect(findWranglerConfigFile(all)).toBe(path.join(all, "wrangler.json"));
    expect((await readWranglerD1Config({ root: all }))?.databases.map((database) => database.binding)).toEqual(["OTHER"]);

    const tomlAndJsonc = await projectWith({ "wrangler.toml": 'name = "old"\n', "wrangler.jsonc": jsonc });
    expect(wranglerConfigPath({ root: tomlAndJsonc }, undefined)).toBe(path.join(tomlAndJsonc, "wrangler.jsonc"));
    expect(wranglerConfigPath({ root: await projectWith({ "wrangler.toml": toml }) }, undefined)).toMatch(/wrangler\.toml$/);

    // No config: readers find none, and wrangler-config --write would create wrangler.toml.
    const empty = await projectWith({});
    expect(findWranglerConfigFile(empty)).toBeUndefined();
    expect(await readWranglerD1Config({ root: empty })).toBeUndefined();
    expect(wranglerConfigPath({ root: empty }, undefined)).toBe(path.join(empty, "wrangler.toml"));

    // An explicit --config is taken as given (resolved from the working directory), whatever the root holds.
    const explicit = path.join(all, "deploy/wrangler.toml");
    expect(wranglerConfigPath({ root: all }, path.relative(process.cwd(), explicit))).toBe(explicit);
    const config = await readWranglerD1Config({ root: all }, explicit);
    expect(config?.path).toBe(explicit);
    expect(config?.databases.map((database) => database.migrationsDir)).toEqual([
      path.join(all, "deploy/migrations/app_db"),
      path.join(all, "deploy/migrations/shard"),
    ]);
    await expect(readWranglerD1Config({ root: all }, path.join(all, "nope.jsonc"))).rejects.toThrow(WranglerStateError);

    // The file d1-schema.config.ts names (its `wrangler` field) comes before the one wrangler would pick.
    const configured = { root: all, wranglerConfig: explicit };
    expect(wranglerConfigPath(configured, undefined)).toBe(explicit);
    expect((await readWranglerD1Config(configured))?.path).toBe(explicit);
    expect(wranglerConfigPath(configured, path.join(all, "wrangler.jsonc"))).toBe(path.join(all, "wrangler.jsonc"));
  });

  it("reports an invalid file with the parser's line and column, and entries wrangler would not take", async () => {
    const root = await projectWith({ "wrangler.jsonc": '{\n  "name": "x",\n  "d1_databases": [ { "binding": "DB" } }\n}\n' });
    const config = await readWranglerConfig(path.join(root, "wrangler.jsonc"));
    expect(config).toEqual({ kind: "invalid", message: expect.stringMatching(/^not valid JSON: \w+ \(line 3, column \d+\)$/) as unknown });
    await expect(readWranglerD1Config({ root: root })).rejects.toThrow(/wrangler\.jsonc: not valid JSON/);

    expect(() => parseD1Databases('{ "d1_databases": { "binding": "DB" } }', "json")).toThrow(/^d1_databases is not an array$/);
    expect(() => parseD1Databases('{ "d1_databases": [{ "binding": 1 }] }', "jsonc")).toThrow(/^d1_databases entry 1: binding must be a string$/);
    expect(() => parseD1Databases('[[d1_databases]]\nbinding = ""\n')).toThrow(/^d1_databases entry 1: binding must not be empty$/);
    expect(() => parseD1Databases('[[d1_databases]]\nbinding = "DB"\nmigrations_table = "x; DROP"\n')).toThrow(/migrations_table must be a plain table name$/);
  });
});

describe("editing a wrangler.jsonc", () => {
  const edit = {
    set: [{ block: 1, key: "migrations_dir", value: "migrations/shards" }],
    append: [
      [
        { key: "binding", value: "SHARD_1" },
        { key: "database_id", value: "00000000-0000-4000-8000-000000000001", comment: "placeholder: set the real id" },
        { key: "migrations_dir", value: "migrations/shards" },
      ],
    ],
  };

  it("keeps its comments, tabs and trailing commas, and gives a file wrangler's parser and the reader read", () => {
    const edited = editD1Databases(jsonc, edit, "jsonc");
    expect(edited).toBe(
      jsonc
        .replace('"migrations_dir": "migrations/shard",', '"migrations_dir": "migrations/shards",')
        .replace(
          '\t\t\t"migrations_table": "shard_migrations",\n\t\t},\n',
          '\t\t\t"migrations_table": "shard_migrations",\n\t\t},\n\t\t{\n\t\t\t"binding": "SHARD_1",\n\t\t\t"database_id": "00000000-0000-4000-8000-000000000001", // placeholder: set the real id\n\t\t\t"migrations_dir": "migrations/shards"\n\t\t},\n',
        ),
    );
    const databases = [
      ...expectedDatabases.slice(0, 1),
      { ...expectedDatabases[1], migrations_dir: "migrations/shards" },
      {
        binding: "SHARD_1",
        database_id: "00000000-0000-4000-8000-000000000001",
        migrations_dir: "migrations/shards",
      },
    ];
    expect((parseLikeWrangler(edited) as { d1_databases: unknown }).d1_databases).toEqual(databases);
    expect(parseD1Databases(edited, "jsonc")).toEqual(databases);
    // Everything but d1_databases means what it meant.
    const { d1_databases: _before, ...restBefore } = parseLikeWrangler(jsonc) as Record<string, unknown>;
    const { d1_databases: _after, ...restAfter } = parseLikeWrangler(edited) as Record<string, unknown>;
    expect(restAfter).toEqual(restBefore);
  });

  it("adds d1_databases to a config without it, and keeps a wrangler.json plain JSON", () => {
    const bare = '{\n    "name": "worker", // deployed name\n    "main": "src/index.ts"\n}\n';
    const added = editD1Databases(bare, { set: [], append: edit.append }, "jsonc");
    expect(added).toBe(
      '{\n    "name": "worker", // deployed name\n    "main": "src/index.ts",\n    "d1_databases": [\n        {\n            "binding": "SHARD_1",\n            "database_id": "00000000-0000-4000-8000-000000000001", // placeholder: set the real id\n            "migrations_dir": "migrations/shards"\n        }\n    ]\n}\n',
    );
    expect(parseD1Databases(added, "jsonc")).toHaveLength(1);

    const plain = editD1Databases('{ "name": "worker" }\n', { set: [], append: edit.append }, "json");
    expect(plain).not.toMatch(/\/\//);
    expect(JSON.parse(plain)).toEqual({ name: "worker", d1_databases: [parseD1Databases(plain, "json")[0]] });
  });

  it("refuses what it cannot edit: d1_databases that is not an array, a file that is not JSON", () => {
    expect(() => editD1Databases('{ "d1_databases": {} }', edit, "jsonc")).toThrow(/d1_databases is not an array/);
    expect(() => editD1Databases('{ "name": ', edit, "jsonc")).toThrow(/not valid JSON/);
    expect(() => editD1Databases('{ "d1_databases": [] }', edit, "jsonc")).toThrow(/no d1_databases entry 2/);
  });
});

describe("binding messages", () => {
  const models = [normalizeDatabase("app_db", database({ name: "APP_DB" }), [table("notes", { id: integer().primaryKey() })])];
  const findingsOf = async (files: Record<string, string>, name: string) => {
    const root = await projectWith(files);
    return (await wranglerConfigFindings(projectPaths(root), models, path.join(root, name))).map(renderFinding);
  };
  const entries = (...blocks: string[]) => `// the worker\n{\n  "name": "worker",\n  "d1_databases": [${blocks.join(", ")}],\n}\n`;

  it('name the "d1_databases" entries of a wrangler.jsonc or wrangler.json, not TOML blocks', async () => {
    expect(await findingsOf({ "wrangler.jsonc": entries() }, "wrangler.jsonc")).toEqual([
      'APP_DB: no "d1_databases" entry in wrangler.jsonc, so wrangler does not know the binding: run `d1-schema wrangler-config --write`',
    ]);
    expect(await findingsOf({ "wrangler.jsonc": entries('{ "binding": "APP_DB" }') }, "wrangler.jsonc")).toEqual([
      'APP_DB: its "d1_databases" entry in wrangler.jsonc has no migrations_dir (wrangler would read ./migrations), but APP_DB\'s migrations are in "migrations/app_db": run `d1-schema wrangler-config --write`',
    ]);
    const twice = entries(...Array.from({ length: 2 }, () => '{ "binding": "APP_DB", "migrations_dir": "migrations/app_db" }'));
    expect(await findingsOf({ "wrangler.json": twice.replace("// the worker\n", "") }, "wrangler.json")).toEqual([
      'APP_DB: wrangler.json has 2 "d1_databases" entries for it (wrangler uses the first): remove the extra ones',
    ]);
  });

  it("name [[d1_databases]] blocks in a wrangler.toml", async () => {
    expect(await findingsOf({ "wrangler.toml": 'name = "worker"\n\n[[d1_databases]]\nbinding = "APP_DB"\n' }, "wrangler.toml")).toEqual([
      'APP_DB: its [[d1_databases]] block in wrangler.toml has no migrations_dir (wrangler would read ./migrations), but APP_DB\'s migrations are in "migrations/app_db": run `d1-schema wrangler-config --write`',
    ]);
  });
});
