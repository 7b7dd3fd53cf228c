// The generated modules are written as text in prettier's form, without prettier (generator/types/typescript-text.ts).
// Prettier stays the oracle: for ClearLift's databases and for random schemas (long names that force line breaks,
// descriptions over several lines, JSON columns with type text in and out of prettier's form), formatting what
// renderTypes writes must give it back unchanged.
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { blob, boolean, integer, json, numeric, real, table, text, timestamp, type ColumnBuilder } from "../../generator/dsl/index.js";
import { loadModels } from "../../generator/project/load-models.js";
import { SchemaError } from "../../generator/model/errors.js";
import { prettierOptions, renderTypes } from "../../generator/types/render-types.js";
import { isPrettierTypeText } from "../../generator/types/typescript-text.js";
import { modelOf } from "../helpers/evolve.js";

const repositorySchema = new URL("../../schema", import.meta.url).pathname;

async function expectPrettierForm(source: string): Promise<void> {
  expect(await prettier.format(source, prettierOptions)).toBe(source);
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const name = (maxWords: number) => fc.array(word, { minLength: 1, maxLength: maxWords }).map((words) => words.join("_"));
/** Any name SQLite accepts (issue 16): quoted as a property, split into words for type names. */
const oddName = fc.string({ unit: fc.constantFrom("a", "Z", "1", " ", "-", '"', "'", "\\", "`", "ß", "é", "✓", "$", "_"), minLength: 1, maxLength: 10 });
const sentence = fc.array(fc.stringMatching(/^[A-Za-z0-9`'.,:()-]{1,12}$/), { minLength: 1, maxLength: 30 }).map((words) => words.join(" "));
const description = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((lines) => lines.join("\n"));
/** Type texts for JSON columns: prettier's own form, and forms prettier respaces or breaks. */
const tsType = fc.constantFrom(
  "unknown",
  "string[]",
  "Record<string, unknown>",
  "Array<Record<string, number>>",
  "{ key: string; label?: string }[]",
  "{ currency?: string; newsletter?: boolean; locale_of_the_customer_in_full?: string; another_quite_long_property?: number }",
  '"draft" | "sent" | "failed"',
  "{a:string}",
  "Array< string >",
  "(string | number)[]",
  "() => void",
  "Map<string,number>",
);
const columnBuilder: fc.Arbitrary<ColumnBuilder> = fc
  .record({
    make: fc.constantFrom<(() => ColumnBuilder)[]>(text, integer, real, numeric, blob, boolean, () => timestamp("unix"), timestamp),
    jsonType: fc.option(tsType, { nil: undefined }),
    notNull: fc.boolean(),
    withDefault: fc.boolean(),
    description: fc.option(description, { nil: undefined }),
    deprecated: fc.option(sentence, { nil: undefined }),
  })
  .map(({ make, jsonType, notNull, withDefault, description, deprecated }) => {
    let column = jsonType !== undefined ? json(jsonType) : make();
    if (notNull) column = column.notNull();
    if (withDefault && jsonType === undefined) column = column.defaultSql("0");
    if (description !== undefined) column = column.describe(description);
    if (deprecated !== undefined) column = column.deprecated(deprecated);
    return column;
  });
const randomTable = fc
  .record({
    name: name(8),
    columns: fc.uniqueArray(fc.tuple(fc.oneof(name(10), name(10), oddName), columnBuilder), {
      minLength: 1,
      maxLength: 8,
      selector: ([columnName]) => columnName.toLowerCase(),
    }),
    keyColumns: fc.integer({ min: 0, max: 3 }),
    description: fc.option(description, { nil: undefined }),
  })
  .map(({ name, columns, keyColumns, description }) =>
    table(`t_${name}`, Object.fromEntries(columns), {
      ...(keyColumns > 0 ? { primaryKey: columns.slice(0, keyColumns).map(([columnName]) => columnName) } : {}),
      ...(description !== undefined ? { description } : {}),
    }),
  );

describe("generated types written without prettier", () => {
  it("are in prettier's form for every ClearLift database", async () => {
    for (const model of await loadModels(repositorySchema)) await expectPrettierForm(await renderTypes(model));
  });

  it("are in prettier's form for random schemas: long names, broken lines, JSDoc over lines, user type text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(randomTable, { minLength: 0, maxLength: 6, selector: (definition) => definition.spec.name }), async (tables) => {
        const model = modelOf(tables, {}, { prove: false });
        // Two names that meet in one generated name (`a b` and `a-b`) are refused, naming both: nothing to format.
        const source = await renderTypes(model).catch((error: unknown) => {
          if (error instanceof SchemaError && /gives the generated type name/.test(error.problem)) return undefined;
          throw error;
        });
        fc.pre(source !== undefined);
        await expectPrettierForm(source);
      }),
      { numRuns: Number(process.env.TYPES_RUNS ?? 60) },
    );
  }, 600_000);

  it("send type text that prettier would respace to prettier, and keep prettier's own form as it is", () => {
    expect(["unknown", "string[]", "Record<string, unknown>", "{ key: string; label?: string }[]", '"a" | "b"', "A.B<C>"].map(isPrettierTypeText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["{a:string}", "Array< string >", "(string | number)[]", "() => void", "Map<string,number>", "string |number"].map(isPrettierTypeText)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
