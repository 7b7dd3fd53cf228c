// App code as it would use generated types, against the committed shop fixture. Never run: `npm run typecheck`
// (tsconfig includes test/) compiles it, so every line here, and every `@ts-expect-error` failing as it should, is
// checked in CI.
import type { D1Database } from "@cloudflare/workers-types";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { D1Env, shopDb } from "./fixtures/index.js";
import {
  customersRow,
  parseCustomersSettings,
  parseCustomersTags,
  type CustomersInsert,
  type CustomersRow,
  type CustomersTable,
  type CustomersUpdate,
  type OrderTagsInsert,
  type OrdersInsert,
  type OrdersRow,
  type OrdersTable,
  type OrdersUpdate,
  type ShopDbDatabase,
  type ShopDbEnv,
  type ShopDbTableName,
  type ShopDbTables,
} from "./fixtures/shop.js";

/** True when each type is assignable to the other (optional and required properties count). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameSeesOptionality: Same<{ a?: number }, { a: number }> = false;

// The standalone row, insert and update types say what Kysely derives from the Kysely tables.
export const kyselyAgrees: [
  Same<Selectable<CustomersTable>, CustomersRow>,
  Same<Insertable<CustomersTable>, CustomersInsert>,
  Same<Updateable<CustomersTable>, CustomersUpdate>,
  Same<Selectable<OrdersTable>, OrdersRow>,
  Same<Insertable<OrdersTable>, OrdersInsert>,
  Same<Updateable<OrdersTable>, OrdersUpdate>,
] = [true, true, true, true, true, true];

export const tablesMap: Same<ShopDbTables["orders"], OrdersRow> = true;
export const tableNames: Same<ShopDbTableName, "carts" | "customers" | "order_tags" | "orders"> = true;

/** Kysely, type level only: `new Kysely<ShopDbDatabase>({ dialect })` in app code. */
export async function withKysely(db: Kysely<ShopDbDatabase>): Promise<void> {
  const customers = await db.selectFrom("customers").select(["id", "email", "is_vip", "avatar"]).where("is_vip", "=", 1).execute();
  const first = customers[0];
  if (first) {
    const id: string = first.id; // a TEXT primary key is never null
    const avatar: number[] | null = first.avatar;
    void [id, avatar];
  }

  // @ts-expect-error customers has no column nickname
  await db.selectFrom("customers").select(["id", "nickname"]).execute();
  // @ts-expect-error there is no table products
  await db.selectFrom("products").selectAll().execute();

  // id, quantity and placed_at have defaults; total is generated
  await db.insertInto("orders").values({ customer_id: "c1", sku: "A-1", unit_price: 9.5 }).execute();
  await db
    .insertInto("customers")
    .values({ email: "a@example.com", is_vip: true, avatar: new Uint8Array([1, 2]) })
    .execute();
  // @ts-expect-error quantity is an INTEGER column
  await db.insertInto("orders").values({ customer_id: "c1", sku: "A-1", unit_price: 9.5, quantity: "2" }).execute();
  // @ts-expect-error sku is NOT NULL without a default
  await db.insertInto("orders").values({ customer_id: "c1", unit_price: 9.5 }).execute();
  // @ts-expect-error total is a generated column
  await db.insertInto("orders").values({ customer_id: "c1", sku: "A-1", unit_price: 9.5, total: 9.5 }).execute();

  await db.updateTable("orders").set({ quantity: 3 }).where("id", "=", 1).execute();
  // @ts-expect-error a primary key is not updated
  await db.updateTable("orders").set({ id: 2 }).execute();
}

/** D1 through the Env fragment, with rows typed by `.first<Row>()` and checked by the zod schema. */
export async function withD1(env: ShopDbEnv): Promise<void> {
  const row = await env.SHOP_DB.prepare("SELECT * FROM customers WHERE id = ?").bind("c1").first<CustomersRow>();
  if (row) {
    const email: string = row.email;
    const currency: string | undefined = parseCustomersSettings(row).currency;
    const tags: string[] | null = parseCustomersTags(row);
    // @ts-expect-error customers has no column nickname
    void row.nickname;
    // @ts-expect-error the settings column is JSON text, not the parsed object
    void row.settings.currency;
    void [email, currency, tags];
  }
  const checked: CustomersRow = customersRow.parse(await env.SHOP_DB_EU.prepare("SELECT * FROM customers LIMIT 1").first());
  void checked;
}

export const inserts: [OrdersInsert, CustomersInsert, OrderTagsInsert] = [
  { customer_id: "c1", sku: "A-1", unit_price: 9.5, discount: null },
  { email: "b@example.com", settings: JSON.stringify({ currency: "EUR" }) },
  { order_id: 1, tag: "gift" },
];

// @ts-expect-error unit_price is a REAL column, not text
export const wrongType: OrdersInsert = { customer_id: "c1", sku: "A-1", unit_price: "9.5" };
// @ts-expect-error sku is required
export const missingRequired: OrdersInsert = { customer_id: "c1", unit_price: 9.5 };
// @ts-expect-error a TEXT primary key takes no null, although SQLite would store it
export const nullKey: CustomersInsert = { id: null, email: "c@example.com" };
// @ts-expect-error order_tags' composite key has no default: tag is required
export const missingKeyPart: OrderTagsInsert = { order_id: 1 };
// @ts-expect-error the primary key is not part of an update
export const updateKey: CustomersUpdate = { id: "c2" };

// The index: one namespace a database, and every binding for the Worker's Env.
export interface Env extends D1Env {
  SESSION_SECRET: string;
}
export const envBindings: [Same<Env["SHOP_DB_EU"], D1Database>, Same<shopDb.OrdersRow, OrdersRow>] = [true, true];
