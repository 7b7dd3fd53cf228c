// A trigger made by the migrations folder (adopted with pull; the schema language does not hold triggers) on a table
// the next migration rebuilds: the rebuild's DELETE and INSERT would fire it while the rows move, and dropping the
// table would drop it, so generate refuses, naming the trigger, and its fix works when followed.
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDir } from "../helpers/cli.js";

describe("a rebuild over a table with a trigger from the migrations folder", () => {
  it("is refused, nothing written, and the printed way through works", async () => {
    const root = await temporaryDir("triggers");
    await writeFile(path.join(root, "package.json"), "{}\n");
    await mkdir(path.join(root, "old"));
    await writeFile(
      path.join(root, "old/0001_init.sql"),
      [
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT, n INTEGER NOT NULL DEFAULT 0);",
        "CREATE TABLE log (id INTEGER PRIMARY KEY, t_id INTEGER);",
        "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log (t_id) VALUES (NEW.id); END;",
        "",
      ].join("\n"),
    );
    expect((await runCli(root, ["pull", "--database", "APP", "--folder", "app", "--migrations", "old"])).code).toBe(0);
    const tables = path.join(root, "schema/app/tables.ts");
    const pulled = await readFile(tables, "utf8");
    const tightened = pulled.replace("x: text(),", 'x: text().notNull().default(""),');
    expect(tightened).not.toBe(pulled);

    await writeFile(tables, tightened);
    const folder = path.join(root, "migrations/app");
    const before = await readdir(folder);
    const refused = await runCli(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("APP.t: the next migration rebuilds t, which has trigger t_log (on t) from the migrations folder");
    expect(refused.stderr).toContain("`npx d1-schema generate --custom drop_t_log` holding `DROP TRIGGER t_log;`");
    expect(await readdir(folder)).toEqual(before);

    // The fix, step by step.
    await writeFile(tables, pulled);
    expect((await runCli(root, ["generate", "--custom", "drop_t_log"])).code).toBe(0);
    await appendFile(path.join(folder, "0002_drop_t_log.sql"), "DROP TRIGGER t_log;\n");
    expect((await runCli(root, ["generate"])).stdout).toContain("recorded custom migration 0002_drop_t_log.sql");
    await writeFile(tables, tightened);
    const generated = await runCli(root, ["generate"]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain("migrations/app/0003_alter_t.sql");
    expect(await runCli(root, ["check"])).toMatchObject({ code: 0 });
  }, 60_000);
});
