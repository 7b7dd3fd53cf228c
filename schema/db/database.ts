// DB: ClearLift's main D1 database (binding DB): auth, organizations, platform connections, tracking
// configuration, conversion goals, webhooks, admin tooling and the API's audit trail.
import { database } from "d1-schema-kit";

export default database({ name: "DB" });
