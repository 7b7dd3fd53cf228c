// A rebuilt table keeps every row of every table that references it, under every ON DELETE action, on SQLite
// applied the D1 way. The control test shows that the textbook recipe loses those rows in the same situation.
import { describe, expect, it } from "vitest";
import { integer, table, text } from "../../generator/dsl/index.js";
import {
  applyLikeD1,
  databaseFrom,
  foreignKeyViolations,
  migrationBetween,
  modelOf,
  rowsOf,
  shapeOf,
} from "../helpers/evolve.js";
import { allRebuildScenarios, familyScenario, type RebuildScenario } from "../helpers/rebuild-scenarios.js";

function runScenario(scenario: RebuildScenario) {
  const from = modelOf(scenario.before);
  const to = modelOf(scenario.after);
  const db = databaseFrom(from);
  db.exec(scenario.seed);
  const before = Object.fromEntries(scenario.tables.map((name) => [name, rowsOf(db, name)]));
  const sql = migrationBetween(from, to);
  applyLikeD1(db, sql);
  return { db, sql, before, to };
}

describe("rebuilding a referenced table keeps every row", () => {
  for (const scenario of allRebuildScenarios()) {
    it(scenario.name, () => {
      const { db, sql, before, to } = runScenario(scenario);
      for (const name of scenario.tables) {
        const after = rowsOf(db, name).map((row) => {
          const { created_at: _createdAt, ...rest } = row;
          return rest;
        });
        // The self-reference scenario turns score from INTEGER to TEXT; affinity stores 10 as '10'.
        const expected = before[name].map((row) => ("score" in row ? { ...row, score: String(row.score) } : row));
        expect(after).toEqual(expected);
      }
      expect(foreignKeyViolations(db)).toEqual([]);
      expect(shapeOf(db)).toEqual(shapeOf(databaseFrom(to)));
      expect(sql).not.toMatch(/^\s*(BEGIN|COMMIT|SAVEPOINT)\b|PRAGMA foreign_keys/im);
    });
  }

  it("rebuilds a parent and its child together, with the grandchild carried", () => {
    const scenario = familyScenario("CASCADE", "both_");
    const [parentAfter, , grandchild] = scenario.after;
    const childAfter = table("both_cascade_child", {
      id: integer().primaryKey(),
      parent_id: text().references("both_cascade_parent", "id", { onDelete: "CASCADE" }),
      label: text().notNull().default("none"),
    });
    const { db, sql } = runScenario({ ...scenario, after: [parentAfter, childAfter, grandchild] });
    expect(sql).toMatch(/Rebuild both_cascade_child, both_cascade_parent/);
    expect(rowsOf(db, "both_cascade_child")).toHaveLength(4);
    expect(rowsOf(db, "both_cascade_grandchild")).toHaveLength(4);
    expect(foreignKeyViolations(db)).toEqual([]);
  });

  it("control: the textbook rebuild (copy, drop old, rename) loses the children's rows on D1", () => {
    const scenario = familyScenario("CASCADE", "control_");
    const db = databaseFrom(modelOf(scenario.before));
    db.exec(scenario.seed);
    applyLikeD1(
      db,
      `PRAGMA defer_foreign_keys = on;
       CREATE TABLE new_parent (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT DEFAULT (datetime('now')));
       INSERT INTO new_parent (id, name) SELECT id, name FROM control_cascade_parent;
       DROP TABLE control_cascade_parent;
       ALTER TABLE new_parent RENAME TO control_cascade_parent;`,
    );
    expect(rowsOf(db, "control_cascade_child")).toEqual([{ id: 4, parent_id: null, label: "orphan" }]);
  });
});
