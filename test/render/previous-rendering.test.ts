// The snapshot, the squash and the types of a changed schema are rendered taking each unchanged table's text from the
// earlier files (model/snapshot.ts, render/fresh.ts, types/render-types.ts). What they write must be byte for byte
// what a rendering from nothing writes: on random evolutions, on changes that reach every table's text (descriptions,
// IF NOT EXISTS), and on earlier files laid out in a way the split cannot trust (blank lines inside a statement or a
// type), where it must take nothing rather than the wrong text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integer, json, table, text, trigger, view, virtualTable } from "../../generator/dsl/index.js";
import type { Database } from "../../generator/model/model.js";
import { parseSnapshot, renderCurrentSnapshot } from "../../generator/model/snapshot.js";
import { renderFreshSchema } from "../../generator/render/fresh.js";
import { columnTyping, kyselyTypeNames } from "../../generator/types/column-typing.js";
import { renderTypes } from "../../generator/types/render-types.js";
import { choiceStream, evolve, genSchema, modelOfSchema } from "../helpers/arbitraries.js";
import { modelOf } from "../helpers/evolve.js";

/** Every file rendered from nothing and rendered from the earlier files; each pair must be equal. */
async function bothWays(before: Database, after: Database): Promise<{ fromNothing: string[]; fromEarlier: string[] }> {
  const earlierSnapshot = renderCurrentSnapshot({ version: 2, lastMigration: "0001_a.sql", folderHash: "x", database: before });
  const previous = parseSnapshot(earlierSnapshot, before.name);
  const next = { version: 2 as const, lastMigration: "0002_b.sql", folderHash: "y", database: after };
  const earlierFresh = renderFreshSchema(before, "0001_a.sql");
  const earlierTypes = await renderTypes(before);
  return {
    fromNothing: [renderCurrentSnapshot(next), renderFreshSchema(after, "0002_b.sql"), await renderTypes(after)],
    fromEarlier: [
      renderCurrentSnapshot(next, previous),
      renderFreshSchema(after, "0002_b.sql", { database: before, lastMigration: "0001_a.sql", text: earlierFresh }),
      await renderTypes(after, { database: before, text: earlierTypes }),
    ],
  };
}

const others = Array.from({ length: 12 }, (_, n) => table(`other_${n}`, { id: integer().primaryKey(), note: text(), payload: json("{ a: number }") }));
const users = (extra = {}, options = {}) => table("users", { id: text().primaryKey(), email: text().notNull(), ...extra }, options);

describe("rendering a changed schema from the earlier files", () => {
  it("writes what a rendering from nothing writes, on random evolutions", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(choiceStream(400), choiceStream(400), async (schemaChoices, stepChoices) => {
        const schema = genSchema(schemaChoices);
        let before: Database;
        let after: Database;
        try {
          before = modelOfSchema(schema, { prove: false });
          after = modelOfSchema(evolve(schema, stepChoices).next, { prove: false });
        } catch {
          return; // refused evolutions are the property tests' business
        }
        const { fromNothing, fromEarlier } = await bothWays(before, after);
        expect(fromEarlier).toEqual(fromNothing);
        compared++;
      }),
      { numRuns: 60 },
    );
    expect(compared).toBeGreaterThan(30);
  }, 120_000);

  it("renders again the tables whose description, deprecation or IF NOT EXISTS changed", async () => {
    const before = modelOf([users(), ...others]);
    for (const after of [
      modelOf([users({}, { description: "People who sign in." }), ...others]),
      modelOf([users({}, { deprecated: "use accounts" }), ...others]),
      modelOf([users({ name: text() }), ...others.slice(1)]),
      modelOf([users(), ...others], { ifNotExists: false }),
    ]) {
      const { fromNothing, fromEarlier } = await bothWays(before, after);
      expect(fromEarlier).toEqual(fromNothing);
    }
  });

  it("keeps unchanged tables' text beside views, triggers and virtual tables, written anew after them", async () => {
    const objects = [
      view("user_emails", "SELECT id, email FROM users"),
      trigger("users_note", "AFTER INSERT ON users FOR EACH ROW BEGIN UPDATE other_1 SET note = NEW.email WHERE id = 1; END"),
      virtualTable("users_search", "fts5(email)"),
    ];
    const before = modelOf([users(), ...others], {}, { objects });
    const after = modelOf([users({ name: text() }), ...others], {}, { objects: [...objects.slice(0, 2), view("user_names", "SELECT id, name FROM users")] });
    const { fromNothing, fromEarlier } = await bothWays(before, after);
    expect(fromEarlier).toEqual(fromNothing);
    const earlierFresh = renderFreshSchema(before, "0001_a.sql").replaceAll("CREATE TABLE IF NOT EXISTS", "CREATE  TABLE IF NOT EXISTS");
    expect(renderFreshSchema(after, "0002_b.sql", { database: before, lastMigration: "0001_a.sql", text: earlierFresh })).toContain(
      "CREATE  TABLE IF NOT EXISTS other_3 (",
    );
  });

  it("takes nothing from an earlier file with a blank line inside a statement or a type, and still writes the same", async () => {
    const odd = table("odd", {
      id: integer().primaryKey(),
      memo: text().notNull().default("line one\n\n-- other_3\nline two"),
      shape: json("{\n\n  a: number }"),
    });
    const before = modelOf([odd, users(), ...others]);
    const after = modelOf([odd, users({ name: text() }), ...others]);
    expect(renderFreshSchema(before, "0001_a.sql")).toContain("\n\n-- other_3\n");
    const { fromNothing, fromEarlier } = await bothWays(before, after);
    expect(fromEarlier).toEqual(fromNothing);
  });

  it("takes the unchanged tables' text from the earlier files, and renders the changed ones", async () => {
    // Marked earlier files (a word in a comment changed): what is taken from them shows.
    const before = modelOf([users(), ...others]);
    const after = modelOf([users({ name: text() }), ...others]);
    const earlierFresh = renderFreshSchema(before, "0001_a.sql").replaceAll("CREATE TABLE IF NOT EXISTS", "CREATE  TABLE IF NOT EXISTS");
    const earlierTypes = (await renderTypes(before)).replaceAll("/** A row of `", "/** A ROW of `");
    const fresh = renderFreshSchema(after, "0002_b.sql", { database: before, lastMigration: "0001_a.sql", text: earlierFresh });
    const types = await renderTypes(after, { database: before, text: earlierTypes });
    expect(fresh).toContain("CREATE  TABLE IF NOT EXISTS other_3 (");
    expect(fresh).toContain("CREATE TABLE IF NOT EXISTS users (");
    expect(types).toContain("/** A ROW of `other_3`");
    expect(types).toContain("/** A row of `users`");
  });

  it("takes nothing from an earlier file that is not what the earlier schema renders", async () => {
    const before = modelOf([users(), ...others]);
    const after = modelOf([users({ name: text() }), ...others]);
    const earlierFresh = renderFreshSchema(before, "0001_a.sql");
    const earlierTypes = await renderTypes(before);
    // An earlier file from another schema (a table more) must not lend its text to this one.
    const wider = modelOf([users(), ...others, table("extra", { id: integer().primaryKey() })]);
    expect(renderFreshSchema(after, "0002_b.sql", { database: wider, lastMigration: "0001_a.sql", text: earlierFresh })).toBe(
      renderFreshSchema(after, "0002_b.sql"),
    );
    expect(await renderTypes(after, { database: wider, text: earlierTypes })).toBe(await renderTypes(after));
    // Nor one whose header says another migration.
    expect(renderFreshSchema(after, "0002_b.sql", { database: before, lastMigration: "0009_z.sql", text: earlierFresh })).toBe(
      renderFreshSchema(after, "0002_b.sql"),
    );
  });
});

describe("the Kysely helper types the imports name", () => {
  it("are every helper a column's type uses, on random schemas (the imports stop looking once all are found)", () => {
    fc.assert(
      fc.property(choiceStream(400), (choices) => {
        const model = modelOfSchema(genSchema(choices), { prove: false });
        for (const table of model.tables) {
          for (const column of table.columns) {
            const wrapper = /^(\w+)</.exec(columnTyping(table, column).kysely)?.[1];
            if (wrapper !== undefined) expect(kyselyTypeNames).toContain(wrapper);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
