// E-commerce (migration 0022): unified store tables across Shopify, WooCommerce, BigCommerce, ..., told apart by
// `source`. The Shopify sync writes them alongside its own shopify_orders/shopify_refunds (dual-write).
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const shipped = "Shipped — Shopify dual-write.";

export const ecommerceCustomers = table(
  "ecommerce_customers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("shopify, woocommerce, bigcommerce, ..."),
    external_id: text().notNull().describe("The customer id in the store."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text(),
    accepts_marketing: boolean().notNull().default(false),
    orders_count: integer().notNull().default(0),
    total_spent_cents: integer().notNull().default(0),
    currency: text(),
    first_order_at: timestamp(),
    last_order_at: timestamp(),
    tags: json("string[]"),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `E-commerce (unified): store customers. ${shipped}`,
    createdIn: "0022",
    indexes: [
      uniqueIndex("idx_ecommerce_customers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_ecommerce_customers_org_email_hash").on("organization_id", "email_hash"),
      index("idx_ecommerce_customers_org_last_order").on("organization_id", desc("last_order_at")),
    ],
  },
);

export const ecommerceOrders = table(
  "ecommerce_orders",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The order id in the store."),
    customer_id: text().references("ecommerce_customers", "id", { onDelete: "set null" }),
    customer_external_id: text().describe("Kept so orders synced before their customer can be linked later; null for guests."),
    order_number: text(),
    status: text().notNull().describe("open, closed, cancelled."),
    financial_status: text().describe("pending, paid, partially_refunded, refunded, ..."),
    fulfillment_status: text(),
    currency: text().notNull(),
    subtotal_cents: integer().notNull().default(0),
    discount_cents: integer().notNull().default(0),
    shipping_cents: integer().notNull().default(0),
    tax_cents: integer().notNull().default(0),
    total_cents: integer().notNull().default(0),
    refunded_cents: integer().notNull().default(0),
    item_count: integer().notNull().default(0),
    email_hash: text().describe("The buyer's address hash, also for guest checkouts."),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    landing_site: text(),
    referring_site: text(),
    discount_codes: json("string[]"),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    ordered_at: timestamp().notNull(),
    cancelled_at: timestamp(),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `E-commerce (unified): orders with totals in cents and the UTM they arrived with. ${shipped}`,
    createdIn: "0022",
    indexes: [
      uniqueIndex("idx_ecommerce_orders_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_ecommerce_orders_customer").on("customer_id"),
      index("idx_ecommerce_orders_org_ordered").on("organization_id", desc("ordered_at")),
      index("idx_ecommerce_orders_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const ecommerceProducts = table(
  "ecommerce_products",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The product id in the store."),
    title: text().notNull(),
    product_type: text(),
    vendor: text(),
    status: text().describe("active, draft, archived."),
    price_cents: integer(),
    currency: text(),
    inventory_quantity: integer(),
    variants: json("Record<string, unknown>[]"),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `E-commerce (unified): the product catalog. ${shipped}`,
    createdIn: "0022",
    indexes: [
      uniqueIndex("idx_ecommerce_products_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_ecommerce_products_org_type").on("organization_id", "product_type"),
    ],
  },
);

export const ecommerceOrderItems = table(
  "ecommerce_order_items",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The line item id in the store."),
    order_id: text().notNull().references("ecommerce_orders", "id", { onDelete: "cascade" }),
    product_id: text().references("ecommerce_products", "id", { onDelete: "set null" }),
    product_external_id: text(),
    variant_external_id: text(),
    sku: text(),
    title: text().notNull(),
    quantity: integer().notNull().default(1),
    unit_price_cents: integer().notNull().default(0),
    discount_cents: integer().notNull().default(0),
    total_cents: integer().notNull().default(0),
    properties: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `E-commerce (unified): order line items. ${shipped}`,
    createdIn: "0022",
    indexes: [
      uniqueIndex("idx_ecommerce_order_items_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_ecommerce_order_items_order").on("order_id"),
      index("idx_ecommerce_order_items_product").on("product_id"),
    ],
  },
);

export const ecommerceRefunds = table(
  "ecommerce_refunds",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The refund id in the store."),
    order_id: text().notNull().references("ecommerce_orders", "id", { onDelete: "cascade" }),
    amount_cents: integer().notNull(),
    currency: text().notNull(),
    reason: text(),
    refunded_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `E-commerce (unified): refunds against orders. ${shipped}`,
    createdIn: "0022",
    indexes: [
      uniqueIndex("idx_ecommerce_refunds_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_ecommerce_refunds_order").on("order_id"),
      index("idx_ecommerce_refunds_org_refunded").on("organization_id", desc("refunded_at")),
    ],
  },
);
