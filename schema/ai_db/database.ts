import { database } from "../../generator/dsl/index.js";

/** AI_DB: the AI recommendation engine (decisions, LLM analysis runs, attribution models, CAC models). */
export default database({ name: "AI_DB" });
