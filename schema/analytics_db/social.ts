// Social (migration 0033): unified organic social tables across Instagram, Facebook, LinkedIn, X, TikTok,
// YouTube, ..., told apart by `source`. A profile is an account the organization runs; posts, followers,
// engagements and daily metrics hang off it.
import { boolean, desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const socialProfiles = table(
  "social_profiles",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("instagram, facebook, linkedin, x, tiktok, youtube, ..."),
    external_id: text().notNull().describe("The account/page/channel id on the network."),
    handle: text(),
    display_name: text(),
    profile_url: text(),
    is_business: boolean().notNull().default(false),
    follower_count: integer().notNull().default(0),
    following_count: integer().notNull().default(0),
    post_count: integer().notNull().default(0),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Social (unified): the organization's social accounts. ${scaffolded}`,
    createdIn: "0033",
    indexes: [
      uniqueIndex("idx_social_profiles_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_social_profiles_org_handle").on("organization_id", "handle"),
    ],
  },
);

export const socialPosts = table(
  "social_posts",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The post/video id on the network."),
    profile_id: text().notNull().references("social_profiles", "id", { onDelete: "cascade" }),
    post_type: text().describe("image, video, reel, story, text, link, ..."),
    content: text(),
    post_url: text(),
    is_promoted: boolean().notNull().default(false).describe("Boosted as an ad (then it also appears in ad_campaigns)."),
    like_count: integer().notNull().default(0),
    comment_count: integer().notNull().default(0),
    share_count: integer().notNull().default(0),
    view_count: integer().notNull().default(0),
    published_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Social (unified): posts with their lifetime engagement counts. ${scaffolded}`,
    createdIn: "0033",
    indexes: [
      uniqueIndex("idx_social_posts_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_social_posts_profile_published").on("profile_id", desc("published_at")),
      index("idx_social_posts_org_published").on("organization_id", desc("published_at")),
    ],
  },
);

export const socialFollowers = table(
  "social_followers",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The follower's user id on the network."),
    profile_id: text().notNull().references("social_profiles", "id", { onDelete: "cascade" }),
    handle: text(),
    is_verified: boolean().notNull().default(false),
    follower_count: integer().describe("The follower's own audience size, where the network exposes it."),
    followed_at: timestamp(),
    unfollowed_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Social (unified): followers of a profile, where the network exposes them. ${scaffolded}`,
    createdIn: "0033",
    indexes: [
      uniqueIndex("idx_social_followers_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_social_followers_profile_followed").on("profile_id", desc("followed_at")),
    ],
  },
);

export const socialEngagements = table(
  "social_engagements",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().describe("The comment/reaction id on the network, when it has one (likes often do not)."),
    post_id: text().references("social_posts", "id", { onDelete: "cascade" }).describe("Null for profile-level engagement (mentions, DMs)."),
    follower_id: text().references("social_followers", "id", { onDelete: "set null" }),
    actor_external_id: text(),
    engagement_type: text().notNull().describe("like, comment, share, save, mention, click, ..."),
    content: text(),
    occurred_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
  },
  {
    description: `Social (unified): individual engagements (comments, reactions, shares, mentions). ${scaffolded}`,
    createdIn: "0033",
    indexes: [
      uniqueIndex("idx_social_engagements_org_source_external_id").on("organization_id", "source", "external_id").where("external_id IS NOT NULL"),
      index("idx_social_engagements_post").on("post_id"),
      index("idx_social_engagements_follower").on("follower_id"),
      index("idx_social_engagements_org_type_occurred").on("organization_id", "engagement_type", desc("occurred_at")),
    ],
  },
);

export const socialMetrics = table(
  "social_metrics",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    profile_id: text().notNull().references("social_profiles", "id", { onDelete: "cascade" }),
    metric_date: text().notNull().describe("YYYY-MM-DD"),
    followers: integer().notNull().default(0).describe("Follower count at the end of the day."),
    followers_gained: integer().notNull().default(0),
    followers_lost: integer().notNull().default(0),
    impressions: integer().notNull().default(0),
    reach: integer().notNull().default(0),
    engagements: integer().notNull().default(0),
    profile_views: integer().notNull().default(0),
    link_clicks: integer().notNull().default(0),
    engagement_rate: real().notNull().default(0),
    extra_metrics: json("Record<string, number>"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Social (unified): daily account metrics per profile. ${scaffolded}`,
    createdIn: "0033",
    indexes: [
      uniqueIndex("idx_social_metrics_profile_date").on("profile_id", "metric_date"),
      index("idx_social_metrics_org_date").on("organization_id", desc("metric_date")),
    ],
  },
);
