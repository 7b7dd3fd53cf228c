// The one editor of a wrangler config's d1_databases entries: `wrangler-config --write` describes what to set and
// add, and the editor for the file's format writes it while keeping the rest of the file (comments, layout) as the
// user wrote it. Both editors prove their result by parsing it back.
import { isDeepStrictEqual } from "node:util";
import type { ConfigFormat } from "./config.js";
import { editJsoncD1Databases } from "./jsonc-editor.js";
import { editTomlD1Databases } from "./toml-editor.js";

/** A key written into an entry: `key = "value"` (`"key": "value"` in JSON), with an optional end-of-line comment. */
export interface D1KeyLine {
  key: string;
  value: string;
  comment?: string;
}

export interface D1DatabasesEdit {
  /** Keys to set in existing entries, by the entry's position in d1_databases (its order in the file). */
  set: { block: number; key: string; value: string }[];
  /** New entries, added after the last d1_databases entry (or at the end of the file). */
  append: D1KeyLine[][];
}

/**
 * `text` (a config in `format`) with the edit applied. Throws when the file is laid out in a way the editor does
 * not change safely: edit it by hand.
 */
export function editD1Databases(text: string, edit: D1DatabasesEdit, format: ConfigFormat = "toml"): string {
  return format === "toml" ? editTomlD1Databases(text, edit) : editJsoncD1Databases(text, edit, format);
}

/** How a format's editor proves its result, and names what it edits in messages. */
export interface EditedFormat {
  parse: (text: string) => Record<string, unknown>;
  /** e.g. "[[d1_databases]] blocks" */
  entries: string;
  /** e.g. "[[d1_databases]]" */
  editor: string;
}

/** The edited file must parse to the original with exactly the edit applied, or nothing is written. */
export function proveEdit(before: Record<string, unknown>, result: string, edit: D1DatabasesEdit, format: EditedFormat): void {
  const databases = (Array.isArray(before.d1_databases) ? before.d1_databases : []).map((entry) => ({ ...(entry as Record<string, unknown>) }));
  for (const { block, key, value } of edit.set) databases[block][key] = value;
  for (const block of edit.append) databases.push(Object.fromEntries(block.map((line) => [line.key, line.value])));
  const expected = databases.length > 0 ? { ...before, d1_databases: databases } : before;
  let after: Record<string, unknown>;
  try {
    after = format.parse(result);
  } catch (error) {
    throw new Error(`editing the ${format.entries} would make the file ${(error as Error).message}: edit it by hand`, { cause: error });
  }
  if (!isDeepStrictEqual(plain(after), plain(expected))) {
    throw new Error(`the file is laid out in a way the ${format.editor} editor cannot change safely: edit it by hand`);
  }
}

/** Parsed values as plain JSON values (smol-toml's dates become strings), so two parses compare by value. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
