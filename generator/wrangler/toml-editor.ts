// The [[d1_databases]] blocks of a wrangler.toml, edited line by line, so that everything else in the file (other
// sections, comments, blank lines, key order) stays as the user wrote it. A TOML serializer would drop the
// comments. Every edit is proved by parsing the result: the file must mean the same as before, except for the
// keys and blocks we meant to set.
import { parseTomlConfig } from "./config.js";
import { proveEdit, type D1DatabasesEdit, type D1KeyLine } from "./edit.js";

/**
 * `text` with the edit applied, line by line. Throws when the file is laid out in a way this editor does not
 * change safely (d1_databases as an inline array, a managed key that is not a one-line string): edit it by hand.
 */
export function editTomlD1Databases(text: string, edit: D1DatabasesEdit): string {
  const before = parseTomlConfig(text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  // A file ending with a newline splits into a last empty string; new lines go before it.
  const endsWithNewline = lines.length > 0 && lines[lines.length - 1] === "";
  if (endsWithNewline) lines.pop();
  const blocks = locateD1Blocks(scanLines(lines));
  const existing = Array.isArray(before.d1_databases) ? before.d1_databases.length : 0;
  if (blocks.length !== existing) {
    throw new Error("d1_databases is not written as [[d1_databases]] blocks (an inline array?): write each database as a [[d1_databases]] block");
  }

  // Edits are collected by line and applied bottom-up, so earlier line numbers stay valid.
  const replacements = new Map<number, string>();
  const insertions = new Map<number, string[]>();
  const insertAfter = (line: number, added: string[]) => insertions.set(line, [...(insertions.get(line) ?? []), ...added]);
  for (const { block: index, key, value } of edit.set) {
    const block = blocks[index];
    if (!block) throw new Error(`no d1_databases block ${index + 1}`);
    const line = block.keyLines.get(key);
    if (line === undefined) {
      insertAfter(block.lastContentLine, [`${block.indent}${key} = ${tomlString(value)}`]);
      continue;
    }
    const match = new RegExp(`^(\\s*(?:${key}|"${key}"|'${key}')\\s*=\\s*)(?!""")(?!''')("(?:[^"\\\\]|\\\\.)*"|'[^']*')(.*)$`).exec(lines[line]);
    if (!match) throw new Error(`line ${line + 1}: ${key} is not a one-line string: set it to ${tomlString(value)} by hand`);
    replacements.set(line, `${match[1]}${tomlString(value)}${match[3]}`);
  }
  if (edit.append.length > 0) {
    const added = edit.append.flatMap((block) => ["", "[[d1_databases]]", ...block.map(renderKeyLine)]);
    const last = blocks[blocks.length - 1];
    if (last) insertAfter(last.lastContentLine, added);
    else if (lines.every((line) => line.trim() === "")) lines.splice(0, lines.length, ...added.slice(1));
    else insertAfter(lines.length - 1, added);
  }
  for (const [line, replacement] of replacements) lines[line] = replacement;
  for (const line of [...insertions.keys()].sort((a, b) => b - a)) lines.splice(line + 1, 0, ...(insertions.get(line) ?? []));
  const result = lines.join(eol) + eol;

  proveEdit(before, result, edit, { parse: parseTomlConfig, entries: "[[d1_databases]] blocks", editor: "[[d1_databases]]" });
  return result;
}

function renderKeyLine(line: D1KeyLine): string {
  return `${line.key} = ${tomlString(line.value)}${line.comment ? ` # ${line.comment}` : ""}`;
}

/** A TOML basic string: JSON's string escapes are all valid TOML escapes. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

interface ScannedLine {
  /** A table header (`[name]` or `[[name]]`) outside strings and multi-line values. */
  header?: { name: string; array: boolean };
  /** The key a `key = value` line sets, for a line that starts a key/value pair, and the line's indentation. */
  key?: { name: string; indent: string };
  /** Not blank and not a comment: a key, a header or part of a multi-line value. */
  content: boolean;
}

interface LexState {
  string: "none" | "multiline-basic" | "multiline-literal";
  /** Open brackets of a multi-line array value. */
  depth: number;
}

/** Classifies each line, following multi-line strings and arrays so that their lines are never taken for headers. */
function scanLines(lines: readonly string[]): ScannedLine[] {
  let state: LexState = { string: "none", depth: 0 };
  return lines.map((text) => {
    const insideValue = state.string !== "none" || state.depth > 0;
    if (insideValue) {
      state = lexLine(text, state);
      return { content: true };
    }
    const header = parseHeader(text);
    if (header) return { header, content: true };
    state = lexLine(text, state);
    const trimmed = text.trim();
    const key = /^(\s*)([A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')\s*=/.exec(text);
    return {
      key: key ? { name: key[2].replace(/^["']|["']$/g, ""), indent: key[1] } : undefined,
      content: trimmed !== "" && !trimmed.startsWith("#"),
    };
  });
}

function parseHeader(text: string): ScannedLine["header"] {
  const match = /^\s*(\[\[?)([^[\]]+)(\]\]?)\s*(?:#.*)?$/.exec(text);
  if (!match || match[1].length !== match[3].length) return undefined;
  const name = match[2]
    .split(".")
    .map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, "$1$2"))
    .join(".");
  return { name, array: match[1] === "[[" };
}

/** The string and bracket state after one line, skipping strings and comments. */
function lexLine(line: string, start: LexState): LexState {
  let { string, depth } = start;
  let i = 0;
  while (i < line.length) {
    if (string === "multiline-basic") {
      if (line[i] === "\\") i += 2;
      else if (line.startsWith('"""', i)) {
        string = "none";
        i += 3;
        while (line[i] === '"') i++;
      } else i++;
      continue;
    }
    if (string === "multiline-literal") {
      if (line.startsWith("'''", i)) {
        string = "none";
        i += 3;
        while (line[i] === "'") i++;
      } else i++;
      continue;
    }
    const char = line[i];
    if (char === "#") break;
    if (line.startsWith('"""', i)) {
      string = "multiline-basic";
      i += 3;
    } else if (line.startsWith("'''", i)) {
      string = "multiline-literal";
      i += 3;
    } else if (char === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === "\\" ? 2 : 1;
      i++;
    } else if (char === "'") {
      const close = line.indexOf("'", i + 1);
      i = close < 0 ? line.length : close + 1;
    } else {
      if (char === "[") depth++;
      if (char === "]") depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return { string, depth };
}

interface D1Block {
  /** The last line of the block that holds a key or value (new keys go after it, before trailing comments). */
  lastContentLine: number;
  keyLines: Map<string, number>;
  /** The indentation of the block's keys, kept for keys added to it. */
  indent: string;
}

/** The top-level [[d1_databases]] blocks, in file order ([[env.x.d1_databases]] blocks are other tables). */
function locateD1Blocks(scanned: readonly ScannedLine[]): D1Block[] {
  const blocks: D1Block[] = [];
  let current: D1Block | undefined;
  scanned.forEach((line, index) => {
    if (line.header) {
      current = line.header.array && line.header.name === "d1_databases" ? { lastContentLine: index, keyLines: new Map(), indent: "" } : undefined;
      if (current) blocks.push(current);
      return;
    }
    if (!current || !line.content) return;
    current.lastContentLine = index;
    if (line.key === undefined || current.keyLines.has(line.key.name)) return;
    if (current.keyLines.size === 0) current.indent = line.key.indent;
    current.keyLines.set(line.key.name, index);
  });
  return blocks;
}
