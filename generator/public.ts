// The package's entry: what `import { table, text, defineConfig } from "d1-schema-kit"` gives a project. Schema
// files import the schema language from here, and `d1-schema.config.ts` imports defineConfig.
export * from "./dsl/index.js";
export { defineConfig } from "./dsl/config.js";
export type { D1SchemaConfig } from "./dsl/config.js";
