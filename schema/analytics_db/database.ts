// ANALYTICS_DB: events, conversions, attribution, identity and connector data. organizations lives in DB, so
// tables here carry organization_id (or the tag's org_tag) as plain TEXT without a foreign key.
import { database } from "d1-schema-kit";

export default database({ name: "ANALYTICS_DB" });
