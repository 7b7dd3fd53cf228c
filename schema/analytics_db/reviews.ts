// Reviews (migration 0031): unified review tables across Google Business Profile, Yelp, Trustpilot, G2, ..., told
// apart by `source`. A profile is a reviewed listing; items are its reviews, responses the business's replies.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const reviewsProfiles = table(
  "reviews_profiles",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("google, yelp, trustpilot, g2, ..."),
    external_id: text().notNull().describe("The listing/location id on the review site."),
    name: text().notNull(),
    profile_url: text(),
    location_name: text(),
    average_rating: real(),
    review_count: integer().notNull().default(0),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Reviews (unified): reviewed listings and locations. ${scaffolded}`,
    createdIn: "0031",
    indexes: [uniqueIndex("idx_reviews_profiles_org_source_external_id").on("organization_id", "source", "external_id")],
  },
);

export const reviewsItems = table(
  "reviews_items",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The review id on the review site."),
    profile_id: text().notNull().references("reviews_profiles", "id", { onDelete: "cascade" }),
    rating: real().notNull().describe("On the site's scale, usually 1-5."),
    title: text(),
    body: text(),
    author_name: text().describe("The public display name the site shows."),
    author_external_id: text(),
    language: text(),
    is_verified: boolean().notNull().default(false),
    reviewed_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Reviews (unified): individual reviews. ${scaffolded}`,
    createdIn: "0031",
    indexes: [
      uniqueIndex("idx_reviews_items_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_reviews_items_profile_reviewed").on("profile_id", desc("reviewed_at")),
      index("idx_reviews_items_org_reviewed").on("organization_id", desc("reviewed_at")),
      index("idx_reviews_items_org_rating").on("organization_id", "rating"),
    ],
  },
);

export const reviewsResponses = table(
  "reviews_responses",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The reply id on the review site (sites without one: the review id)."),
    review_id: text().notNull().references("reviews_items", "id", { onDelete: "cascade" }),
    body: text().notNull(),
    author_name: text(),
    responded_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Reviews (unified): the business's public replies to reviews. ${scaffolded}`,
    createdIn: "0031",
    indexes: [
      uniqueIndex("idx_reviews_responses_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_reviews_responses_review").on("review_id"),
    ],
  },
);

export const reviewsAggregates = table(
  "reviews_aggregates",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    profile_id: text().notNull().references("reviews_profiles", "id", { onDelete: "cascade" }),
    metric_date: text().notNull().describe("YYYY-MM-DD"),
    review_count: integer().notNull().default(0).describe("Reviews received that day."),
    total_review_count: integer().notNull().default(0).describe("Reviews on the profile at the end of the day."),
    average_rating: real(),
    rating_1_count: integer().notNull().default(0),
    rating_2_count: integer().notNull().default(0),
    rating_3_count: integer().notNull().default(0),
    rating_4_count: integer().notNull().default(0),
    rating_5_count: integer().notNull().default(0),
    response_count: integer().notNull().default(0),
    response_rate: real().notNull().default(0),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Reviews (unified): daily rating rollup per profile. ${scaffolded}`,
    createdIn: "0031",
    indexes: [
      uniqueIndex("idx_reviews_aggregates_profile_date").on("profile_id", "metric_date"),
      index("idx_reviews_aggregates_org_date").on("organization_id", desc("metric_date")),
    ],
  },
);
