// Support (migration 0024): unified help-desk tables across Zendesk, Intercom, Freshdesk, Help Scout, ..., told
// apart by `source`. A ticket may hold several conversations; chat tools have conversations without tickets.
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const supportCustomers = table(
  "support_customers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("zendesk, intercom, freshdesk, helpscout, ..."),
    external_id: text().notNull().describe("The requester/contact id in the help desk."),
    email_hash: text().describe("SHA-256 of the lower-cased address, for identity matching."),
    phone_hash: text(),
    company_name: text(),
    tags: json("string[]"),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Support (unified): the people who contact support. ${scaffolded}`,
    createdIn: "0024",
    indexes: [
      uniqueIndex("idx_support_customers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_support_customers_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const supportTickets = table(
  "support_tickets",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The ticket id in the help desk."),
    customer_id: text().references("support_customers", "id", { onDelete: "set null" }),
    customer_external_id: text(),
    subject: text(),
    status: text().notNull().describe("new, open, pending, solved, closed."),
    priority: text(),
    channel: text().describe("email, chat, phone, web, ..."),
    assignee_external_id: text(),
    satisfaction_rating: text(),
    tags: json("string[]"),
    opened_at: timestamp().notNull(),
    first_response_at: timestamp(),
    resolved_at: timestamp(),
    closed_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Support (unified): tickets with their lifecycle times. ${scaffolded}`,
    createdIn: "0024",
    indexes: [
      uniqueIndex("idx_support_tickets_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_support_tickets_customer").on("customer_id"),
      index("idx_support_tickets_org_opened").on("organization_id", desc("opened_at")),
    ],
  },
);

export const supportConversations = table(
  "support_conversations",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The conversation/thread id in the help desk."),
    ticket_id: text().references("support_tickets", "id", { onDelete: "set null" }).describe("Null for chats that never became a ticket."),
    customer_id: text().references("support_customers", "id", { onDelete: "set null" }),
    channel: text(),
    status: text(),
    message_count: integer().notNull().default(0),
    started_at: timestamp().notNull(),
    last_message_at: timestamp(),
    closed_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Support (unified): conversations (email threads, chats, calls). ${scaffolded}`,
    createdIn: "0024",
    indexes: [
      uniqueIndex("idx_support_conversations_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_support_conversations_ticket").on("ticket_id"),
      index("idx_support_conversations_customer").on("customer_id"),
      index("idx_support_conversations_org_last_message").on("organization_id", desc("last_message_at")),
    ],
  },
);

export const supportMessages = table(
  "support_messages",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The message/comment id in the help desk."),
    conversation_id: text().notNull().references("support_conversations", "id", { onDelete: "cascade" }),
    author_type: text().notNull().describe("customer, agent or bot."),
    author_external_id: text(),
    body: text(),
    is_internal: boolean().notNull().default(false).describe("An internal note, not shown to the customer."),
    sent_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Support (unified): messages within conversations. ${scaffolded}`,
    createdIn: "0024",
    indexes: [
      uniqueIndex("idx_support_messages_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_support_messages_conversation_sent").on("conversation_id", "sent_at"),
      index("idx_support_messages_org_sent").on("organization_id", desc("sent_at")),
    ],
  },
);
