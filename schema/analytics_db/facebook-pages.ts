// facebook_pages: the one legacy platform-specific table kept after 0047. facebook-ads-sync still writes it and the
// API reads it, and the unified schema has no equivalent yet (the audit's open P3: map it to social_profiles or keep
// it). The audit names no creating migration, so createdIn is left out.
import { boolean, index, integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

export const facebookPages = table(
  "facebook_pages",
  {
    id: randomId(),
    organization_id: organizationId(),
    account_id: text().describe("The Meta ad account the page was synced through, when there is one."),
    external_id: text().notNull().describe("The page id on Facebook."),
    name: text().notNull(),
    category: text(),
    page_url: text(),
    picture_url: text(),
    fan_count: integer().notNull().default(0),
    followers_count: integer().notNull().default(0),
    is_published: boolean().notNull().default(true),
    instagram_business_account_id: text().describe("The linked Instagram business account, when there is one."),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description:
      "Legacy Meta table, kept: Facebook pages of the organization. Active — written by facebook-ads-sync and read by the API; no unified equivalent (candidate: social_profiles).",
    indexes: [
      uniqueIndex("idx_facebook_pages_org_external_id").on("organization_id", "external_id"),
      index("idx_facebook_pages_org_account").on("organization_id", "account_id"),
    ],
  },
);
