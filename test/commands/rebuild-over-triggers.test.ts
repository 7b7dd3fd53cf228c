// A trigger made by the migrations folder on a table the next migration rebuilds. Adopted with pull, the trigger is
// in schema/ and the snapshot, and the rebuild sets it aside: dropped before the rows move, created again after, so it
// does not fire on the copy and works afterwards. A trigger the snapshot does not hold (a folder adopted before the
// schema language held triggers) would fire while the rows move and be dropped with the table, so generate refuses,
// naming the trigger, and its fix works when followed.
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyLikeD1, openMemoryDatabase } from "../../generator/sqlite/apply.js";
import type { Database } from "../../generator/model/model.js";
import { runCli, temporaryDir } from "../helpers/cli.js";

async function pulledProject(prefix: string) {
  const root = await temporaryDir(prefix);
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
  return { root, tables, pulled, tightened, folder: path.join(root, "migrations/app") };
}

describe("a rebuild over a table with a trigger from the migrations folder", () => {
  it("adopted by pull: the rebuild sets the trigger aside, so it does not fire on the copied rows and fires after", async () => {
    const { root, tables, tightened, folder } = await pulledProject("triggers-held");
    const objects = await readFile(path.join(root, "schema/app/views-and-triggers.ts"), "utf8");
    expect(objects).toContain('export const tLog = trigger("t_log", "AFTER INSERT ON t BEGIN INSERT INTO log (t_id) VALUES (NEW.id); END");');
    await writeFile(tables, tightened);
    const generated = await runCli(root, ["generate"]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain("migrations/app/0002_alter_t.sql");
    expect(await runCli(root, ["check"])).toMatchObject({ code: 0 });

    const db = openMemoryDatabase();
    applyLikeD1(db, await readFile(path.join(folder, "0001_init.sql"), "utf8"));
    db.exec("INSERT INTO t (id, x) VALUES (1, 'a'), (2, NULL)");
    expect(db.prepare("SELECT t_id FROM log ORDER BY id").all()).toEqual([{ t_id: 1 }, { t_id: 2 }]);
    applyLikeD1(db, await readFile(path.join(folder, "0002_alter_t.sql"), "utf8"));
    expect(db.prepare("SELECT id, x FROM t ORDER BY id").all()).toEqual([
      { id: 1, x: "a" },
      { id: 2, x: "" },
    ]);
    expect(db.prepare("SELECT t_id FROM log ORDER BY id").all()).toEqual([{ t_id: 1 }, { t_id: 2 }]);
    db.exec("INSERT INTO t (id, x) VALUES (3, 'c')");
    expect(db.prepare("SELECT t_id FROM log ORDER BY id").all()).toEqual([{ t_id: 1 }, { t_id: 2 }, { t_id: 3 }]);
  }, 60_000);

  it("not held by the snapshot: refused, nothing written, and the printed way through works", async () => {
    const { root, tables, pulled, tightened, folder } = await pulledProject("triggers");
    // As a pull before the schema language held triggers left it: the trigger in the folder only.
    const snapshotFile = path.join(folder, "snapshot.json");
    const { databaseHash: _, ...snapshot } = JSON.parse(await readFile(snapshotFile, "utf8")) as { databaseHash: string; database: Database };
    delete snapshot.database.triggers;
    await writeFile(snapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`);
    // check, which proves such a snapshot against the folder when schema/ differs from it, says what it lacks.
    const checked = await runCli(root, ["check"]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("from the snapshot to the folder: creates trigger t_log");
    await rm(path.join(root, "schema/app/views-and-triggers.ts"));

    await writeFile(tables, tightened);
    const before = await readdir(folder);
    const refused = await runCli(root, ["generate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("APP.t: the next migration rebuilds t, which has trigger t_log (on t) from the migrations folder");
    expect(refused.stderr).toContain("the snapshot does not hold it, so the rebuild cannot set it aside");
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
    // Then the trigger in schema/: created again, and held from now on.
    await writeFile(
      path.join(root, "schema/app/views-and-triggers.ts"),
      'import { trigger } from "d1-schema-kit";\nexport const tLog = trigger("t_log", "AFTER INSERT ON t BEGIN INSERT INTO log (t_id) VALUES (NEW.id); END");\n',
    );
    const created = await runCli(root, ["generate"]);
    expect(created.code).toBe(0);
    expect(await readFile(path.join(folder, "0004_create_t_log.sql"), "utf8")).toContain("CREATE TRIGGER IF NOT EXISTS t_log AFTER INSERT ON t");
    expect(await runCli(root, ["check"])).toMatchObject({ code: 0 });
  }, 90_000);
});
