import { database } from "../../generator/dsl/index.js";

/** A small example database; ClearLift's databases replace it. */
export default database({ name: "EXAMPLE_DB" });
