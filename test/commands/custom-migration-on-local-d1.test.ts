// A custom migration on wrangler's local D1 engine (workerd, offline), the way a team uses one: the empty file
// `generate --custom` writes applies as a no-op and is recorded in d1_migrations; rows arrive; a backfill written into
// the next custom migration, recorded by generate, fills them when wrangler applies the folder again. Edited once
// more after that, `generate --local` refuses to record it: the local database applied the old text.
import { appendFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { appDbProject, runCli } from "../helpers/cli.js";
import { applyWithWrangler, executeFileWithWrangler } from "../helpers/local-d1.js";

const noCache = { D1_SCHEMA_NO_CACHE: "1" };
const d1Schema = (root: string, ...args: string[]) => runCli(root, args, noCache);

describe("a custom migration on wrangler's local D1", () => {
  it("applies empty as a no-op, then as a backfill that fills the rows already there; an edit after that is refused with --local", async () => {
    const { root, writeTables } = await appDbProject("custom-d1");
    await writeTables(`export const users = table("users", { id: integer().primaryKey(), name: text().notNull(), plan_code: text() });\n`);
    expect((await d1Schema(root, "generate")).code).toBe(0);
    expect((await d1Schema(root, "generate", "--custom", "nothing yet")).code).toBe(0);
    const folder = path.join(root, "migrations/app_db");
    const workDir = path.join(root, "d1");

    const local = { workDir, binding: "APP_DB" };
    const first = await applyWithWrangler(folder, local);
    expect(first.appliedNames).toEqual(["0001_create_users.sql", "0002_nothing_yet.sql"]);

    const seed = path.join(root, "seed.sql");
    await writeFile(seed, "INSERT INTO users (id, name, plan_code) VALUES (1, 'Free', NULL), (2, 'Team', NULL), (3, 'Pro', 'p1');\n");
    await executeFileWithWrangler(seed, local);

    expect((await d1Schema(root, "generate", "--custom", "backfill plan codes")).code).toBe(0);
    await appendFile(path.join(folder, "0003_backfill_plan_codes.sql"), "UPDATE users SET plan_code = lower(name) WHERE plan_code IS NULL;\n");
    expect((await d1Schema(root, "generate")).stdout).toContain("recorded custom migration 0003_backfill_plan_codes.sql");
    expect(await d1Schema(root, "check")).toMatchObject({ code: 0 });

    const second = await applyWithWrangler(folder, local);
    expect(second.appliedNames).toEqual(["0001_create_users.sql", "0002_nothing_yet.sql", "0003_backfill_plan_codes.sql"]);
    const db = new Database(second.sqlitePath, { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare("SELECT id, plan_code FROM users ORDER BY id").all()).toEqual([
        { id: 1, plan_code: "free" },
        { id: 2, plan_code: "team" },
        { id: 3, plan_code: "p1" },
      ]);
    } finally {
      db.close();
    }

    await appendFile(path.join(folder, "0003_backfill_plan_codes.sql"), "UPDATE users SET plan_code = 'pro' WHERE id = 3;\n");
    const wranglerState = ["--config", path.join(workDir, "wrangler.toml"), "--persist-to", path.join(workDir, "d1-state")];
    const refused = await d1Schema(root, "generate", "--local", ...wranglerState);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "migrations/app_db/0003_backfill_plan_codes.sql, a custom migration, was edited after the local database of APP_DB applied it",
    );
    expect(refused.stderr).toContain("Nothing was written.");
  }, 300_000);
});
