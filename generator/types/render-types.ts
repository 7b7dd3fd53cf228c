// model → `generated/<folder>.ts`: rows as D1 returns them, zod schemas that check them, insert and update types,
// the Kysely database and the Env fragment of the D1 bindings, with descriptions and deprecations as JSDoc.
// Written directly in prettier's form (typescript-text.ts), block by block: the imports, each table's declarations,
// the database's. A block the writer cannot vouch for (a line too long for it to break, or a JSON column's type text
// that prettier might respace) goes through prettier, which formats top-level declarations independently, so the
// blocks joined by a blank line are the file prettier would make of the whole (test/types/ holds every file to it).
// Such blocks are cached by their text (io/render-cache.ts), and prettier loads only when one is not cached.
import { generatorFingerprint } from "../io/fingerprint.js";
import { renderCache } from "../io/render-cache.js";
import type { Database } from "../model/model.js";
import { columnTyping, kyselyTypeNames } from "./column-typing.js";
import { unchangedTables } from "../model/unchanged-tables.js";
import { databaseDeclarations, databaseShell, jsonTextSchemaDeclaration, tableDeclarationCount, tableDeclarations, userTypeTexts } from "./declarations.js";
import { checkGeneratedNames, databaseTypeNames, tableTypeNames } from "./names.js";
import { fitsPrintWidth, isPrettierTypeText, printWidth } from "./typescript-text.js";

/** Prettier's options for every generated TypeScript file. */
export const prettierOptions = { parser: "typescript", printWidth } as const;

/** A types file rendered earlier by this same code (its stamp says so), and the model it was rendered from. */
export interface PreviousTypes {
  database: Database;
  /** The file's content, without its stamp line. */
  text: string;
}

/**
 * The types file of `database`. With `previous`, each table it has unchanged keeps its block of declarations from
 * the earlier file instead of having it written again: at thousands of tables, most of the work.
 */
export async function renderTypes(database: Database, previous?: PreviousTypes): Promise<string> {
  checkGeneratedNames(database);
  const earlier = previous && previousTableBlocks(previous);
  const unchanged = earlier ? unchangedTables(previous.database, database) : new Set<string>();
  const blocks = [
    { text: importsBlock(database), userTypes: [] as string[] },
    ...database.tables.map((table) => {
      const kept = unchanged.has(table.name) ? earlier!.get(table.name) : undefined;
      return kept !== undefined ? { text: kept, final: true } : { text: tableDeclarations(table).join("\n\n"), userTypes: userTypeTexts(table) };
    }),
    { text: databaseDeclarations(databaseShell(database)).join("\n\n"), userTypes: [] },
  ];
  const texts = await Promise.all(
    blocks.map((block) =>
      "final" in block || (fitsPrintWidth(block.text) && block.userTypes.every(isPrettierTypeText))
        ? Promise.resolve(block.text)
        : formattedByPrettier(block.text),
    ),
  );
  return `${header(database).join("\n")}\n\n${texts.filter((text) => text !== "").join("\n\n")}\n`;
}

/**
 * Each table's block in an earlier file, by table name. The file is the header, then blocks joined by a blank line:
 * the imports, each table's declarations, the database's. No declaration holds a blank line (the writer and prettier
 * write none, and a JSON column's type text with one is not split here), so the file's parts between blank lines are
 * its declarations, and a block has at least as many parts as declarations (prettier keeps the blank lines between
 * them). So when the count of parts is exactly the count of declarations, every block is exactly as many parts as it
 * has declarations. The header and the imports must be as written, each table's block must declare its row type,
 * and the count must be exact, or nothing is taken.
 */
function previousTableBlocks({ database, text }: PreviousTypes): ReadonlyMap<string, string> | undefined {
  if (database.tables.some((table) => userTypeTexts(table).some((type) => type.includes("\n")))) return undefined;
  if (!text.endsWith("\n")) return undefined;
  const parts = text.slice(0, -1).split("\n\n");
  // The header, then the imports (one part; only how it starts is checked: its type names cost a walk), then the JSON
  // text check when a column is JSON (importsBlock).
  const hasJson = database.tables.some((table) => table.columns.some((column) => column.logical === "json"));
  const jsonCheck = hasJson ? jsonTextSchemaDeclaration.split("\n\n") : [];
  const head = 2 + jsonCheck.length;
  const tail = databaseDeclarations(databaseShell(database)).length;
  const counts = database.tables.map(tableDeclarationCount);
  if (parts.length !== head + counts.reduce((sum, count) => sum + count, 0) + tail) return undefined;
  if (parts[0] !== header(database).join("\n") || !parts[1].startsWith(workersImport) || jsonCheck.some((part, index) => parts[2 + index] !== part)) {
    return undefined;
  }
  const blocks = new Map<string, string>();
  let position = head;
  for (const [index, table] of database.tables.entries()) {
    const block = parts.slice(position, position + counts[index]).join("\n\n");
    if (!block.includes(`export interface ${tableTypeNames(table).row} {`)) return undefined;
    blocks.set(table.name, block);
    position += counts[index];
  }
  return blocks;
}

async function formattedByPrettier(text: string): Promise<string> {
  const cache = renderCache("types", `types ${await generatorFingerprint()}`);
  const cached = cache.lookup(text);
  if (cached !== undefined) return cached;
  const prettier = await import("prettier");
  // Prettier is not always idempotent (a long signature returning `{ … } | null` settles on the second pass), and
  // check holds the files to prettier's form: format until the text stops changing.
  let formatted = text;
  for (let pass = 0; pass < 3; pass++) {
    const next = (await prettier.format(formatted, prettierOptions)).trim();
    if (next === formatted) break;
    formatted = next;
  }
  cache.store(text, formatted);
  return formatted;
}

const workersImport = 'import type { D1Database } from "@cloudflare/workers-types";';

/** The imports, and the JSON text check when a column needs it. */
function importsBlock(database: Database): string {
  const kyselyTypes = [...kyselyTypesUsed(database)].sort();
  const hasJson = database.tables.some((table) => table.columns.some((column) => column.logical === "json"));
  const imports = [
    workersImport,
    ...(kyselyTypes.length > 0 ? [`import type { ${kyselyTypes.join(", ")} } from "kysely";`] : []),
    ...(database.tables.length > 0 ? ['import { z } from "zod/v4";'] : []),
  ];
  return [imports.join("\n"), ...(hasJson ? [jsonTextSchemaDeclaration] : [])].join("\n\n");
}

/** The Kysely helper types the columns' types use; the walk ends once every one of them is found. */
function kyselyTypesUsed(database: Database): Set<string> {
  const used = new Set<string>();
  for (const table of database.tables) {
    for (const column of table.columns) {
      const wrapper = /^(\w+)</.exec(columnTyping(table, column).kysely)?.[1];
      if (wrapper === undefined) continue;
      used.add(wrapper);
      if (used.size === kyselyTypeNames.length) return used;
    }
  }
  return used;
}

function header(database: Database): string[] {
  const names = databaseTypeNames(database);
  return [
    `// Types of ${database.name} (${database.bindings.join(", ")}), generated by d1-schema from schema/${database.folder}/.`,
    "// Never edit: change the schema and run `npx d1-schema generate`.",
    "//",
    "// Per table X: `XRow` is a row as D1 returns it and `xRow` its zod schema; `XInsert` and `XUpdate` are what INSERT",
    `// and UPDATE take; \`XTable\` is the table for Kysely. Per database: \`${names.tables}\` (table name → row type),`,
    `// \`${names.tableName}\`, \`${names.kysely}\` (for Kysely) and \`${names.env}\` (the D1 bindings).`,
    "// - Primary key columns are never null here. SQLite lets a key other than INTEGER PRIMARY KEY hold NULL unless it",
    "//   is NOT NULL, but the insert type refuses null and the zod schema rejects a row that holds it.",
    "// - Booleans are INTEGER 0/1 (inserts and updates also take true/false). JSON columns are their text, checked to",
    "//   parse by the zod schema; `parseXColumn(row)` returns the value as the schema's declared type.",
    "// - BLOBs are read as arrays of byte values, as D1 returns them, and written as an ArrayBuffer or a typed array.",
  ];
}
