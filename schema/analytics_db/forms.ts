// Forms (migration 0026): unified form tables across Typeform, Jotform, HubSpot forms, Gravity Forms, ..., told
// apart by `source`. A submission is one filled-in form; its responses are the answers, one row per field.
import { desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const formsDefinitions = table(
  "forms_definitions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("typeform, jotform, hubspot, gravityforms, ..."),
    external_id: text().notNull().describe("The form id in the form tool."),
    name: text().notNull(),
    status: text().describe("live, draft, closed."),
    form_url: text(),
    field_count: integer().notNull().default(0),
    fields: json("{ key: string; label?: string; type?: string }[]").describe("The form's fields as last synced."),
    submission_count: integer().notNull().default(0),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Forms (unified): form definitions. ${scaffolded}`,
    createdIn: "0026",
    indexes: [
      uniqueIndex("idx_forms_definitions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_forms_definitions_org_status").on("organization_id", "status"),
    ],
  },
);

export const formsSubmissions = table(
  "forms_submissions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The submission/response id in the form tool."),
    form_id: text().notNull().references("forms_definitions", "id", { onDelete: "cascade" }),
    email_hash: text().describe("SHA-256 of the submitted address, for identity matching."),
    phone_hash: text(),
    anonymous_id: text().describe("ClearLift's tracking id when the form page carried the tag."),
    page_url: text(),
    referrer: text(),
    utm_source: text(),
    utm_medium: text(),
    utm_campaign: text(),
    submitted_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Forms (unified): submissions (leads) with the page and UTM they came from. ${scaffolded}`,
    createdIn: "0026",
    indexes: [
      uniqueIndex("idx_forms_submissions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_forms_submissions_form_submitted").on("form_id", desc("submitted_at")),
      index("idx_forms_submissions_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const formsResponses = table(
  "forms_responses",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    submission_id: text().notNull().references("forms_submissions", "id", { onDelete: "cascade" }),
    field_external_id: text().notNull().describe("The field's id/key in the form tool: answers have no id of their own."),
    field_label: text(),
    field_type: text().describe("text, email, choice, number, date, ..."),
    value_text: text(),
    value_number: real(),
    value_json: json("unknown").describe("Multi-choice and structured answers."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Forms (unified): one answer per field of a submission. ${scaffolded}`,
    createdIn: "0026",
    indexes: [
      uniqueIndex("idx_forms_responses_submission_field").on("submission_id", "field_external_id"),
      index("idx_forms_responses_org_field").on("organization_id", "field_external_id"),
    ],
  },
);
