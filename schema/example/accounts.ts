import { boolean, index, json, table, text, timestamp } from "../../generator/dsl/index.js";

export const organizations = table(
  "organizations",
  {
    id: text().primaryKey().defaultSql("lower(hex(randomblob(16)))"),
    name: text().notNull(),
    slug: text().notNull().unique(),
    settings: json("{ timezone?: string }").notNull().default("{}"),
    created_at: timestamp().notNull().defaultSql("datetime('now')"),
  },
  { description: "Tenants: every other row belongs to one.", createdIn: "0001" },
);

export const users = table(
  "users",
  {
    id: text().primaryKey().defaultSql("lower(hex(randomblob(16)))"),
    organization_id: text().notNull().references("organizations", "id", { onDelete: "cascade" }),
    email: text().notNull().collate("NOCASE").describe("Login address, compared without case."),
    is_admin: boolean().notNull().default(false),
    created_at: timestamp().notNull().defaultSql("datetime('now')"),
  },
  {
    description: "People who sign in.",
    createdIn: "0001",
    indexes: [index("idx_users_organization").on("organization_id"), index("idx_users_email").on("email").unique()],
  },
);
