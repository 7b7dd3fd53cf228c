// Affiliate (migration 0032): unified partner-program tables across Impact, PartnerStack, Rewardful, Refersion,
// ..., told apart by `source`. Partners refer visitors (referrals), some convert (conversions earn commission), and
// commissions are paid out in payouts.
import { desc, index, integer, json, real, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, organizationId, randomId, updatedAt } from "../_shared/columns.js";

const scaffolded = "Scaffolded: no writer yet.";

export const affiliatePartners = table(
  "affiliate_partners",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull().describe("impact, partnerstack, rewardful, refersion, ..."),
    external_id: text().notNull().describe("The partner/affiliate id in the program."),
    name: text().notNull(),
    email_hash: text(),
    status: text().notNull().describe("pending, active, suspended, ..."),
    partner_type: text().describe("affiliate, influencer, reseller, referral, ..."),
    referral_code: text(),
    commission_type: text().describe("percent or flat."),
    commission_rate: real().describe("0..1 for percent commissions."),
    commission_flat_cents: integer(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    joined_at: timestamp(),
    last_synced_at: timestamp(),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Affiliate (unified): partners and affiliates. ${scaffolded}`,
    createdIn: "0032",
    indexes: [
      uniqueIndex("idx_affiliate_partners_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_affiliate_partners_org_status").on("organization_id", "status"),
      index("idx_affiliate_partners_org_referral_code").on("organization_id", "referral_code"),
    ],
  },
);

export const affiliateReferrals = table(
  "affiliate_referrals",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The referral/click/lead id in the program."),
    partner_id: text().notNull().references("affiliate_partners", "id", { onDelete: "cascade" }),
    referral_code: text(),
    email_hash: text(),
    anonymous_id: text().describe("ClearLift's tracking id, when the landing page carried the tag."),
    landing_url: text(),
    status: text().notNull().describe("visited, lead, converted, rejected."),
    referred_at: timestamp().notNull(),
    converted_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Affiliate (unified): visitors and leads referred by partners. ${scaffolded}`,
    createdIn: "0032",
    indexes: [
      uniqueIndex("idx_affiliate_referrals_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_affiliate_referrals_partner_referred").on("partner_id", desc("referred_at")),
      index("idx_affiliate_referrals_org_email_hash").on("organization_id", "email_hash"),
    ],
  },
);

export const affiliateConversions = table(
  "affiliate_conversions",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The conversion/sale id in the program."),
    partner_id: text().notNull().references("affiliate_partners", "id", { onDelete: "cascade" }),
    referral_id: text().references("affiliate_referrals", "id", { onDelete: "set null" }).describe("Null for coupon-code sales with no tracked visit."),
    order_external_id: text().describe("The order/charge id in the store or payment processor."),
    status: text().notNull().describe("pending, approved, reversed, paid."),
    amount_cents: integer().notNull().default(0),
    commission_cents: integer().notNull().default(0),
    currency: text().notNull(),
    converted_at: timestamp().notNull(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Affiliate (unified): sales credited to partners, with their commission. ${scaffolded}`,
    createdIn: "0032",
    indexes: [
      uniqueIndex("idx_affiliate_conversions_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_affiliate_conversions_partner").on("partner_id"),
      index("idx_affiliate_conversions_referral").on("referral_id"),
      index("idx_affiliate_conversions_org_converted").on("organization_id", desc("converted_at")),
    ],
  },
);

export const affiliatePayouts = table(
  "affiliate_payouts",
  {
    id: randomId(),
    organization_id: organizationId(),
    source: text().notNull(),
    external_id: text().notNull().describe("The payout id in the program."),
    partner_id: text().notNull().references("affiliate_partners", "id", { onDelete: "cascade" }),
    status: text().notNull().describe("pending, processing, paid, failed."),
    amount_cents: integer().notNull(),
    currency: text().notNull(),
    conversion_count: integer().notNull().default(0),
    period_start: text().describe("YYYY-MM-DD"),
    period_end: text().describe("YYYY-MM-DD"),
    paid_at: timestamp(),
    properties: json("Record<string, unknown>"),
    raw_data: json("unknown"),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: `Affiliate (unified): commission payouts to partners. ${scaffolded}`,
    createdIn: "0032",
    indexes: [
      uniqueIndex("idx_affiliate_payouts_org_source_external_id").on("organization_id", "source", "external_id"),
      index("idx_affiliate_payouts_partner").on("partner_id"),
      index("idx_affiliate_payouts_org_status").on("organization_id", "status"),
    ],
  },
);
