// Accounting (migration 0029): unified bookkeeping tables across QuickBooks, Xero, FreshBooks, ..., told apart by
// `source`. Revenue for businesses whose sales close offline; expenses for spend outside the ad platforms.
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const accountingAccounts = table(
  "accounting_accounts",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("quickbooks, xero, freshbooks, ..."),
    external_id: text().notNull().describe("The ledger account id in the accounting tool."),
    name: text().notNull(),
    code: text(),
    account_type: text().notNull().describe("asset, liability, equity, income, expense."),
    account_subtype: text(),
    currency: text(),
    balance_cents: integer(),
    is_active: boolean().notNull().default(true),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Accounting (unified): the chart of accounts. ${scaffolded}`,
    createdIn: "0029",
    indexes: [
      uniqueIndex("idx_accounting_accounts_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_accounting_accounts_org_type").on("organization_id", "account_type"),
    ],
  },
);

export const accountingCustomers = table(
  "accounting_customers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The customer/contact id in the accounting tool."),
    company_name: text(),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text(),
    currency: text(),
    balance_cents: integer().notNull().default(0).describe("What the customer owes."),
    is_active: boolean().notNull().default(true),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Accounting (unified): customers invoiced through the books. ${scaffolded}`,
    createdIn: "0029",
    indexes: [
      uniqueIndex("idx_accounting_customers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_accounting_customers_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const accountingInvoices = table(
  "accounting_invoices",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The invoice id in the accounting tool."),
    customer_id: text().references("accounting_customers", "id", { onDelete: "set null" }),
    customer_external_id: text(),
    invoice_number: text(),
    status: text().notNull().describe("draft, sent, partially_paid, paid, void."),
    currency: text().notNull(),
    subtotal_cents: integer().notNull().default(0),
    tax_cents: integer().notNull().default(0),
    total_cents: integer().notNull().default(0),
    balance_cents: integer().notNull().default(0).describe("What is still unpaid."),
    issued_at: timestamp(),
    due_date: text().describe("YYYY-MM-DD"),
    paid_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Accounting (unified): sales invoices. ${scaffolded}`,
    createdIn: "0029",
    indexes: [
      uniqueIndex("idx_accounting_invoices_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_accounting_invoices_customer").on("customer_id"),
      index("idx_accounting_invoices_org_issued").on("organization_id", desc("issued_at")),
    ],
  },
);

export const accountingExpenses = table(
  "accounting_expenses",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The bill/purchase id in the accounting tool."),
    account_id: text().references("accounting_accounts", "id", { onDelete: "set null" }).describe("The expense account it is booked to."),
    vendor_external_id: text(),
    vendor_name: text(),
    category: text(),
    description: text(),
    amount_cents: integer().notNull(),
    tax_cents: integer().notNull().default(0),
    currency: text().notNull(),
    payment_method: text(),
    incurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Accounting (unified): expenses and bills, e.g. marketing spend outside the ad platforms. ${scaffolded}`,
    createdIn: "0029",
    indexes: [
      uniqueIndex("idx_accounting_expenses_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_accounting_expenses_account").on("account_id"),
      index("idx_accounting_expenses_org_incurred").on("organization_id", desc("incurred_at")),
    ],
  },
);

export const accountingPayments = table(
  "accounting_payments",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The payment id in the accounting tool."),
    invoice_id: text().references("accounting_invoices", "id", { onDelete: "set null" }),
    customer_id: text().references("accounting_customers", "id", { onDelete: "set null" }),
    amount_cents: integer().notNull(),
    currency: text().notNull(),
    payment_method: text(),
    reference: text(),
    paid_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Accounting (unified): payments received against invoices. ${scaffolded}`,
    createdIn: "0029",
    indexes: [
      uniqueIndex("idx_accounting_payments_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_accounting_payments_invoice").on("invoice_id"),
      index("idx_accounting_payments_customer").on("customer_id"),
      index("idx_accounting_payments_org_paid").on("organization_id", desc("paid_at")),
    ],
  },
);
