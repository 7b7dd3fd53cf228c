import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests that import ClearLift's schema files directly resolve the package name they import to its source.
  resolve: { alias: { "d1-schema-kit": fileURLToPath(new URL("./generator/public.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Tests on wrangler's local D1 engine start workerd; each such test sets its own longer timeout.
    testTimeout: 30_000,
  },
});
