// ClearLift staff tooling: the internal task tracker and its comments, admin invitations, and the log of every
// time an admin impersonated a user.
import { desc, index, integer, table, text, timestamp } from "d1-schema-kit";
import { createdAt, textId, updatedAt } from "../_shared/columns.js";

export const adminTasks = table(
  "admin_tasks",
  {
    id: textId(),
    title: text().notNull(),
    description: text(),
    task_type: text().notNull().check("task_type IN ('follow_up', 'investigation', 'support', 'bug', 'feature', 'other')"),
    priority: text().notNull().default("medium").check("priority IN ('low', 'medium', 'high', 'urgent')"),
    status: text().notNull().default("open").check("status IN ('open', 'in_progress', 'blocked', 'completed', 'cancelled')"),
    organization_id: text().references("organizations", "id", { onDelete: "set null" }).describe("The customer organization the task is about, if any."),
    user_id: text().references("users", "id", { onDelete: "set null" }).describe("The customer user the task is about, if any."),
    connection_id: text().describe("platform_connections.id the task is about, if any (no foreign key)."),
    assigned_to: text().references("users", "id", { onDelete: "set null" }),
    created_by: text().notNull().references("users", "id", { onDelete: "cascade" }),
    due_date: timestamp(),
    reminder_at: timestamp(),
    resolution_notes: text(),
    resolved_at: timestamp(),
    resolved_by: text().references("users", "id", { onDelete: "set null" }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Internal admin task tracker: follow-ups, investigations and support work about customers.",
    createdIn: "0051",
    indexes: [
      index("idx_admin_tasks_organization_id").on("organization_id"),
      index("idx_admin_tasks_user_id").on("user_id"),
      index("idx_admin_tasks_assigned_to_status").on("assigned_to", "status"),
      index("idx_admin_tasks_created_by").on("created_by"),
      index("idx_admin_tasks_resolved_by").on("resolved_by"),
      index("idx_admin_tasks_status_created_at").on("status", desc("created_at")),
      index("idx_admin_tasks_due_date").on("due_date").where("due_date IS NOT NULL"),
    ],
  },
);

export const adminTaskComments = table(
  "admin_task_comments",
  {
    id: textId(),
    task_id: text().notNull().references("admin_tasks", "id", { onDelete: "cascade" }),
    author_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    content: text().notNull(),
    created_at: createdAt(),
  },
  {
    description: "Comments on admin tasks.",
    createdIn: "0051",
    indexes: [index("idx_admin_task_comments_task_id_created_at").on("task_id", "created_at"), index("idx_admin_task_comments_author_id").on("author_id")],
  },
);

export const adminInvites = table(
  "admin_invites",
  {
    id: textId(),
    email: text().notNull(),
    sent_by: text().notNull().references("users", "id"),
    sent_at: createdAt(),
    status: text().notNull().default("sent"),
    sendgrid_message_id: text(),
    error_message: text(),
  },
  {
    description: "Invitation emails sent by admins to prospective users, with their delivery status.",
    createdIn: "0044",
    indexes: [index("idx_admin_invites_sent_by").on("sent_by"), index("idx_admin_invites_email").on("email")],
  },
);

export const adminImpersonationLogs = table(
  "admin_impersonation_logs",
  {
    id: textId(),
    admin_user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    target_user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    reason: text().notNull(),
    started_at: createdAt(),
    ended_at: timestamp(),
    actions_taken: integer().notNull().default(0),
    ip_address: text(),
    user_agent: text(),
  },
  {
    description: "Every admin impersonation of a user: who, whom, why, when, and how many actions were taken.",
    createdIn: "0025",
    indexes: [
      index("idx_admin_impersonation_logs_admin_user_id_started_at").on("admin_user_id", desc("started_at")),
      index("idx_admin_impersonation_logs_target_user_id").on("target_user_id"),
    ],
  },
);
