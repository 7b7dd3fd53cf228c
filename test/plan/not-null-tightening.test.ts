// A column made NOT NULL (or added NOT NULL) without a default (issue 16): the migration keeps every row when the
// data allows it, fails as a whole naming table and column when a NULL remains (applied the D1 way, so the file
// rolls back and nothing changes), and fills NULLs from an explicit .backfill(SQL over the old row).
import { describe, expect, it } from "vitest";
import { integer, table, text, type ColumnBuilder } from "../../generator/dsl/index.js";
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { applyLikeD1, databaseAfter, databaseFrom, migrationBetween, modelOf, rowsOf, shapeOf } from "../helpers/evolve.js";

const users = (columns: Record<string, ColumnBuilder>) => table("users", { id: text().primaryKey(), email: text().notNull(), ...columns });
const members = table("members", { id: integer().primaryKey(), user_id: text().notNull().references("users", "id", { onDelete: "cascade" }) });

/** The old schema holding `rows`, and the migration to the new one. */
function prepare(before: Record<string, ColumnBuilder>, after: Record<string, ColumnBuilder>, rows: string) {
  const from = modelOf([users(before), members]);
  const to = modelOf([users(after), members]);
  const db = databaseFrom(from);
  db.exec(rows);
  db.exec("INSERT INTO members (id, user_id) SELECT rowid, id FROM users");
  return { db, sql: migrationBetween(from, to), expectedShape: shapeOf(databaseAfter(from, to)) };
}

/** Everything a database holds, to show a failed migration changed nothing. */
function contents(db: SqliteDatabase) {
  return { shape: shapeOf(db), users: rowsOf(db, "users"), members: rowsOf(db, "members") };
}

describe("a column made NOT NULL without a default", () => {
  it("keeps every row when no row holds NULL", () => {
    const { db, sql, expectedShape } = prepare(
      { nickname: text() },
      { nickname: text().notNull() },
      "INSERT INTO users VALUES ('u1', 'a@x', 'ann'), ('u2', 'b@x', 'bob')",
    );
    applyLikeD1(db, sql);
    expect(shapeOf(db)).toEqual(expectedShape);
    expect(rowsOf(db, "users")).toEqual([
      { id: "u1", email: "a@x", nickname: "ann" },
      { id: "u2", email: "b@x", nickname: "bob" },
    ]);
    expect(rowsOf(db, "members")).toHaveLength(2);
  });

  it("fails as a whole, naming table and column, when a NULL remains, and changes nothing", () => {
    const { db, sql } = prepare({ nickname: text() }, { nickname: text().notNull() }, "INSERT INTO users VALUES ('u1', 'a@x', 'ann'), ('u2', 'b@x', NULL)");
    const before = contents(db);
    expect(() => applyLikeD1(db, sql)).toThrow("NOT NULL constraint failed: users.nickname");
    expect(contents(db)).toEqual(before);
    // Fill the NULLs (as a data fix would), and the same file applies.
    db.exec("UPDATE users SET nickname = 'unknown' WHERE nickname IS NULL");
    applyLikeD1(db, sql);
    expect(rowsOf(db, "users").map((row) => row.nickname)).toEqual(["ann", "unknown"]);
    expect(rowsOf(db, "members")).toHaveLength(2);
  });

  it("fills NULLs from .backfill, an expression over the old row, and leaves other values alone", () => {
    const { db, sql, expectedShape } = prepare(
      { nickname: text() },
      { nickname: text().notNull().backfill("substr(email, 1, instr(email, '@') - 1)") },
      "INSERT INTO users VALUES ('u1', 'ann@x', 'Annie'), ('u2', 'bob@x', NULL)",
    );
    expect(sql.replace(/\s+/g, " ")).toContain("IFNULL( nickname, (substr(email, 1, instr(email, '@') - 1)) )");
    applyLikeD1(db, sql);
    expect(shapeOf(db)).toEqual(expectedShape);
    expect(rowsOf(db, "users").map((row) => row.nickname)).toEqual(["Annie", "bob"]);
  });

  it("prefers the backfill to the default for the rows it fills", () => {
    const { db, sql } = prepare(
      { plan: text() },
      { plan: text().notNull().default("free").backfill("'legacy'") },
      "INSERT INTO users VALUES ('u1', 'a@x', NULL)",
    );
    applyLikeD1(db, sql);
    db.exec("INSERT INTO users (id, email) VALUES ('u2', 'b@x')");
    expect(rowsOf(db, "users").map((row) => row.plan)).toEqual(["legacy", "free"]);
  });
});

describe("a new NOT NULL column without a default", () => {
  it("is added to an empty table", () => {
    const { db, sql, expectedShape } = prepare({}, { nickname: text().notNull() }, "");
    applyLikeD1(db, sql);
    expect(shapeOf(db)).toEqual(expectedShape);
  });

  it("fails as a whole when the table has rows, and changes nothing", () => {
    const { db, sql } = prepare({}, { nickname: text().notNull() }, "INSERT INTO users VALUES ('u1', 'a@x')");
    const before = contents(db);
    expect(() => applyLikeD1(db, sql)).toThrow("NOT NULL constraint failed: users.nickname");
    expect(contents(db)).toEqual(before);
  });

  it("takes its value for existing rows from .backfill", () => {
    const { db, sql, expectedShape } = prepare({}, { handle: text().notNull().backfill("'@' || id") }, "INSERT INTO users VALUES ('u1', 'a@x'), ('u2', 'b@x')");
    applyLikeD1(db, sql);
    expect(shapeOf(db)).toEqual(expectedShape);
    expect(rowsOf(db, "users").map((row) => row.handle)).toEqual(["@u1", "@u2"]);
    expect(rowsOf(db, "members")).toHaveLength(2);
  });
});
