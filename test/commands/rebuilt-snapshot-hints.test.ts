// A rebuilt snapshot must say which renamedFrom hints the folder applied: shapes cannot (a swap builds the same
// tables), and generate treats a hint as applied exactly when the snapshot carries it. Found by the CLI property
// test: after a stale snapshot was rebuilt, generate swapped two columns back (every value exchanged), or never
// made a swap the folder lacked, and check passed.
import { describe, expect, it } from "vitest";
import { rebuildSnapshot } from "../../generator/commands/rebuild-snapshot.js";
import { generateDatabase } from "../../generator/pipeline/generate-database.js";
import { parseSnapshot } from "../../generator/model/snapshot.js";
import { integer, table, text } from "../../generator/dsl/index.js";
import { applyLikeD1, History, modelOf, openMemoryDatabase, rowsOf } from "../helpers/evolve.js";

const users = (swapped: boolean) =>
  table(
    "users",
    swapped ? { id: integer().primaryKey(), a: text().renamedFrom("b"), b: text().renamedFrom("a") } : { id: integer().primaryKey(), a: text(), b: text() },
  );
const withC = table("users", { id: integer().primaryKey(), a: text().renamedFrom("b"), b: text().renamedFrom("a"), c: text() });

describe("renamedFrom hints in a rebuilt snapshot", () => {
  it("keeps a swap the folder applied, so the next generate does not swap the values back", () => {
    const history = new History();
    history.step(modelOf([users(false)]));
    const stale = parseSnapshot(history.last!.snapshot, "TEST_DB");
    history.step(modelOf([users(true)]));
    // The snapshot from before the swap comes back (an interrupted run, a bad merge); it is rebuilt from the folder.
    const schema = modelOf([withC]);
    const rebuilt = rebuildSnapshot(schema, stale, history.migrations).snapshot;
    const next = generateDatabase(schema, rebuilt, history.migrations, { allowDestructive: false });
    expect(next.migration!.sql).not.toMatch(/RENAME/);
    const db = openMemoryDatabase();
    for (const migration of history.migrations.slice(0, 1)) applyLikeD1(db, migration.sql);
    db.exec("INSERT INTO users (id, a, b) VALUES (1, 'first', 'last')");
    for (const migration of history.migrations.slice(1)) applyLikeD1(db, migration.sql);
    applyLikeD1(db, next.migration!.sql);
    expect(rowsOf(db, "users")).toEqual([{ id: 1, a: "last", b: "first", c: null }]);
  });

  it("leaves out a hint the folder never applied, so the next generate makes the swap", () => {
    const history = new History();
    history.step(modelOf([users(false)]));
    // The snapshot is deleted; schema/ already says swap.
    const schema = modelOf([users(true)]);
    const rebuilt = rebuildSnapshot(schema, undefined, history.migrations).snapshot;
    expect(rebuilt.database.tables[0].columns.every((column) => column.renamedFrom === undefined)).toBe(true);
    const next = generateDatabase(schema, rebuilt, history.migrations, { allowDestructive: false });
    expect(next.migration!.sql).toMatch(/RENAME COLUMN/);
  });

  it("keeps a table swap's hints through temporary names", () => {
    const t = (name: string, from?: string) => table(name, { id: integer().primaryKey(), [`${name}_only`]: text() }, from ? { renamedFrom: from } : {});
    const history = new History();
    history.step(modelOf([t("x"), t("y")]));
    const stale = parseSnapshot(history.last!.snapshot, "TEST_DB");
    const swapped = [
      table("x", { id: integer().primaryKey(), y_only: text() }, { renamedFrom: "y" }),
      table("y", { id: integer().primaryKey(), x_only: text() }, { renamedFrom: "x" }),
    ];
    history.step(modelOf(swapped));
    const rebuilt = rebuildSnapshot(modelOf(swapped), stale, history.migrations).snapshot;
    expect(rebuilt.database.tables.map((table) => [table.name, table.renamedFrom])).toEqual([
      ["x", "y"],
      ["y", "x"],
    ]);
    expect(generateDatabase(modelOf(swapped), rebuilt, history.migrations, { allowDestructive: false }).migration).toBeUndefined();
  });
});
