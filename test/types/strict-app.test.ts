// Generated types in an app compiled as strictly as TypeScript allows (issue 15): strict,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess and verbatimModuleSyntax. The app code is test/types/consumer.ts
// (its `Same` checks hold the insert and update types to Kysely's Insertable and Updateable, which under
// exactOptionalPropertyTypes tell `x?: T` from `x?: T | undefined`), over the shop fixture and ClearLift's generated/.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** tsc's output over the consumer app and the generated files, under the strictest flags, plus `compilerOptions`. */
async function compileStrictApp(compilerOptions: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "d1-schema-strict-"));
  try {
    const files = ["test/types/consumer.ts", "generated/index.ts", "generated/db.ts", "generated/ai_db.ts", "generated/analytics_db.ts", "generated/shard.ts"];
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
        ...compilerOptions,
      },
      files: files.map((file) => path.join(repoRoot, file)),
    };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config));
    return await run(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir]).then(
      () => "",
      (error: { stdout?: string; message?: string }) => error.stdout || (error.message ?? "tsc failed"),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("generated types in a strict app", () => {
  it("compile with exactOptionalPropertyTypes, noUncheckedIndexedAccess and verbatimModuleSyntax", { timeout: 120_000 }, async () => {
    expect(await compileStrictApp({})).toBe("");
  });

  // The generated files import `zod/v4`, the entry both zod 4 and zod 3.25+ have (package.json's peer range).
  it("compile the same against zod 3.25's zod/v4", { timeout: 120_000 }, async () => {
    const zod3 = path.join(repoRoot, "node_modules/zod3/package.json");
    expect((JSON.parse(await readFile(zod3, "utf8")) as { version: string }).version).toMatch(/^3\.25\./);
    expect(await compileStrictApp({ paths: { "zod/v4": [path.join(repoRoot, "node_modules/zod3/v4/index.d.cts")] } })).toBe("");
  });
});
