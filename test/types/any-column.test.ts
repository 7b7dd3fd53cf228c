// A STRICT table's ANY column keeps every value as it was given (text, a number, a blob): its generated row type and
// zod schema take each of them, as D1 returns them, and reject what none of them is.
import { describe, expect, it } from "vitest";
import { integer, numeric, table } from "../../generator/dsl/index.js";
import { renderTypes } from "../../generator/types/render-types.js";
import { databaseFrom, modelOf } from "../helpers/evolve.js";
import { importGeneratedModule, readRowsLikeD1 } from "./row-samples.js";

describe("an ANY column of a STRICT table", () => {
  it("is typed as text, number or blob, and its zod schema parses each as D1 returns it", async () => {
    const model = modelOf([table("bag", { id: integer().primaryKey(), value: numeric("ANY"), required: numeric("ANY").notNull() }, { strict: true })]);
    const source = await renderTypes(model);
    expect(source).toContain("value: string | number | number[] | null;");
    const db = databaseFrom(model);
    const insert = db.prepare("INSERT INTO bag (id, value, required) VALUES (?, ?, ?)");
    insert.run(1, "text", 1);
    insert.run(2, 2.5, "007");
    insert.run(3, Buffer.from([1, 2]), 3n);
    insert.run(4, null, "x");
    const rows = readRowsLikeD1(db, "bag");
    // ANY keeps "007" as text (another affinity would have made it 7).
    expect(rows.map((row) => row.required)).toEqual([1, "007", 3, "x"]);
    const bagRow = (await importGeneratedModule(source, `${model.folder}.ts`)).bagRow as { safeParse(value: unknown): { success: boolean } };
    for (const row of rows) expect(bagRow.safeParse(row).success, JSON.stringify(row)).toBe(true);
    expect(bagRow.safeParse({ ...rows[0], required: true }).success).toBe(false);
    expect(bagRow.safeParse({ ...rows[0], required: null }).success).toBe(false);
  });
});
