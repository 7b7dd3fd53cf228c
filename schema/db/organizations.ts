// Tenants and who belongs to them: organizations, their members, invitations, and each user's onboarding.
import { boolean, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationRef, textId, updatedAt } from "../_shared/columns.js";

export const organizations = table(
  "organizations",
  {
    id: textId(),
    name: text().notNull(),
    slug: text().notNull().unique(),
    settings: json("Record<string, unknown>").notNull().default("{}"),
    subscription_tier: text().notNull().default("free"),
    attribution_window_days: integer().notNull().default(30),
    default_attribution_model: text().notNull().default("last_touch"),
    time_decay_half_life_days: integer().notNull().default(7),
    conversion_source: text()
      .notNull()
      .default("tag")
      .check("conversion_source IN ('platform', 'tag', 'hybrid')")
      .describe("Where conversions are counted from: ad platforms, the tracking tag, or both."),
    flow_mode: text().notNull().default("simple").describe("How the FlowBuilder presents the organization's goals."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Multi-tenant organizations: almost every other row belongs to one.",
    createdIn: "0004",
    indexes: [index("idx_organizations_conversion_source").on("conversion_source")],
  },
);

export const organizationMembers = table(
  "organization_members",
  {
    organization_id: text().notNull().describe("organizations.id; production declares no foreign key here."),
    user_id: text().notNull().describe("users.id; production declares no foreign key here."),
    role: text().notNull().default("viewer").describe("The member's role in the organization (owner, admin, viewer...)."),
    invited_by: text().describe("users.id of the inviter."),
    joined_at: createdAt(),
  },
  {
    description: "User-org memberships and the member's role.",
    createdIn: "0005",
    primaryKey: ["organization_id", "user_id"],
    indexes: [index("idx_organization_members_user_id").on("user_id")],
  },
);

export const invitations = table(
  "invitations",
  {
    id: textId(),
    organization_id: text().notNull().describe("organizations.id; the 0031 rebuild left no foreign key here."),
    email: text().describe("Null for shareable invite links."),
    email_encrypted: text(),
    email_hash: text(),
    role: text().notNull().default("viewer"),
    invited_by: text().notNull().describe("users.id of the inviter."),
    invite_code: text().notNull().describe("The code in the invite link."),
    is_shareable: boolean().notNull().default(false).describe("A link anyone can use, up to max_uses times."),
    max_uses: integer(),
    use_count: integer().notNull().default(0),
    expires_at: timestamp().notNull(),
    accepted_at: timestamp(),
    created_at: createdAt(),
  },
  {
    description: "Pending invitations to join an organization, by email or as a shareable link (rebuilt by 0031).",
    createdIn: "0006/0031",
    indexes: [
      index("idx_invitations_organization_id").on("organization_id"),
      index("idx_invitations_email_hash").on("email_hash"),
      uniqueIndex("idx_invitations_invite_code").on("invite_code"),
    ],
  },
);

export const onboardingSteps = table(
  "onboarding_steps",
  {
    id: textId(),
    step_name: text().notNull().unique(),
    display_name: text().notNull(),
    description: text(),
    order_index: integer().notNull(),
    is_required: boolean().notNull().default(true),
    created_at: createdAt(),
  },
  {
    description: "The onboarding wizard's steps (welcome, connect_services, first_sync, completed), seeded reference data.",
    createdIn: "0009",
  },
);

export const onboardingProgress = table(
  "onboarding_progress",
  {
    user_id: textId().references("users", "id", { onDelete: "cascade" }),
    organization_id: organizationRef(),
    current_step: text().notNull().default("welcome").describe("onboarding_steps.step_name."),
    steps_completed: json("string[]").notNull().default("[]"),
    services_connected: integer().notNull().default(0),
    first_sync_completed: boolean().notNull().default(false),
    has_verified_tag: boolean().notNull().default(false),
    has_defined_goal: boolean().notNull().default(false),
    verified_domains_count: integer().notNull().default(0),
    goals_count: integer().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
    completed_at: timestamp(),
  },
  {
    description: "Each user's progress through onboarding: current step, completed steps and setup milestones.",
    createdIn: "0009",
    indexes: [index("idx_onboarding_progress_organization_id").on("organization_id")],
  },
);
