// Payments (migration 0023): unified billing tables across Stripe, Paddle, Chargebee, ..., told apart by `source`.
// The Stripe sync writes them alongside its own stripe_charges/stripe_subscriptions (dual-write).
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const shipped = "Shipped — Stripe dual-write.";

export const paymentsCustomers = table(
  "payments_customers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("stripe, paddle, chargebee, ..."),
    external_id: text().notNull().describe("The customer id in the payment processor (Stripe cus_...)."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    currency: text(),
    balance_cents: integer().notNull().default(0),
    is_delinquent: boolean().notNull().default(false),
    metadata: json("Record<string, string>").describe("The processor's key/value metadata."),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Payments (unified): paying customers. ${shipped}`,
    createdIn: "0023",
    indexes: [
      uniqueIndex("idx_payments_customers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_payments_customers_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const paymentsPlans = table(
  "payments_plans",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The price/plan id in the payment processor."),
    product_external_id: text(),
    name: text(),
    amount_cents: integer().notNull().default(0),
    currency: text().notNull(),
    billing_interval: text().describe("day, week, month or year; null for one-time prices."),
    interval_count: integer().notNull().default(1),
    trial_days: integer(),
    is_active: boolean().notNull().default(true),
    metadata: json("Record<string, string>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Payments (unified): plans/prices subscriptions are billed on. ${shipped}`,
    createdIn: "0023",
    indexes: [
      uniqueIndex("idx_payments_plans_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_payments_plans_org_active").on("organization_id", "is_active"),
    ],
  },
);

export const paymentsSubscriptions = table(
  "payments_subscriptions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The subscription id in the payment processor (Stripe sub_...)."),
    customer_id: text().references("payments_customers", "id", { onDelete: "set null" }),
    plan_id: text().references("payments_plans", "id", { onDelete: "set null" }),
    customer_external_id: text().describe("Kept so subscriptions synced before their customer can be linked later."),
    status: text().notNull().describe("trialing, active, past_due, canceled, unpaid, ..."),
    amount_cents: integer().notNull().default(0).describe("Recurring amount per billing interval."),
    currency: text().notNull(),
    billing_interval: text(),
    quantity: integer().notNull().default(1),
    cancel_at_period_end: boolean().notNull().default(false),
    current_period_start: timestamp(),
    current_period_end: timestamp(),
    trial_end: timestamp(),
    started_at: timestamp(),
    canceled_at: timestamp(),
    ended_at: timestamp(),
    metadata: json("Record<string, string>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Payments (unified): recurring subscriptions. ${shipped}`,
    createdIn: "0023",
    indexes: [
      uniqueIndex("idx_payments_subscriptions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_payments_subscriptions_customer").on("customer_id"),
      index("idx_payments_subscriptions_plan").on("plan_id"),
      index("idx_payments_subscriptions_org_status").on("organization_id", "status"),
    ],
  },
);

export const paymentsInvoices = table(
  "payments_invoices",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The invoice id in the payment processor (Stripe in_...)."),
    customer_id: text().references("payments_customers", "id", { onDelete: "set null" }),
    subscription_id: text().references("payments_subscriptions", "id", { onDelete: "set null" }),
    customer_external_id: text(),
    invoice_number: text(),
    status: text().notNull().describe("draft, open, paid, uncollectible, void."),
    currency: text().notNull(),
    subtotal_cents: integer().notNull().default(0),
    tax_cents: integer().notNull().default(0),
    total_cents: integer().notNull().default(0),
    amount_paid_cents: integer().notNull().default(0),
    amount_due_cents: integer().notNull().default(0),
    issued_at: timestamp(),
    due_date: text().describe("YYYY-MM-DD"),
    paid_at: timestamp(),
    metadata: json("Record<string, string>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Payments (unified): invoices, one-off or from subscriptions. ${shipped}`,
    createdIn: "0023",
    indexes: [
      uniqueIndex("idx_payments_invoices_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_payments_invoices_customer").on("customer_id"),
      index("idx_payments_invoices_subscription").on("subscription_id"),
      index("idx_payments_invoices_org_issued").on("organization_id", desc("issued_at")),
    ],
  },
);

export const paymentsTransactions = table(
  "payments_transactions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The charge/refund id in the payment processor (Stripe ch_..., re_...)."),
    customer_id: text().references("payments_customers", "id", { onDelete: "set null" }),
    invoice_id: text().references("payments_invoices", "id", { onDelete: "set null" }),
    customer_external_id: text(),
    transaction_type: text().notNull().describe("charge, refund, dispute, ..."),
    status: text().notNull().describe("succeeded, pending, failed."),
    amount_cents: integer().notNull(),
    fee_cents: integer(),
    net_cents: integer(),
    refunded_cents: integer().notNull().default(0),
    currency: text().notNull(),
    payment_method_type: text(),
    email_hash: text().describe("The payer's address hash, also for charges without a customer."),
    failure_code: text(),
    occurred_at: timestamp().notNull(),
    metadata: json("Record<string, string>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Payments (unified): money movements (charges, refunds, disputes). ${shipped}`,
    createdIn: "0023",
    indexes: [
      uniqueIndex("idx_payments_transactions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_payments_transactions_customer").on("customer_id"),
      index("idx_payments_transactions_invoice").on("invoice_id"),
      index("idx_payments_transactions_org_occurred").on("organization_id", desc("occurred_at")),
    ],
  },
);
