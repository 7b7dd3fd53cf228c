// The package as a stranger gets it (issue 15): `npm pack` this repository, install the tarball into a new Worker
// project (package.json without "type", wrangler.jsonc as `npm create cloudflare` writes it), `init`, a schema with
// JSON, boolean and timestamp columns and a foreign key, `generate`, `wrangler d1 migrations apply --local`, then a
// Worker run by wrangler (unstable_dev, workerd, offline) writes and reads rows through Kysely with kysely-d1 and
// through env.DB.prepare(...).first<Row>(), validating them with the generated zod schemas. `tsc --noEmit` on the
// Worker passes under strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and verbatimModuleSyntax, and the
// Worker's expected-error lines prove a wrong column and a wrong type fail.
//
// Installing takes one to two minutes: npm takes the packages from its cache (npm ci filled it) and builds
// better-sqlite3, which has no prebuilt binary offline. KEEP_WORKER_PROJECT=1 keeps the project for a look.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
const quiet = { WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false" };

let dir: string | undefined;
afterAll(async () => {
  if (dir && !process.env.KEEP_WORKER_PROJECT) await rm(dir, { recursive: true, force: true });
});

/** Runs a command in the project and returns what it printed (stdout, then stderr); its output on failure. */
async function sh(cwd: string, file: string, args: string[], timeout = 300_000, only?: "stdout"): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, ...quiet }, timeout, maxBuffer: 64 * 1024 * 1024 });
    return only === "stdout" ? stdout : stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}${failed.stderr ?? failed.message}`, { cause: error });
  }
}

const npm = (cwd: string, args: string[], timeout?: number, only?: "stdout") => sh(cwd, "npm", args, timeout, only);
const npx = (cwd: string, args: string[], timeout?: number) => sh(cwd, "npx", ["--no-install", ...args], timeout);

const wranglerJsonc = `/**
 * For more details on how to configure Wrangler, refer to:
 * https://developers.cloudflare.com/workers/wrangler/configuration/
 */
{
\t"$schema": "node_modules/wrangler/config-schema.json",
\t"name": "teams-worker",
\t"main": "src/index.ts",
\t"compatibility_date": "2025-09-01",
\t"d1_databases": [
\t\t{
\t\t\t"binding": "DB",
\t\t\t"database_name": "teams",
\t\t\t"database_id": "00000000-0000-4000-8000-00000000c0de"
\t\t}
\t]
}
`;

const schema = `import { boolean, index, integer, json, table, text, timestamp } from "d1-schema-kit";

export const teams = table("teams", {
  id: text().primaryKey(),
  name: text().notNull(),
  active: boolean().notNull().default(true),
  settings: json("{ theme: string }"),
  created_at: timestamp().notNull().defaultSql("datetime('now')"),
});

export const members = table(
  "members",
  {
    id: integer().autoincrement(),
    team_id: text().notNull().references("teams", "id", { onDelete: "cascade" }),
    email: text().notNull(),
  },
  { indexes: [index("idx_members_team_id").on("team_id")] },
);
`;

const worker = `import { Kysely } from "kysely";
import { D1Dialect } from "kysely-d1";
import { membersRow, parseTeamsSettings, teamsRow, type DbDatabase, type DbEnv, type MembersInsert, type TeamsRow } from "../generated/db";

export default {
  async fetch(_request: Request, env: DbEnv): Promise<Response> {
    const db = new Kysely<DbDatabase>({ dialect: new D1Dialect({ database: env.DB }) });
    await db.insertInto("teams").values({ id: "t1", name: "Core", active: false, settings: JSON.stringify({ theme: "dark" }) }).execute();
    const member: MembersInsert = { team_id: "t1", email: "ann@example.com" };
    await db.insertInto("members").values(member).execute();

    const viaKysely = await db.selectFrom("teams").selectAll().where("id", "=", "t1").executeTakeFirstOrThrow();
    const viaD1 = await env.DB.prepare("SELECT * FROM teams WHERE id = ?").bind("t1").first<TeamsRow>();
    const team = teamsRow.parse(viaD1);
    const members = (await db.selectFrom("members").selectAll().execute()).map((row) => membersRow.parse(row));
    const rejected = teamsRow.safeParse({ ...team, settings: "{not json" }).success;
    return Response.json({ kyselyName: viaKysely.name, team, theme: parseTeamsSettings(team)?.theme, members, rejected });
  },
};

// Never called: what the compiler must refuse.
export function misuse(db: Kysely<DbDatabase>, row: TeamsRow): void {
  // @ts-expect-error a column teams does not have
  void db.selectFrom("teams").select("nickname");
  // @ts-expect-error name is TEXT NOT NULL: a number is the wrong type
  void db.insertInto("teams").values({ id: "t2", name: 42 });
  // @ts-expect-error team_id is required in an insert
  const missing: MembersInsert = { email: "x@example.com" };
  // @ts-expect-error active is 0 | 1 as D1 returns it, not a string
  const flag: string = row.active;
  void missing;
  void flag;
}
`;

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "ES2022",
    moduleResolution: "Bundler",
    types: ["@cloudflare/workers-types"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["src", "generated", "schema", "d1-schema.config.ts"],
};

const driver = `// Runs the Worker on wrangler's local engine (workerd) against the local D1 state and prints its answer.
import { unstable_dev } from "wrangler";

const worker = await unstable_dev("src/index.ts", { experimental: { disableExperimentalWarning: true }, logLevel: "error" });
try {
  const response = await worker.fetch("http://localhost/");
  process.stdout.write(await response.text());
} finally {
  await worker.stop();
}
`;

describe("the packed tool in a new Worker project", () => {
  it("installs, inits, generates, applies on local D1, and serves typed rows through Kysely and D1", { timeout: 900_000 }, async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-worker-"));
    const packed = JSON.parse(await npm(repoRoot, ["pack", "--json", "--pack-destination", dir], 300_000, "stdout")) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0].files.map((file) => file.path).sort();
    expect(files.filter((file) => !file.startsWith("dist/"))).toEqual(["LICENSE", "README.md", "bin/d1-schema.js", "package.json"]);
    expect(files).toContain("dist/cli.js");
    expect(files).toContain("dist/index.d.ts");

    const project = path.join(dir, "teams-worker");
    await mkdir(path.join(project, "src"), { recursive: true });
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "teams-worker", version: "0.0.0", private: true }, null, 2));
    await writeFile(path.join(project, "wrangler.jsonc"), wranglerJsonc);
    const pinned = (name: string) => `${name}@${manifest.devDependencies[name]}`;
    await npm(
      project,
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--save-dev",
        path.join(dir, packed[0].filename),
        pinned("wrangler"),
        pinned("kysely"),
        pinned("kysely-d1"),
        pinned("typescript"),
        pinned("@cloudflare/workers-types"),
        `zod@${manifest.devDependencies.zod}`,
      ],
      600_000,
    );
    expect((await npx(project, ["d1-schema", "--version"])).trim()).toBe(manifest.version);

    const init = await npx(project, ["d1-schema", "init"]);
    expect(init).toContain("DB (DB): schema/db/ empty");
    expect(await readFile(path.join(project, "wrangler.jsonc"), "utf8")).toContain('"migrations_dir": "migrations/db"');
    expect((await npx(project, ["d1-schema", "generate"])).trim()).toBe("no changes");

    await writeFile(path.join(project, "schema/db/teams.ts"), schema);
    expect(await npx(project, ["d1-schema", "generate"])).toContain("migrations/db/0001_create_members_and_teams.sql");
    expect(await npx(project, ["d1-schema", "check"])).toContain("check passed");
    // Generated files stand alone: they import zod, kysely and the workers types, nothing of the tool.
    const generatedImports = readdirSync(path.join(project, "generated")).flatMap((file) =>
      [...readFileSync(path.join(project, "generated", file), "utf8").matchAll(/from "([^".][^"]*)"/g)].map((match) => match[1]),
    );
    expect([...new Set(generatedImports)].sort()).toEqual(["@cloudflare/workers-types", "kysely", "zod/v4"]);

    await writeFile(path.join(project, "src/index.ts"), worker);
    await writeFile(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    await npx(project, ["tsc", "--noEmit", "-p", "."]);
    // The @ts-expect-error lines are needed: without them, tsc finds exactly those four mistakes.
    await writeFile(path.join(project, "src/index.ts"), worker.replaceAll(/^\s*\/\/ @ts-expect-error.*\n/gm, ""));
    const errors = await npx(project, ["tsc", "--noEmit", "-p", "."]).then(
      () => "",
      (error: Error) => error.message,
    );
    expect(errors.match(/error TS\d+/g)).toHaveLength(4);
    await writeFile(path.join(project, "src/index.ts"), worker);

    expect(await npx(project, ["wrangler", "d1", "migrations", "apply", "DB", "--local"])).toContain("0001_create_members_and_teams.sql");
    await writeFile(path.join(project, "run-worker.mjs"), driver);
    const answer = JSON.parse(await sh(project, process.execPath, ["run-worker.mjs"], 300_000, "stdout")) as Record<string, unknown>;
    expect(answer).toMatchObject({
      kyselyName: "Core",
      team: { id: "t1", name: "Core", active: 0, settings: '{"theme":"dark"}' },
      theme: "dark",
      members: [{ id: 1, team_id: "t1", email: "ann@example.com" }],
      rejected: false,
    });
    expect((answer.team as { created_at: string }).created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});
