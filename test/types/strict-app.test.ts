// Generated types in an app compiled as strictly as TypeScript allows (issue 15): strict,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess and verbatimModuleSyntax. The app code is test/types/consumer.ts
// (its `Same` checks hold the insert and update types to Kysely's Insertable and Updateable, which under
// exactOptionalPropertyTypes tell `x?: T` from `x?: T | undefined`), over the shop fixture and ClearLift's generated/.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

describe("generated types in a strict app", () => {
  it("compile with exactOptionalPropertyTypes, noUncheckedIndexedAccess and verbatimModuleSyntax", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-strict-"));
    try {
      const files = [
        "test/types/consumer.ts",
        "generated/index.ts",
        "generated/db.ts",
        "generated/ai_db.ts",
        "generated/analytics_db.ts",
        "generated/shard.ts",
      ];
      const config = {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: files.map((file) => path.join(repoRoot, file)),
      };
      await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config));
      const result = await run(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir]).then(
        () => "",
        (error: { stdout?: string; message?: string }) => error.stdout || (error.message ?? "tsc failed"),
      );
      expect(result).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
