// CRM (migration 0020): unified CRM tables, one table per entity across CRMs (HubSpot today; Salesforce, Pipedrive,
// ... later), told apart by `source`. People are kept as hashes for identity matching, never as plain addresses.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const shipped = "Shipped — written by the HubSpot sync.";

export const crmCompanies = table(
  "crm_companies",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("hubspot, salesforce, ..."),
    external_id: text().notNull().describe("The company id in the CRM."),
    name: text().notNull(),
    domain: text(),
    industry: text(),
    employee_count: integer(),
    annual_revenue_cents: integer(),
    lifecycle_stage: text(),
    owner_external_id: text(),
    properties: json("Record<string, unknown>").describe("CRM properties with no unified column."),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `CRM (unified): companies/accounts. ${shipped}`,
    createdIn: "0020",
    indexes: [
      uniqueIndex("idx_crm_companies_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_crm_companies_org_domain").on("organization_id", "domain"),
      index("idx_crm_companies_org_lifecycle_stage").on("organization_id", "lifecycle_stage"),
    ],
  },
);

export const crmContacts = table(
  "crm_contacts",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The contact id in the CRM."),
    company_id: text().references("crm_companies", "id", { onDelete: "set null" }).describe("The primary company's crm_companies.id."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text().describe("SHA-256 of the E.164 number, for identity matching."),
    job_title: text(),
    lifecycle_stage: text().describe("subscriber, lead, mql, sql, opportunity, customer, ..."),
    lead_status: text(),
    owner_external_id: text(),
    original_source: text().describe("The CRM's own first-touch source (e.g. HubSpot hs_analytics_source)."),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    became_customer_at: timestamp(),
    last_activity_at: timestamp(),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `CRM (unified): contacts (people). ${shipped}`,
    createdIn: "0020",
    indexes: [
      uniqueIndex("idx_crm_contacts_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_crm_contacts_company").on("company_id"),
      index("idx_crm_contacts_org_email_hash").on("organization_id", "email_hash"),
      index("idx_crm_contacts_org_lifecycle_stage").on("organization_id", "lifecycle_stage"),
    ],
  },
);

export const crmDeals = table(
  "crm_deals",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The deal/opportunity id in the CRM."),
    company_id: text().references("crm_companies", "id", { onDelete: "set null" }),
    contact_id: text().references("crm_contacts", "id", { onDelete: "set null" }).describe("The primary contact's crm_contacts.id."),
    name: text().notNull(),
    pipeline: text(),
    stage: text().notNull(),
    amount_cents: integer(),
    currency: text(),
    probability: real().describe("0..1 as the CRM reports it."),
    is_closed: boolean().notNull().default(false),
    is_won: boolean().notNull().default(false),
    close_date: text().describe("YYYY-MM-DD, expected or actual."),
    closed_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `CRM (unified): deals/opportunities, linked to a company and a primary contact. ${shipped}`,
    createdIn: "0020",
    indexes: [
      uniqueIndex("idx_crm_deals_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_crm_deals_company").on("company_id"),
      index("idx_crm_deals_contact").on("contact_id"),
      index("idx_crm_deals_org_stage").on("organization_id", "stage"),
    ],
  },
);

export const crmActivities = table(
  "crm_activities",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The engagement/activity id in the CRM."),
    contact_id: text().references("crm_contacts", "id", { onDelete: "set null" }),
    deal_id: text().references("crm_deals", "id", { onDelete: "set null" }),
    activity_type: text().notNull().describe("email, call, meeting, note, task, ..."),
    direction: text().describe("inbound or outbound, where it applies."),
    subject: text(),
    duration_seconds: integer(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `CRM (unified): activities (emails, calls, meetings, notes) on contacts and deals. ${shipped}`,
    createdIn: "0020",
    indexes: [
      uniqueIndex("idx_crm_activities_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_crm_activities_contact").on("contact_id"),
      index("idx_crm_activities_deal").on("deal_id"),
      index("idx_crm_activities_org_occurred").on("organization_id", desc("occurred_at")),
    ],
  },
);
