// DB: ClearLift's main D1 database (binding DB): auth, organizations, platform connections, tracking
// configuration, conversion goals, webhooks, admin tooling and the API's audit trail.
import { database } from "../../generator/dsl/index.js";

export default database({ name: "DB" });
