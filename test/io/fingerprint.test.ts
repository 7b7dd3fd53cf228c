// The generator fingerprint that stamps derived files covers exactly the code that shapes them: the renderers and
// everything they import, followed through the import graph, so a file a renderer starts to import cannot be
// forgotten by a hand-kept list. The CLI shapes no derived file and stays out, and so does a type-only import.
import { describe, expect, it } from "vitest";
import { generatorFingerprint, renderingCodeFiles } from "../../generator/io/fingerprint.js";

describe("the generator fingerprint", () => {
  it("follows the renderers' imports transitively", async () => {
    const files = await renderingCodeFiles();
    // The entry points, and files only reached through others: render/fresh.ts → plan/from-nothing.ts → plan/fk-graph.ts.
    expect(files).toEqual(expect.arrayContaining(["render/fresh.ts", "types/render-types.ts", "audit/report.ts", "docs/er-diagram.ts"]));
    expect(files).toEqual(expect.arrayContaining(["plan/from-nothing.ts", "plan/fk-graph.ts", "render/statements.ts", "render/ddl.ts", "model/model.ts"]));
  });

  it("leaves out what shapes no derived file", async () => {
    const files = await renderingCodeFiles();
    expect(files.filter((file) => file.startsWith("cli/"))).toEqual([]);
    expect(files).not.toContain("plan/plan.ts");
    expect(files).not.toContain("commands/generate.ts");
    expect(files).not.toContain("types/schema-files.ts");
    // audit/documents.ts names LoadedDatabase with `import type` only: the compiler erases it, so the schema
    // loader (and esbuild, which it runs) shapes nothing the audit writes.
    expect(files).toContain("audit/documents.ts");
    expect(files).not.toContain("io/load-schema.ts");
    expect(files).not.toContain("io/schema-bundle.ts");
  });

  it("is deterministic", async () => {
    const files = await renderingCodeFiles();
    expect(files).toEqual([...files].sort());
    expect(await renderingCodeFiles()).toEqual(files);
    expect(await generatorFingerprint()).toMatch(/^[\w-]{32}$/);
  });
});
