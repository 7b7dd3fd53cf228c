// The d1_databases entries of a wrangler.json or wrangler.jsonc, edited through jsonc-parser's `modify`, which
// changes only the text of the values it sets and formats what it adds like the file's own indentation: comments,
// trailing commas and the rest of the layout stay as the user wrote them (Cloudflare's project generator writes a
// commented, tab-indented wrangler.jsonc). Every edit is proved by parsing the result as wrangler does.
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions } from "jsonc-parser";
import { jsoncOptions, parseJsoncConfig } from "./config.js";
import { proveEdit, type D1DatabasesEdit, type D1KeyLine } from "./edit.js";

/**
 * `text` with the edit applied. Comments of new keys are written as `//` comments in a .jsonc file only: a
 * .json file keeps to plain JSON, which other tools read too.
 */
export function editJsoncD1Databases(text: string, edit: D1DatabasesEdit, format: "json" | "jsonc"): string {
  // A new or empty file starts as an empty object.
  const source = text.trim() === "" ? `{}${lineEnding(text)}` : text;
  const before = parseJsoncConfig(source);
  const existing = before.d1_databases;
  if (existing !== undefined && !Array.isArray(existing))
    throw new Error("d1_databases is not an array: write each database as an object in a d1_databases array");
  const count = Array.isArray(existing) ? existing.length : 0;
  const options = { formattingOptions: formattingOf(source) };
  let result = source;
  const change = (path: (string | number)[], value: unknown) => (result = applyEdits(result, modify(result, path, value, options)));

  for (const { block, key, value } of edit.set) {
    if (block >= count) throw new Error(`no d1_databases entry ${block + 1}`);
    change(["d1_databases", block, key], value);
  }
  const added = edit.append.map((lines) => Object.fromEntries(lines.map((line) => [line.key, line.value])));
  if (added.length > 0 && existing === undefined) change(["d1_databases"], added);
  else for (const entry of added) change(["d1_databases", -1], entry);
  if (format === "jsonc") {
    edit.append.forEach((lines, index) => {
      for (const line of lines) if (line.comment) result = withComment(result, ["d1_databases", count + index, line.key], line);
    });
  }

  proveEdit(before, result, edit, { parse: parseJsoncConfig, entries: "d1_databases entries", editor: "d1_databases" });
  return result;
}

/** `text` with `// comment` at the end of the line holding the value at `location`, when nothing else follows it there. */
function withComment(text: string, location: (string | number)[], line: D1KeyLine): string {
  const node = findNodeAtLocation(parseTree(text, [], jsoncOptions) ?? { type: "null", offset: 0, length: 0 }, location);
  if (!node) return text;
  const end = node.offset + node.length;
  const lineEnd = /\r?\n|$/.exec(text.slice(end));
  const at = end + (lineEnd?.index ?? 0);
  if (!/^,?[ \t]*$/.test(text.slice(end, at))) return text;
  return `${text.slice(0, at)} // ${line.comment}${text.slice(at)}`;
}

/** The file's own indentation (tabs, or the width of its first indented line) and line ending; two spaces in a file without any. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1];
  if (indent?.startsWith("\t")) return { insertSpaces: false, tabSize: 1, eol: lineEnding(text) };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol: lineEnding(text) };
}

function lineEnding(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}
