// Users, how they sign in (sessions, password reset and email verification tokens, OAuth CSRF state), request
// rate limiting, terms acceptance and the pre-launch waitlist.
import { boolean, desc, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationRef, randomId, textId, updatedAt } from "../_shared/columns.js";

export const users = table(
  "users",
  {
    id: textId(),
    email: text().notNull(),
    email_encrypted: text().describe("The email encrypted at rest (PII); email_hash is used for lookups."),
    email_hash: text().describe("Hash of the normalized email, for lookups without decrypting."),
    issuer: text().notNull().describe("Identity issuer that authenticated the user (Cloudflare Access SSO or password login)."),
    access_sub: text().notNull().describe("The user's subject id at the issuer."),
    identity_nonce: text(),
    name: text(),
    avatar_url: text(),
    password_hash: text().describe("Set by password authentication (0026); null for SSO-only users."),
    email_verified: boolean().notNull().default(false),
    email_verification_token: text(),
    email_verified_at: timestamp(),
    is_admin: boolean().notNull().default(false).describe("ClearLift staff with access to the admin tools (0043)."),
    last_login_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "User accounts (Cloudflare Access SSO, and email + password since 0026).",
    createdIn: "0001",
    unique: [["issuer", "access_sub"]],
    indexes: [
      index("idx_users_email_hash").on("email_hash"),
      index("idx_users_email_verification_token").on("email_verification_token").where("email_verification_token IS NOT NULL"),
    ],
  },
);

export const sessions = table(
  "sessions",
  {
    token: textId().describe("The opaque session token the client presents."),
    user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    expires_at: timestamp().notNull(),
    ip_address: text(),
    ip_address_encrypted: text(),
    user_agent: text(),
    created_at: createdAt(),
  },
  {
    description: "Active sessions: one row per signed-in browser or API client, deleted on logout or expiry.",
    createdIn: "0002",
    indexes: [index("idx_sessions_user_id").on("user_id"), index("idx_sessions_expires_at").on("expires_at")],
  },
);

export const passwordResetTokens = table(
  "password_reset_tokens",
  {
    token: textId(),
    user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    expires_at: timestamp().notNull(),
    used: boolean().notNull().default(false),
    used_at: timestamp(),
    created_at: createdAt(),
  },
  {
    description: "Single-use password reset tokens sent by email (password authentication, 0026).",
    createdIn: "0026",
    indexes: [index("idx_password_reset_tokens_user_id").on("user_id"), index("idx_password_reset_tokens_expires_at").on("expires_at")],
  },
);

export const emailVerificationTokens = table(
  "email_verification_tokens",
  {
    id: randomId(),
    user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    token: text().notNull(),
    expires_at: timestamp().notNull(),
    used: boolean().notNull().default(false),
    used_at: timestamp(),
    created_at: createdAt(),
  },
  {
    description: "Single-use tokens that confirm a user's email address.",
    createdIn: "0012",
    indexes: [index("idx_email_verification_tokens_user_id").on("user_id"), uniqueIndex("idx_email_verification_tokens_token").on("token")],
  },
);

export const oauthStates = table(
  "oauth_states",
  {
    state: textId().describe("The OAuth state parameter (CSRF protection), checked on the provider's callback."),
    user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    organization_id: organizationRef(),
    provider: text().notNull().describe("The platform being connected: google, facebook, tiktok, shopify..."),
    redirect_uri: text(),
    metadata: json("Record<string, unknown>").notNull().default("{}"),
    expires_at: timestamp().notNull(),
    created_at: createdAt(),
  },
  {
    description: "Pending OAuth flows: the state parameter of each platform connection in progress, until its callback.",
    createdIn: "0003",
    indexes: [
      index("idx_oauth_states_user_id").on("user_id"),
      index("idx_oauth_states_organization_id").on("organization_id"),
      index("idx_oauth_states_expires_at").on("expires_at"),
    ],
  },
);

export const rateLimits = table(
  "rate_limits",
  {
    key: textId().describe("What is limited, e.g. an endpoint plus client IP or user id."),
    count: integer().notNull().default(0).describe("Requests seen in the current window."),
    window_start: timestamp().notNull(),
    window_end: timestamp().notNull(),
    last_request: timestamp().notNull(),
  },
  {
    description: "Fixed-window request counters for API rate limiting; expired windows are swept by window_end.",
    createdIn: "0028",
    indexes: [index("idx_rate_limits_window_end").on("window_end")],
  },
);

export const termsAcceptance = table(
  "terms_acceptance",
  {
    id: randomId(),
    user_id: text().notNull().references("users", "id", { onDelete: "cascade" }),
    organization_id: organizationRef(),
    terms_version: text().notNull().default("1.0"),
    accepted_at: createdAt(),
    ip_address: text(),
    user_agent: text(),
  },
  {
    description: "Which version of the terms of service a user accepted on behalf of an organization, and when.",
    createdIn: "0042",
    indexes: [
      uniqueIndex("idx_terms_acceptance_user_id_organization_id_terms_version").on("user_id", "organization_id", "terms_version"),
      index("idx_terms_acceptance_organization_id").on("organization_id"),
    ],
  },
);

export const waitlist = table(
  "waitlist",
  {
    id: textId(),
    email: text().notNull().unique(),
    name: text(),
    phone: text(),
    source: text().describe("Where the signup came from (landing page, referral...)."),
    utm: json("Record<string, string>").describe("UTM parameters of the signup visit."),
    referrer_id: text(),
    ip_hash: text(),
    user_agent: text(),
    status: text().notNull().default("pending").check("status IN ('pending', 'contacted', 'converted', 'rejected')"),
    attempt_count: integer().notNull().default(1).describe("How many times this email signed up (0014)."),
    last_attempt_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "Pre-launch waitlist signups and their follow-up status.",
    createdIn: "0013",
    indexes: [index("idx_waitlist_status").on("status"), index("idx_waitlist_created_at").on(desc("created_at"))],
  },
);
