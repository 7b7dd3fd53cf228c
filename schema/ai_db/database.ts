import { database } from "d1-schema-kit";

/** AI_DB: the AI recommendation engine (decisions, LLM analysis runs, attribution models, CAC models). */
export default database({ name: "AI_DB" });
