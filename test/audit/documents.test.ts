// The committed audit report and diagrams (audit --write): generate keeps them current, check fails when they are
// stale or edited, and the report written for commit never depends on local state.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dslImport as dsl, runCli, temporaryDir } from "../helpers/cli.js";

const d1Schema = (root: string, ...args: string[]) => runCli(root, args, { D1_SCHEMA_NO_CACHE: "1" });

const tablesFile = (extra: string) => `import { integer, table, text } from ${dsl};
export const teams = table("teams", { id: text().primaryKey(), name: text().notNull() });
export const members = table("members", { id: integer().primaryKey(), team_id: text().notNull().references("teams", "id", { onDelete: "cascade" })${extra} });
`;

describe("docs/AUDIT.md and the diagrams", () => {
  it("are written on request, kept current by generate, and checked by check", async () => {
    const root = await temporaryDir("docs");
    await mkdir(path.join(root, "schema/app_db"), { recursive: true });
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(""));
    await writeFile(
      path.join(root, "schema/app_db/other.ts"),
      `import { integer, table } from ${dsl};\nexport const notes = table("notes", { id: integer().primaryKey() });\n`,
    );
    expect((await d1Schema(root, "generate")).code).toBe(0);

    expect((await d1Schema(root, "audit", "--write", "--local")).code).toBe(2);
    const written = await d1Schema(root, "audit", "--write");
    expect(written).toMatchObject({ code: 0, stdout: "wrote docs/AUDIT.md and 2 diagrams\n" });
    const report = path.join(root, "docs/AUDIT.md");
    const diagram = path.join(root, "docs/diagrams/app_db/tables.md");
    expect(await readFile(report, "utf8")).toContain("[tables](diagrams/app_db/tables.md)");
    expect(await readFile(diagram, "utf8")).toContain('  teams ||--o{ members : "team_id (ON DELETE CASCADE)"');
    expect((await d1Schema(root, "check")).code).toBe(0);

    const original = await readFile(report, "utf8");
    await writeFile(report, original.replace("APP_DB", "APP_DB (edited)"));
    const edited = await d1Schema(root, "check");
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/docs\/AUDIT\.md differs from what generate writes/);
    // Only the edited file is rewritten: each diagram is stamped by what it shows.
    expect((await d1Schema(root, "generate")).stdout).toMatch(/docs\/: 1 audit and diagram files rewritten/);
    expect(await readFile(report, "utf8")).toBe(original);

    const otherDiagram = path.join(root, "docs/diagrams/app_db/other.md");
    const otherBefore = await readFile(otherDiagram, "utf8");
    await writeFile(path.join(root, "schema/app_db/tables.ts"), tablesFile(", role: text()"));
    const evolved = await d1Schema(root, "generate");
    // The report and the changed file's diagram; the other file's diagram shows nothing that changed.
    expect(evolved.stdout).toMatch(/0002_add_role_to_members\.sql[\s\S]*docs\/: 2 audit and diagram files rewritten/);
    expect(await readFile(otherDiagram, "utf8")).toBe(otherBefore);
    expect(await readFile(report, "utf8")).toMatch(/\| 0001–0002 \| 2 migrations, sequential \|/);
    expect(await readFile(diagram, "utf8")).toContain("TEXT role");
    expect((await d1Schema(root, "check")).code).toBe(0);

    await rm(diagram);
    const missing = await d1Schema(root, "check");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/docs\/diagrams\/app_db\/tables\.md is missing/);
  });

  it("write any name SQLite accepts as code that keeps its backticks, and escape | in table cells", async () => {
    const root = await temporaryDir("docs-names");
    await mkdir(path.join(root, "schema/app_db"), { recursive: true });
    await writeFile(path.join(root, "package.json"), '{ "type": "module" }\n');
    await writeFile(path.join(root, "schema/app_db/database.ts"), `import { database } from ${dsl};\nexport default database({ name: "APP_DB" });\n`);
    await writeFile(
      path.join(root, "schema/app_db/tables.ts"),
      `import { integer, table, text } from ${dsl};
export const odd = table("a|b\`c", { "order id": integer().primaryKey(), "x\`\`y": text() });
`,
    );
    expect((await d1Schema(root, "generate")).code).toBe(0);
    const audit = await d1Schema(root, "audit");
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain("| 1 | `` a\\|b`c `` | `order id INTEGER` | — | 0001 | tables.ts |");
    expect(audit.stdout).toContain("### `` a|b`c `` column inventory (2 columns)");
    expect(audit.stdout).toContain("Core: `order id`, ``` x``y ```");
  });
});
