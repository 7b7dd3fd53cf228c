// Events (migration 0027): unified event and webinar tables across Eventbrite, Zoom Webinars, Luma, ON24, ...,
// told apart by `source`. A registration is a sign-up; an attendee is someone who showed up (walk-ins have no
// registration).
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const eventsDefinitions = table(
  "events_definitions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("eventbrite, zoom, luma, on24, ..."),
    external_id: text().notNull().describe("The event/webinar id in the events tool."),
    name: text().notNull(),
    event_type: text().describe("webinar, virtual, in_person, hybrid."),
    status: text().describe("draft, live, completed, cancelled."),
    starts_at: timestamp(),
    ends_at: timestamp(),
    timezone: text(),
    venue: text(),
    event_url: text(),
    capacity: integer(),
    registration_count: integer().notNull().default(0),
    attendee_count: integer().notNull().default(0),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Events (unified): events and webinars. ${scaffolded}`,
    createdIn: "0027",
    indexes: [
      uniqueIndex("idx_events_definitions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_events_definitions_org_starts").on("organization_id", desc("starts_at")),
      index("idx_events_definitions_org_status").on("organization_id", "status"),
    ],
  },
);

export const eventsRegistrations = table(
  "events_registrations",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The registration/order id in the events tool."),
    event_id: text().notNull().references("events_definitions", "id", { onDelete: "cascade" }),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    status: text().describe("registered, waitlisted, cancelled."),
    ticket_type: text(),
    amount_cents: integer().notNull().default(0),
    currency: text(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    registered_at: timestamp().notNull(),
    cancelled_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Events (unified): registrations (sign-ups and tickets). ${scaffolded}`,
    createdIn: "0027",
    indexes: [
      uniqueIndex("idx_events_registrations_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_events_registrations_event").on("event_id"),
      index("idx_events_registrations_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const eventsAttendees = table(
  "events_attendees",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The participant/attendee id in the events tool."),
    event_id: text().notNull().references("events_definitions", "id", { onDelete: "cascade" }),
    registration_id: text().references("events_registrations", "id", { onDelete: "set null" }).describe("Null for walk-ins."),
    email_hash: text(),
    attended: boolean().notNull().default(true),
    joined_at: timestamp(),
    left_at: timestamp(),
    duration_seconds: integer(),
    engagement_score: real().describe("The tool's own engagement score (polls, questions, attention), when it has one."),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Events (unified): who attended, and for how long. ${scaffolded}`,
    createdIn: "0027",
    indexes: [
      uniqueIndex("idx_events_attendees_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_events_attendees_event").on("event_id"),
      index("idx_events_attendees_registration").on("registration_id"),
      index("idx_events_attendees_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const eventsRecordings = table(
  "events_recordings",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The recording id in the events tool."),
    event_id: text().notNull().references("events_definitions", "id", { onDelete: "cascade" }),
    title: text(),
    recording_url: text(),
    duration_seconds: integer(),
    view_count: integer().notNull().default(0),
    recorded_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Events (unified): recordings of events and their on-demand views. ${scaffolded}`,
    createdIn: "0027",
    indexes: [
      uniqueIndex("idx_events_recordings_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_events_recordings_event").on("event_id"),
    ],
  },
);
