import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests on wrangler's local D1 engine start workerd; each such test sets its own longer timeout.
    testTimeout: 30_000,
  },
});
