// Scheduling (migration 0025): unified booking and field-service tables across Jobber, Calendly, Acuity,
// Housecall Pro, ..., told apart by `source`. The Jobber sync writes them alongside jobber_clients/jobber_jobs
// (dual-write): Jobber clients are scheduling_customers, jobs and visits are scheduling_appointments.
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const shipped = "Shipped — Jobber dual-write.";

export const schedulingCustomers = table(
  "scheduling_customers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("jobber, calendly, acuity, housecallpro, ..."),
    external_id: text().notNull().describe("The client/invitee id in the scheduling tool."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text().describe("SHA-256 of the E.164 number; many service businesses only have a phone."),
    company_name: text(),
    is_lead: boolean().notNull().default(false).describe("Jobber: a lead not yet converted to a client."),
    tags: json("string[]"),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Scheduling (unified): clients who book appointments. ${shipped}`,
    createdIn: "0025",
    indexes: [
      uniqueIndex("idx_scheduling_customers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_scheduling_customers_org_email_hash").on("organization_id", "email_hash"),
      index("idx_scheduling_customers_org_phone_hash").on("organization_id", "phone_hash"),
    ],
  },
);

export const schedulingServices = table(
  "scheduling_services",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The service/event type id in the scheduling tool."),
    name: text().notNull(),
    category: text(),
    duration_minutes: integer(),
    price_cents: integer(),
    currency: text(),
    is_active: boolean().notNull().default(true),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Scheduling (unified): bookable services and event types. ${shipped}`,
    createdIn: "0025",
    indexes: [
      uniqueIndex("idx_scheduling_services_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_scheduling_services_org_active").on("organization_id", "is_active"),
    ],
  },
);

export const schedulingAppointments = table(
  "scheduling_appointments",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The appointment/job/visit id in the scheduling tool."),
    customer_id: text().references("scheduling_customers", "id", { onDelete: "set null" }),
    service_id: text().references("scheduling_services", "id", { onDelete: "set null" }),
    customer_external_id: text(),
    title: text(),
    status: text().notNull().describe("scheduled, confirmed, completed, cancelled, no_show."),
    scheduled_start: timestamp().notNull(),
    scheduled_end: timestamp(),
    completed_at: timestamp(),
    cancelled_at: timestamp(),
    total_cents: integer().describe("The quoted or invoiced value of the appointment/job."),
    currency: text(),
    assignee_external_id: text(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Scheduling (unified): appointments, jobs and visits. ${shipped}`,
    createdIn: "0025",
    indexes: [
      uniqueIndex("idx_scheduling_appointments_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_scheduling_appointments_customer").on("customer_id"),
      index("idx_scheduling_appointments_service").on("service_id"),
      index("idx_scheduling_appointments_org_start").on("organization_id", desc("scheduled_start")),
    ],
  },
);

export const schedulingAvailability = table(
  "scheduling_availability",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The slot/availability-rule id in the scheduling tool."),
    service_id: text().references("scheduling_services", "id", { onDelete: "cascade" }).describe("Null for slots open to every service."),
    resource_external_id: text().describe("The staff member or resource the slot belongs to."),
    starts_at: timestamp().notNull(),
    ends_at: timestamp().notNull(),
    capacity: integer().notNull().default(1),
    booked_count: integer().notNull().default(0),
    is_available: boolean().notNull().default(true),
    properties: json("Record<string, unknown>"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Scheduling (unified): open and booked capacity slots. ${shipped}`,
    createdIn: "0025",
    indexes: [
      uniqueIndex("idx_scheduling_availability_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_scheduling_availability_service").on("service_id"),
      index("idx_scheduling_availability_org_starts").on("organization_id", "starts_at"),
    ],
  },
);
