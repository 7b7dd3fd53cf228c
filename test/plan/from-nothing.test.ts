// The whole schema from nothing is built one way: the fresh squash, a baseline migration and the proof take the same
// statements in the same order (parents first, each table followed by its indexes), and they are what the planner
// gives from an empty database. A baseline applied twice keeps its rows: IF NOT EXISTS makes the second a no-op.
import { describe, expect, it } from "vitest";
import { diffSchemas } from "../../generator/diff/diff.js";
import { index, integer, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import { emptyDatabase } from "../../generator/model/snapshot.js";
import { planMigrationFromNothing, planSchemaFromNothing } from "../../generator/plan/from-nothing.js";
import { planMigration } from "../../generator/plan/plan.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { renderMigration } from "../../generator/render/migration.js";
import { renderStep } from "../../generator/render/statements.js";
import { applyLikeD1, openMemoryDatabase } from "../../generator/sqlite/apply.js";
import { shapeAfterMigrations, shapeOfSquash } from "../../generator/sqlite/prove.js";
import { modelOf } from "../helpers/evolve.js";

// Names sort children before their parents, so only the foreign keys can put the parents first.
const model = modelOf([
  table(
    "a_line",
    { id: integer().primaryKey(), order_id: integer().notNull().references("m_order", "id", { onDelete: "cascade" }), sku: text().notNull() },
    { indexes: [uniqueIndex("uq_a_line_order_sku").on("order_id", "sku")] },
  ),
  table(
    "m_order",
    { id: integer().primaryKey(), customer_id: integer().notNull().references("z_customer", "id"), placed: text() },
    { description: "One order.", indexes: [index("idx_m_order_customer").on("customer_id")] },
  ),
  table("z_customer", { id: integer().primaryKey(), email: text().notNull().unique() }),
]);

const statements = (groups: readonly { steps: Parameters<typeof renderStep>[0][] }[]) => groups.flatMap((group) => group.steps.map(renderStep));

describe("the whole schema from nothing", () => {
  it("creates parents first, each table followed by its indexes", () => {
    const creations = planSchemaFromNothing(model);
    expect(creations.map((creation) => creation.table.name)).toEqual(["z_customer", "m_order", "a_line"]);
    expect(creations.map((creation) => creation.steps.map((step) => step.kind))).toEqual([
      ["createTable"],
      ["createTable", "createIndex"],
      ["createTable", "createIndex"],
    ]);
    expect(creations[1].comment).toBe("Create m_order: One order.");
  });

  it("is what the planner gives from an empty database, for a baseline", () => {
    const adopted = { ...model, ifNotExists: true };
    const planned = planMigration(diffSchemas(emptyDatabase(adopted), adopted));
    expect(planMigrationFromNothing(adopted)).toEqual(planned);
  });

  it("gives the squash, the baseline and the proof the same statements", () => {
    const adopted = { ...model, ifNotExists: true };
    const baseline = planMigrationFromNothing(adopted);
    const squash = renderFreshSchema(adopted, "0007_production_baseline.sql");
    const migration = renderMigration(adopted, "0007_production_baseline.sql", diffSchemas(emptyDatabase(adopted), adopted).changes, baseline);
    const body = (sql: string) =>
      sql
        .replace(/^--.*$/gm, "")
        .replace(/\s+/g, " ")
        .trim();
    expect(body(migration)).toBe(body(squash));
    expect(statements(baseline.groups)).toEqual(statements(planSchemaFromNothing(adopted)));
    expect(shapeOfSquash(squash, adopted)).toBe(shapeAfterMigrations([{ name: "baseline", sql: migration }]));
  });

  it("builds a baseline that a database with rows takes as a no-op", () => {
    const adopted = { ...model, ifNotExists: true };
    const sql = statements(planMigrationFromNothing(adopted).groups).join(";\n");
    const db = openMemoryDatabase();
    try {
      applyLikeD1(db, sql);
      db.exec("INSERT INTO z_customer (id, email) VALUES (1, 'a@example.com'); INSERT INTO m_order (id, customer_id) VALUES (10, 1);");
      db.exec("INSERT INTO a_line (id, order_id, sku) VALUES (100, 10, 'x'), (101, 10, 'y')");
      applyLikeD1(db, sql);
      expect(db.prepare("SELECT id, order_id, sku FROM a_line ORDER BY id").all()).toEqual([
        { id: 100, order_id: 10, sku: "x" },
        { id: 101, order_id: 10, sku: "y" },
      ]);
      expect(() => db.exec("INSERT INTO a_line (id, order_id, sku) VALUES (102, 10, 'x')")).toThrow(/UNIQUE constraint failed/);
    } finally {
      db.close();
    }
  });
});
