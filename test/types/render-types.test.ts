// The generated modules: the committed fixtures are exactly what the renderers write (so the consumer file that
// type-checks against them cannot go stale), output is byte-stable, and odd schemas still give code that compiles.
// Refresh the fixtures after changing a renderer with: UPDATE_TYPE_FIXTURES=1 npx vitest run test/types
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { blob, boolean, integer, json, table, text } from "../../generator/dsl/index.js";
import { SchemaError } from "../../generator/model/errors.js";
import type { Database } from "../../generator/model/model.js";
import { renderTypesIndex } from "../../generator/types/render-index.js";
import { prettierOptions, renderTypes } from "../../generator/types/render-types.js";
import { pascalCase } from "../../generator/types/names.js";
import { clearRenderCaches } from "../../generator/io/render-cache.js";
import { modelOf } from "../helpers/evolve.js";
import { shopModel } from "./fixtures/shop-schema.js";

const fixtures = path.join(import.meta.dirname, "fixtures");

async function expectFixture(name: string, content: string): Promise<void> {
  const file = path.join(fixtures, name);
  if (process.env.UPDATE_TYPE_FIXTURES === "1") await writeFile(file, content);
  const committed = await readFile(file, "utf8").catch(() => "(missing)");
  expect(committed, `test/types/fixtures/${name} is stale: run UPDATE_TYPE_FIXTURES=1 npx vitest run test/types`).toBe(content);
}

describe("generated types", () => {
  it("match the committed fixtures that the consumer file type-checks against", async () => {
    await expectFixture("shop.ts", await renderTypes(shopModel()));
    await expectFixture("index.ts", renderTypesIndex([shopModel()]));
  });

  it("are byte-identical on every render, whether the model comes from the DSL or from a snapshot's JSON", async () => {
    const model = shopModel();
    const first = await renderTypes(model);
    expect(await renderTypes(model)).toBe(first);
    expect(await renderTypes(JSON.parse(JSON.stringify(model)) as Database)).toBe(first);
    expect(await prettier.format(first, prettierOptions)).toBe(first);
  });

  it("render one changed table from the block cache exactly as a render from nothing", async () => {
    const model = shopModel();
    clearRenderCaches();
    await renderTypes(model); // every block now cached
    const changed: Database = { ...model, tables: model.tables.map((table, position) => (position === 0 ? { ...table, description: "Changed." } : table)) };
    const fromCache = await renderTypes(changed);
    clearRenderCaches();
    const fromNothing = await renderTypes(changed);
    expect(fromCache).toBe(fromNothing);
    expect(fromCache).toContain("Changed.");
    expect(await prettier.format(fromCache, prettierOptions)).toBe(fromCache);
  });

  it("write an index that prettier leaves as it is, without loading prettier", async () => {
    const shards = { ...modelOf([table("events", { id: integer().primaryKey() })], { name: "SHARD", bindings: ["SHARD_0", "SHARD_1"] }), folder: "shards" };
    const index = renderTypesIndex([shards, shopModel()]);
    expect(await prettier.format(index, prettierOptions)).toBe(index);
    expect(index).toContain('export * as shard from "./shards.js";\nexport * as shopDb from "./shop.js";');
    expect(index).toMatch(
      /export interface D1Env \{\n {2}SHARD_0: D1Database;\n {2}SHARD_1: D1Database;\n {2}SHOP_DB: D1Database;\n {2}SHOP_DB_EU: D1Database;\n\}/,
    );
    expect(renderTypesIndex([])).toContain("export interface D1Env {}");
  });

  it("name things after the table and the database", () => {
    expect(["ad_platforms", "ANALYTICS_DB", "DB", "oauthURL", "users2fa", "a__b"].map(pascalCase)).toEqual([
      "AdPlatforms",
      "AnalyticsDb",
      "Db",
      "OauthURL",
      "Users2fa",
      "AB",
    ]);
  });

  it("name things after any name SQLite accepts: words split on what a JavaScript name cannot hold", () => {
    expect(["order id", "Kind-Tabelle", "Straße", 'say "hi"', "1st", "✓", "ÉTÉ été"].map(pascalCase)).toEqual([
      "OrderId",
      "KindTabelle",
      "Straße",
      "SayHi",
      "_1st",
      "_",
      "ÉtéÉté",
    ]);
  });

  it("refuse two tables whose names meet in one generated name, naming both", async () => {
    const model = modelOf([table("my table", { id: integer().primaryKey() }), table("my-table", { id: integer().primaryKey() })]);
    const error = await renderTypes(model).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).message).toMatch(/TEST_DB\.my-table: gives the generated type name MyTableRow, which table my table gives too/);
  });

  it("quote property names that are not JavaScript names, in prettier's form, and compile under strict", async () => {
    const model = modelOf([
      table(
        "my table",
        {
          "order id": integer().primaryKey(),
          Straße: text().notNull(),
          'say "hi"': text().describe("ends */ early"),
          "it's": text(),
          "back\\slash": text(),
          "1st": boolean().notNull().default(false),
          "meta data": json("{ a?: string }"),
          delete: integer(),
        },
        { description: "A table named `my table`." },
      ),
      table("Kind-Tabelle", { id: integer().primaryKey(), "parent id": integer().references("my table", "order id") }),
    ]);
    const source = await renderTypes(model);
    expect(await prettier.format(source, prettierOptions)).toBe(source);
    for (const line of [
      'export interface MyTableRow {\n  "order id": number;\n  Straße: string;',
      "  'say \"hi\"': string | null;",
      '  "it\'s": string | null;',
      '  "back\\\\slash": string | null;',
      '  "1st": number;',
      "  delete: number | null;",
      'export function parseMyTableMetaData(row: Pick<MyTableRow, "meta data">): { a?: string } | null {\n  return row["meta data"] === null',
      'export type TestDbTableName = "Kind-Tabelle" | "my table";',
      '  "Kind-Tabelle": KindTabelleTable;',
    ]) {
      expect(source).toContain(line);
    }
    expect(typeErrors([source])).toEqual([]);
  });

  it("refuse two tables that would get one name, naming both", async () => {
    const model = modelOf([table("user_settings", { id: integer().primaryKey() }), table("userSettings", { id: integer().primaryKey() })]);
    const error = await renderTypes(model).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).message).toMatch(/TEST_DB\.user_settings: gives the generated type name UserSettingsRow, which table userSettings gives too/);
  });

  it("compile under strict for odd schemas: no tables, keyword names, JSON only, all nullable", async () => {
    const odd = [
      modelOf([]),
      modelOf([
        table("order", { default: text(), select: json(), from: boolean(), data: blob() }),
        table("key_only", { key: text().primaryKey() }, { withoutRowid: true }),
        table("group", { a: integer(), b: integer() }, { primaryKey: ["a", "b"], deprecated: "ends with */ in the reason */" }),
      ]),
    ];
    const sources = await Promise.all(odd.map((model) => renderTypes(model)));
    expect(typeErrors(sources)).toEqual([]);
  });
});

/** Type-checks sources with the repository's compiler options, in memory, next to the fixtures (for imports). */
function typeErrors(sources: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.resolve(import.meta.dirname, "../../tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("cannot read tsconfig.json");
  const files = new Map(sources.map((source, index) => [path.join(fixtures, `odd_${index}.ts`), source]));
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => files.get(path.resolve(file)) ?? readFile(file);
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram([...files.keys()], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => `${diagnostic.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
}
