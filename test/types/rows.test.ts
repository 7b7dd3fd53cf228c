// Rows at run time: representative rows written to a database built from the schema and read back parse with the
// generated zod schemas, and the zod schemas reject what the types forbid. The last test goes through wrangler's
// local D1 engine, the judge of "as D1 returns it": BLOBs come back as arrays of bytes, booleans as 0/1.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { D1Database } from "@cloudflare/workers-types";
import { afterAll, describe, expect, it } from "vitest";
import { getPlatformProxy } from "wrangler";
import { parentFirst } from "../../generator/plan/fk-graph.js";
import { renderCreateIndex, renderCreateTable } from "../../generator/render/ddl.js";
import { renderTypes } from "../../generator/types/render-types.js";
import { blob, boolean, integer, json, table, text } from "../../generator/dsl/index.js";
import { databaseFrom, modelOf } from "../helpers/evolve.js";
import {
  customersRow,
  ordersRow,
  orderTagsRow,
  parseCustomersSettings,
  parseCustomersTags,
  type CustomersInsert,
  type CustomersRow,
  type OrdersInsert,
  type OrderTagsInsert,
  type ShopDbEnv,
} from "./fixtures/shop.js";
import { shopModel } from "./fixtures/shop-schema.js";
import { importGeneratedModule, insertSampleRows, readRowsLikeD1, rowsFailingTheirSchema } from "./row-samples.js";

const temporaryDirs: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("rows read back parse with the generated zod schemas", () => {
  it("for every table of a schema, through the module as generate writes it", async () => {
    const model = shopModel();
    const db = databaseFrom(model);
    insertSampleRows(db, model);
    for (const table of model.tables) expect(readRowsLikeD1(db, table.name)).toHaveLength(2);
    const generated = await importGeneratedModule(await renderTypes(model), `${model.folder}.ts`);
    expect(rowsFailingTheirSchema(db, model, generated)).toEqual([]);
  });

  it("for every table of a schema, with zod 3.25's zod/v4 (the oldest zod the package's peer range allows)", async () => {
    const model = shopModel();
    const db = databaseFrom(model);
    insertSampleRows(db, model);
    const source = (await renderTypes(model)).replace('from "zod/v4";', 'from "zod3/v4";');
    expect(source).toContain('import { z } from "zod3/v4";');
    const generated = await importGeneratedModule(source, `${model.folder}.ts`);
    expect(rowsFailingTheirSchema(db, model, generated)).toEqual([]);
    const customers = generated.customersRow as typeof customersRow;
    db.prepare("INSERT INTO customers (id, email) VALUES ('c9', 'a@x')").run();
    const valid = readRowsLikeD1(db, "customers").find((row) => row.id === "c9");
    expect(customers.safeParse(valid).success).toBe(true);
    expect(customers.safeParse({ ...valid, settings: "{not json" }).error?.issues.map((issue) => issue.message)).toEqual(["expected JSON text"]);
  });

  it("for tables and columns with any name SQLite accepts (spaces, dashes, quotes, non-ASCII, a leading digit)", async () => {
    const model = modelOf([
      table("my table", {
        "order id": integer().primaryKey(),
        Straße: text().notNull(),
        'say "hi"': text(),
        "1st": boolean().notNull().default(false),
        "meta data": json("{ a?: string }"),
        "ünï-blob": blob(),
      }),
      table("Kind-Tabelle", { id: integer().primaryKey(), "parent id": integer().references("my table", "order id") }),
    ]);
    const db = databaseFrom(model);
    insertSampleRows(db, model);
    expect(readRowsLikeD1(db, "my table")).toHaveLength(2);
    const generated = await importGeneratedModule(await renderTypes(model), "odd_names.ts");
    expect(rowsFailingTheirSchema(db, model, generated)).toEqual([]);
    const parse = generated.parseMyTableMetaData as (row: { "meta data": string | null }) => unknown;
    expect(parse({ "meta data": '{"a":"x"}' })).toEqual({ a: "x" });
  });

  it("with defaults, generated columns and JSON parsed by the helpers", () => {
    const db = databaseFrom(shopModel());
    db.prepare("INSERT INTO customers (id, email, tags, avatar) VALUES ('c1', 'Ann@Example.com', '[\"vip\"]', ?)").run(Buffer.from([7, 8]));
    const [row] = readRowsLikeD1(db, "customers");
    const customer: CustomersRow = customersRow.parse(row);
    expect(customer).toMatchObject({ id: "c1", is_vip: 0, settings: "{}", email_domain: "Example.com", avatar: [7, 8], legacy_code: null });
    expect(parseCustomersSettings(customer)).toEqual({});
    expect(parseCustomersTags(customer)).toEqual(["vip"]);
    expect(parseCustomersTags({ tags: null })).toBeNull();
  });

  it("and the schemas reject what the types forbid", () => {
    const db = databaseFrom(shopModel());
    db.prepare("INSERT INTO customers (id, email) VALUES ('c1', 'a@x')").run();
    const [valid] = readRowsLikeD1(db, "customers");
    expect(customersRow.safeParse(valid).success).toBe(true);
    const rejected = (patch: Record<string, unknown>): string[] =>
      customersRow.safeParse({ ...valid, ...patch }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];
    expect(rejected({ settings: "{not json" })).toEqual(["settings: expected JSON text"]);
    expect(rejected({ is_vip: 2 })).toHaveLength(1);
    expect(rejected({ id: null })).toHaveLength(1); // a TEXT primary key SQLite let hold NULL
    expect(rejected({ avatar: Buffer.from([1]) })).toHaveLength(1); // a BLOB as better-sqlite3 gives it, not as D1 does

    // Non-STRICT tables store what they are given: the zod schema finds it.
    db.pragma("foreign_keys = OFF");
    db.prepare("INSERT INTO orders (customer_id, sku, quantity, unit_price) VALUES ('c1', 'A', 2.5, 'cheap')").run();
    const issues = ordersRow.safeParse(readRowsLikeD1(db, "orders")[0]).error?.issues.map((issue) => issue.path.join("."));
    expect(issues).toEqual(["quantity", "unit_price"]);
  });

  it("on wrangler's local D1 engine, written with the insert types through a D1 binding", { timeout: 120_000 }, async () => {
    const model = shopModel();
    const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-types-"));
    temporaryDirs.push(dir);
    const configPath = path.join(dir, "wrangler.toml");
    const d1 = (binding: string) =>
      [
        `[[d1_databases]]`,
        `binding = "${binding}"`,
        `database_name = "${binding.toLowerCase()}"`,
        `database_id = "00000000-0000-4000-8000-00000000000${binding.length % 10}"`,
      ].join("\n");
    await writeFile(configPath, [`name = "d1-schema-types-test"`, `compatibility_date = "2025-01-01"`, "", d1("SHOP_DB"), "", d1("SHOP_DB_EU"), ""].join("\n"));
    const proxy = await getPlatformProxy<ShopDbEnv>({ configPath, persist: false, remoteBindings: false });
    try {
      const db: D1Database = proxy.env.SHOP_DB;
      const ddl = parentFirst(model.tables).flatMap((table) => [
        renderCreateTable(table, { ifNotExists: false }),
        ...table.indexes.map((index) => renderCreateIndex(table, index, { ifNotExists: false })),
      ]);
      await db.batch(ddl.map((sql) => db.prepare(sql)));

      const customer: CustomersInsert = {
        id: "c1",
        email: "ann@example.com",
        is_vip: true,
        tags: JSON.stringify(["vip"]),
        avatar: new Uint8Array([1, 2, 255]),
      };
      const order: OrdersInsert = { customer_id: "c1", sku: "A-1", quantity: 2, unit_price: 9.5 };
      const tag: OrderTagsInsert = { order_id: 1, tag: "gift" };
      for (const [table, values] of [
        ["customers", customer],
        ["orders", order],
        ["order_tags", tag],
      ] as const) {
        const names = Object.keys(values);
        await db
          .prepare(`INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`)
          .bind(...(Object.values(values) as unknown[]))
          .run();
      }

      const row = await db.prepare("SELECT * FROM customers").first<CustomersRow>();
      expect(customersRow.parse(row)).toMatchObject({ id: "c1", is_vip: 1, avatar: [1, 2, 255], email_domain: "example.com" });
      expect(ordersRow.parse(await db.prepare("SELECT * FROM orders").first())).toMatchObject({ id: 1, quantity: 2, total: 19 });
      expect(orderTagsRow.parse(await db.prepare("SELECT * FROM order_tags").first())).toEqual({ order_id: 1, tag: "gift", note: null });
    } finally {
      await proxy.dispose();
    }
  });
});
