import { database } from "d1-schema-kit";

/**
 * The shard schema: SHARD_0 to SHARD_3 hold one organization-partitioned slice each and share this one schema and
 * one migrations folder. Its tables are ANALYTICS_DB's definitions re-exported with the shard's own metadata.
 */
export default database({ name: "SHARD", bindings: ["SHARD_0", "SHARD_1", "SHARD_2", "SHARD_3"] });
