// Stripe metadata discovery: which metadata keys a Stripe connection's objects carry, for goal conditions.
import { integer, json, table, text, timestamp, uniqueIndex } from "d1-schema-kit";
import { createdAt, serialId } from "../_shared/columns.js";

export const stripeMetadataKeys = table(
  "stripe_metadata_keys",
  {
    id: serialId(),
    connection_id: text().notNull().describe("platform_connections.id of the Stripe connection (no foreign key)."),
    object_type: text().notNull().describe("charge, payment_intent, subscription, invoice, customer..."),
    key_path: text().notNull().describe("Dotted path of the key inside the object's metadata."),
    sample_values: json("string[]"),
    value_type: text(),
    occurrence_count: integer().notNull().default(1),
    last_seen: timestamp().notNull().defaultSql("datetime('now')"),
    created_at: createdAt(),
  },
  {
    description: "Metadata keys discovered on a Stripe connection's objects, offered when defining goal conditions.",
    createdIn: "0039",
    indexes: [uniqueIndex("idx_stripe_metadata_keys_connection_id_object_type_key_path").on("connection_id", "object_type", "key_path")],
  },
);
