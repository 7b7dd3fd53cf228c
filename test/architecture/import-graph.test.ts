// The layout's rules, read from the import statements of generator/: commands orchestrate and never import one
// another, and nothing below the CLI reaches back up into commands/ or cli/. An arrow that breaks
// a rule fails here by name.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const generatorDir = path.resolve(import.meta.dirname, "../../generator");

/** Every relative import of every source file under generator/, as [importer, imported], paths from generator/. */
function importArrows(): [string, string][] {
  const arrows: [string, string][] = [];
  for (const entry of readdirSync(generatorDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|js)$/.test(entry.name) || entry.name.endsWith(".d.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const match of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.resolve(path.dirname(file), match[1]).replace(/\.js$/, ".ts");
      arrows.push([path.relative(generatorDir, file), path.relative(generatorDir, target)]);
    }
  }
  return arrows.sort(([a1, b1], [a2, b2]) => a1.localeCompare(a2) || b1.localeCompare(b2));
}

const folderOf = (file: string) => (file.includes("/") ? file.split("/")[0] : file);
const show = ([from, to]: [string, string]) => `${from} -> ${to}`;

describe("the import graph of generator/", () => {
  const arrows = importArrows();

  it("finds the imports it checks", () => {
    expect(arrows.length).toBeGreaterThan(300);
    expect(arrows.map(show)).toContain("cli/main.ts -> cli/generate.ts");
  });

  it("has no command importing another command", () => {
    const betweenCommands = arrows.filter(([from, to]) => folderOf(from) === "commands" && folderOf(to) === "commands").map(show);
    expect(betweenCommands).toEqual([]);
  });

  it("has nothing below the CLI importing commands/ or cli/", () => {
    const upward = arrows.filter(([from, to]) => !["cli", "commands"].includes(folderOf(from)) && ["commands", "cli"].includes(folderOf(to))).map(show);
    expect(upward).toEqual([]);
  });

  it("has only cli/ importing cli/", () => {
    const intoCli = arrows.filter(([from, to]) => folderOf(to) === "cli" && folderOf(from) !== "cli").map(show);
    expect(intoCli).toEqual([]);
  });
});
