// Constraint names (issue 16): `CONSTRAINT name CHECK (…)` and `CONSTRAINT name FOREIGN KEY …` / `CONSTRAINT name
// REFERENCES …` are kept through the DSL, the squash, introspection (drift, pull) and the diff. SQLite uses a CHECK's
// name in the error a failed check raises; a foreign key's name only stands in the SQL. Proved with rows on SQLite.
import { describe, expect, it } from "vitest";
import { integer, table, text, type ColumnBuilder } from "../../generator/dsl/index.js";
import { diffDatabases } from "../../generator/diff/diff.js";
import { describeChange } from "../../generator/diff/changes.js";
import { introspectDatabase } from "../../generator/sqlite/introspect.js";
import { renderSchemaFiles } from "../../generator/types/schema-files.js";
import { applyLikeD1, databaseAfter, databaseFrom, migrationBetween, modelOf, openMemoryDatabase, rowsOf, shapeOf } from "../helpers/evolve.js";

const owners = table("owners", { id: integer().primaryKey(), code: text().notNull(), region: text().notNull() }, { unique: [["code", "region"]] });
const pets = (amount: ColumnBuilder, options: { checkName?: string; keyName?: string; ownerName?: string } = {}) =>
  table(
    "pets",
    {
      id: integer().primaryKey(),
      owner_id: integer().references("owners", "id", { onDelete: "cascade", ...(options.ownerName === undefined ? {} : { name: options.ownerName }) }),
      code: text(),
      region: text(),
      amount,
    },
    {
      checks: [options.checkName === undefined ? "amount < 1000" : { expression: "amount < 1000", name: options.checkName }],
      foreignKeys: [
        {
          columns: ["code", "region"],
          references: { table: "owners", columns: ["code", "region"] },
          ...(options.keyName === undefined ? {} : { name: options.keyName }),
        },
      ],
    },
  );
const named = () =>
  modelOf([
    owners,
    pets(integer().check("amount >= 0", { name: "amount_positive" }), { checkName: "amount_small", keyName: "pets_owner_code", ownerName: "pets_owner" }),
  ]);

function introspected(db: ReturnType<typeof openMemoryDatabase>) {
  return introspectDatabase(db, { name: "TEST_DB", folder: "test_db", bindings: ["TEST_DB"], continueFrom: 0, ifNotExists: true });
}

describe("constraint names", () => {
  it("are written in the squash, and SQLite names a failed CHECK by them", () => {
    const model = named();
    const sql = migrationBetween(undefined, model);
    expect(sql).toContain("amount INTEGER CONSTRAINT amount_positive CHECK (amount >= 0)");
    expect(sql).toContain("owner_id INTEGER CONSTRAINT pets_owner REFERENCES owners (id) ON DELETE CASCADE");
    expect(sql).toContain("CONSTRAINT amount_small CHECK (amount < 1000)");
    expect(sql).toContain("CONSTRAINT pets_owner_code FOREIGN KEY (code, region) REFERENCES owners (code, region)");
    const db = databaseFrom(model);
    db.exec("INSERT INTO owners VALUES (1, 'a', 'eu')");
    expect(() => db.exec("INSERT INTO pets VALUES (1, 1, 'a', 'eu', -1)")).toThrow("CHECK constraint failed: amount_positive");
    expect(() => db.exec("INSERT INTO pets VALUES (1, 1, 'a', 'eu', 5000)")).toThrow("CHECK constraint failed: amount_small");
  });

  it("are read back from SQLite by introspection, so drift and pull see them, and pull writes them in the DSL", async () => {
    const model = named();
    const { database: live, notes } = introspected(databaseFrom(model));
    expect(notes).toEqual([]);
    expect(diffDatabases(live, model)).toEqual([]);
    const petsTable = live.tables.find((table) => table.name === "pets")!;
    expect(petsTable.checks).toEqual([{ expression: "amount < 1000", name: "amount_small" }]);
    expect(petsTable.columns.find((column) => column.name === "amount")).toMatchObject({ check: "amount >= 0", checkName: "amount_positive" });
    expect(petsTable.foreignKeys.map((foreignKey) => foreignKey.name)).toEqual(["pets_owner", "pets_owner_code"]);
    // A database without the names differs from the schema: drift says which.
    const { database: unnamed } = introspected(databaseFrom(modelOf([owners, pets(integer().check("amount >= 0"))])));
    expect(diffDatabases(unnamed, model).map(describeChange)).toEqual([
      "alter column pets.amount (CHECK)",
      "alter table pets (CHECK constraints, foreign keys)",
    ]);
    const files = await renderSchemaFiles(live, { databaseComment: [], tablesComment: [], dslImport: "d1-schema-kit" });
    const source = files.map((file) => file.content).join("\n");
    expect(source).toContain('check("amount >= 0", { name: "amount_positive" })');
    expect(source).toContain('references("owners", "id", { onDelete: "cascade", name: "pets_owner" })');
    expect(source).toContain('checks: [{ expression: "amount < 1000", name: "amount_small" }]');
    expect(source).toMatch(/references: \{ table: "owners", columns: \["code", "region"\] \},\s+name: "pets_owner_code",/);
  });

  it("changed, added or removed, rebuild the table and keep every row", () => {
    const from = modelOf([owners, pets(integer().check("amount >= 0"))]);
    const to = named();
    const db = databaseFrom(from);
    db.exec(
      "INSERT INTO owners VALUES (1, 'a', 'eu'), (2, 'b', 'us'); INSERT INTO pets VALUES (1, 1, 'a', 'eu', 5), (2, 2, 'b', 'us', 7), (3, NULL, NULL, NULL, 0)",
    );
    const before = rowsOf(db, "pets");
    const sql = migrationBetween(from, to, { allowDestructive: false });
    expect(sql).toContain("alter table pets (CHECK constraints, foreign keys)");
    applyLikeD1(db, sql);
    expect(rowsOf(db, "pets")).toEqual(before);
    expect(shapeOf(db)).toEqual(shapeOf(databaseAfter(from, to)));
    expect(() => db.exec("UPDATE pets SET amount = -1 WHERE id = 1")).toThrow("CHECK constraint failed: amount_positive");
    applyLikeD1(db, migrationBetween(to, modelOf([owners, pets(integer().check("amount >= 0", { name: "non_negative" }), { checkName: "amount_small" })])));
    expect(rowsOf(db, "pets")).toEqual(before);
    expect(() => db.exec("UPDATE pets SET amount = -1 WHERE id = 1")).toThrow("CHECK constraint failed: non_negative");
  });

  it("lists the names the model cannot hold (on a PRIMARY KEY, UNIQUE, NOT NULL or DEFAULT) instead of dropping them silently", () => {
    const db = openMemoryDatabase();
    db.exec(`CREATE TABLE t (
      id INTEGER CONSTRAINT pk PRIMARY KEY,
      a TEXT CONSTRAINT a_nn NOT NULL CONSTRAINT a_default DEFAULT 'x',
      b TEXT, c TEXT,
      CONSTRAINT bc_unique UNIQUE (b, c)
    )`);
    const { notes } = introspected(db);
    expect([...notes].sort()).toEqual(
      [
        "t: a: names its DEFAULT constraint a_default, which the schema language cannot hold; the name is left out",
        "t: a: names its NOT NULL constraint a_nn, which the schema language cannot hold; the name is left out",
        "t: id: names its PRIMARY KEY constraint pk, which the schema language cannot hold; the name is left out",
        't: "CONSTRAINT bc_unique UNIQUE (b, c)" names a UNIQUE constraint, which the schema language cannot hold; the name is left out',
      ].sort(),
    );
  });

  it("may be any name SQLite accepts, and SQLite reports them as written; an empty one is refused", () => {
    const model = modelOf([owners, pets(integer().check("amount >= 0", { name: 'no "good"' }), { checkName: "amount small?" })]);
    const db = databaseFrom(model);
    db.exec("INSERT INTO owners VALUES (1, 'a', 'eu')");
    expect(() => db.exec("INSERT INTO pets (owner_id, amount) VALUES (1, -1)")).toThrow('CHECK constraint failed: no "good"');
    expect(() => db.exec("INSERT INTO pets (owner_id, amount) VALUES (1, 1000)")).toThrow("CHECK constraint failed: amount small?");
    expect(introspected(db).database.tables.find((table) => table.name === "pets")?.checks).toEqual([{ expression: "amount < 1000", name: "amount small?" }]);
    expect(() => modelOf([owners, pets(integer().check("amount >= 0", { name: "" }))])).toThrow(/TEST_DB\.pets\.amount: names a constraint "", which is empty/);
  });
});
