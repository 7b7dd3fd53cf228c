// ESLint: typescript-eslint's recommended type-aware rules over the tool, its tests, the schema and the bench.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // Written by `generate`, or copied into test projects as they are (the example schema's imports resolve there).
  { ignores: ["node_modules/", "dist/", "generated/", "docs/", "migrations/", ".tmp/", "test/fixtures/", "**/*.d.ts"] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore names what a destructuring leaves out on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  // Plain JavaScript (the bin shim, the run cache, control files, this file) is outside the TypeScript project.
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
