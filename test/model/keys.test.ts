// What a foreign key may point at is decided once (model/keys.ts), for lint and the plan alike. The lint rule
// foreign-key-to-non-unique used to have its own rule, which differed twice from SQLite; both cases are shown here on
// real SQLite with rows: a key named in another case is a key (lint called it an error), and a UNIQUE index that
// continues past the key's columns with an expression is not (lint took its leading columns for a key).
import { describe, expect, it } from "vitest";
import { database, expr, integer, table, text, uniqueIndex } from "../../generator/dsl/index.js";
import type { TableDefinition } from "../../generator/dsl/table.js";
import { runLintRules } from "../../generator/lint/lint.js";
import { isUniqueKey } from "../../generator/model/keys.js";
import type { Database } from "../../generator/model/model.js";
import { normalizeDatabase } from "../../generator/model/normalize.js";
import { validateDatabase } from "../../generator/model/validate.js";
import { planSchemaFromNothing } from "../../generator/plan/from-nothing.js";
import { renderStep } from "../../generator/render/statements.js";
import { openMemoryDatabase } from "../../generator/sqlite/apply.js";

const modelOf = (tables: TableDefinition[]): Database => normalizeDatabase("test_db", database({ name: "TEST_DB" }), tables);
const teamsOf = (model: Database) => model.tables.find((table) => table.name === "teams")!;
const nonUniqueFindings = (model: Database) => runLintRules([model]).findings.filter((finding) => finding.kind === "foreign-key-to-non-unique");

/** Builds the model in SQLite and inserts a parent row and a child row pointing at it; SQLite's error, if any. */
function writeThroughForeignKey(model: Database, parentRow: string, childRow: string): string | undefined {
  const db = openMemoryDatabase();
  try {
    for (const creation of planSchemaFromNothing(model)) creation.steps.forEach((step) => db.exec(renderStep(step)));
    db.exec(parentRow);
    db.exec(childRow);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}

describe("which column sets are keys", () => {
  it("a key named in another case is the key: SQLite compares names without case", () => {
    const model = modelOf([
      table("teams", { id: text().primaryKey(), name: text() }),
      table("members", { id: integer().primaryKey(), team_id: text().references("teams", "ID") }, { indexes: [uniqueIndex("uq_m").on("team_id")] }),
    ]);
    expect(writeThroughForeignKey(model, "INSERT INTO teams (id) VALUES ('t1')", "INSERT INTO members (id, team_id) VALUES (1, 't1')")).toBeUndefined();
    expect(isUniqueKey(teamsOf(model), ["ID"])).toBe(true);
    expect(validateDatabase(model)).toEqual([]);
    expect(nonUniqueFindings(model)).toEqual([]);
  });

  it("a UNIQUE index that goes on with an expression is no key for its leading columns", () => {
    const model = modelOf([
      table("teams", { id: text().primaryKey(), org: text(), slug: text() }, { indexes: [uniqueIndex("uq_org_slug").on("org", expr("lower(slug)"))] }),
      table("members", { id: integer().primaryKey(), org: text().references("teams", "org") }, { indexes: [uniqueIndex("uq_m").on("org")] }),
    ]);
    expect(
      writeThroughForeignKey(model, "INSERT INTO teams (id, org, slug) VALUES ('t1', 'o1', 'a')", "INSERT INTO members (id, org) VALUES (1, 'o1')"),
    ).toMatch(/foreign key mismatch/);
    expect(isUniqueKey(teamsOf(model), ["org"])).toBe(false);
    // SQLite accepts the table, so loading does too (a database may run it); lint says it is broken.
    expect(validateDatabase(model)).toEqual([]);
    expect(nonUniqueFindings(model)).toMatchObject([{ severity: "error", table: "members", column: "org" }]);
    expect(nonUniqueFindings(model)[0].message).toMatch(/neither its primary key nor UNIQUE/);
  });

  it("the primary key, a UNIQUE constraint and a full UNIQUE index on plain columns are keys, in any order", () => {
    const [teams] = modelOf([
      table("teams", { id: text().primaryKey(), org: text(), slug: text(), code: text().unique() }, { indexes: [uniqueIndex("uq").on("slug", "org")] }),
    ]).tables;
    expect(["id", "code", "org,slug", "slug,org"].map((key) => isUniqueKey(teams, key.split(",")))).toEqual([true, true, true, true]);
    expect(["org", "slug", "id,code"].map((key) => isUniqueKey(teams, key.split(",")))).toEqual([false, false, false]);
  });
});
