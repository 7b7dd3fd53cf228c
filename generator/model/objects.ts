// Views, triggers and virtual tables in the model: their normalized form, the SQL SQLite stores for them read back into that form,
// the tables and views each one names, and the order that creates a view after the views it reads.
import type { TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "../dsl/objects.js";
import type { Database, Trigger, View, VirtualTable } from "./model.js";
import { scanSql } from "./sql-lexer.js";

/** A token with where it stands in the text. */
interface PlacedToken {
  text: string;
  /** Words: the word; quoted names: the name without quotes. */
  value: string;
  type: string;
  start: number;
  end: number;
}

function placedTokens(sql: string): PlacedToken[] {
  return scanSql(sql)
    .filter((piece) => piece.type !== "space" && piece.type !== "comment")
    .map((piece) => {
      const text = sql.slice(piece.start, piece.end);
      return { text, value: piece.type === "quoted" ? unquoteName(text) : text, type: piece.type, start: piece.start, end: piece.end };
    });
}

function unquoteName(text: string): string {
  const close = text[0] === "[" ? "]" : text[0];
  return text.slice(1, -1).replaceAll(close + close, close);
}

const isWordToken = (token: PlacedToken | undefined, ...words: string[]) => token?.type === "word" && words.includes(token.value.toUpperCase());
const isName = (token: PlacedToken | undefined) => token !== undefined && (token.type === "word" || token.type === "quoted" || token.type === "string");

/** SQL as the schema keeps it: trimmed, without the `;` that may close it. */
export function withoutClosingSemicolon(sql: string): string {
  const tokens = placedTokens(sql);
  const last = tokens.at(-1);
  return (last?.text === ";" ? sql.slice(0, last.start) : sql).trim();
}

/** The table (or view) a trigger definition is on: the name after its first ON, before BEGIN. */
export function triggerTableOf(definition: string): string | undefined {
  const tokens = placedTokens(definition);
  for (let i = 0; i < tokens.length; i++) {
    if (isWordToken(tokens[i], "BEGIN")) return undefined;
    if (!isWordToken(tokens[i], "ON")) continue;
    // `ON main.users`: the table is the name after the schema's.
    const qualified = tokens[i + 2]?.text === ".";
    const name = tokens[qualified ? i + 3 : i + 1];
    return isName(name) ? name.value : undefined;
  }
  return undefined;
}

export function normalizeView({ spec }: ViewDefinition): View {
  return {
    name: spec.name,
    ...(spec.options.columns === undefined ? {} : { columns: [...spec.options.columns] }),
    select: withoutClosingSemicolon(spec.select),
    ...(spec.options.description === undefined ? {} : { description: spec.options.description }),
  };
}

export function normalizeTrigger({ spec }: TriggerDefinition): Trigger {
  const definition = withoutClosingSemicolon(spec.definition);
  return {
    name: spec.name,
    table: triggerTableOf(definition) ?? "",
    definition,
    ...(spec.options.description === undefined ? {} : { description: spec.options.description }),
  };
}

export function normalizeVirtualTable({ spec }: VirtualTableDefinition): VirtualTable {
  return {
    name: spec.name,
    using: withoutClosingSemicolon(spec.using),
    ...(spec.options.description === undefined ? {} : { description: spec.options.description }),
  };
}

/** The views, triggers and virtual tables of the database, sorted by name, on the model only when there are any. */
export function withObjects(database: Database, views: readonly View[], triggers: readonly Trigger[], virtualTables: readonly VirtualTable[] = []): Database {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    ...database,
    ...(views.length === 0 ? {} : { views: [...views].sort(byName) }),
    ...(triggers.length === 0 ? {} : { triggers: [...triggers].sort(byName) }),
    ...(virtualTables.length === 0 ? {} : { virtualTables: [...virtualTables].sort(byName) }),
  };
}

/** The module a virtual table uses, lower case: `fts5`. */
export function virtualModule(table: VirtualTable): string {
  return (placedTokens(table.using)[0]?.value ?? "").toLowerCase();
}

/**
 * The table an external-content FTS5 table indexes (`content='docs'`), whose rows are the data: the index can be
 * built again from them (`INSERT INTO x(x) VALUES('rebuild')`). Undefined for a table that holds its own rows (no
 * `content` option) or none (`content=''`).
 */
export function externalContentTable(table: VirtualTable): string | undefined {
  const tokens = placedTokens(table.using);
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isWordToken(tokens[i], "CONTENT") && tokens[i + 1].text === "=" && isName(tokens[i + 2])) {
      const name = tokens[i + 2].type === "string" ? tokens[i + 2].text.slice(1, -1).replaceAll("''", "'") : tokens[i + 2].value;
      return name === "" ? undefined : name;
    }
  }
  return undefined;
}

/**
 * The view or trigger a CREATE statement as SQLite stores it describes (sqlite_schema.sql: `CREATE VIEW v AS …`,
 * `CREATE TRIGGER t AFTER …`), or undefined when the text is not one.
 */
export function parseCreateObject(
  sql: string,
): { type: "view"; view: View } | { type: "trigger"; trigger: Trigger } | { type: "virtualTable"; virtualTable: VirtualTable } | undefined {
  const tokens = placedTokens(sql);
  let i = 0;
  if (!isWordToken(tokens[i++], "CREATE")) return undefined;
  if (isWordToken(tokens[i], "VIRTUAL") && isWordToken(tokens[i + 1], "TABLE")) return parseCreateVirtualTable(sql, tokens.slice(i + 2));
  if (isWordToken(tokens[i], "TEMP", "TEMPORARY")) i++;
  const type = isWordToken(tokens[i], "VIEW") ? "view" : isWordToken(tokens[i], "TRIGGER") ? "trigger" : undefined;
  if (type === undefined) return undefined;
  i++;
  if (isWordToken(tokens[i], "IF") && isWordToken(tokens[i + 1], "NOT") && isWordToken(tokens[i + 2], "EXISTS")) i += 3;
  if (tokens[i + 1]?.text === ".") i += 2;
  const name = tokens[i];
  if (!isName(name)) return undefined;
  const rest = tokens.slice(i + 1);
  if (type === "trigger") {
    const definition = withoutClosingSemicolon(sql.slice(name.end));
    return { type, trigger: { name: name.value, table: triggerTableOf(definition) ?? "", definition } };
  }
  let columns: string[] | undefined;
  let at = 0;
  if (rest[0]?.text === "(") {
    const close = rest.findIndex((token) => token.text === ")");
    if (close === -1) return undefined;
    columns = rest
      .slice(1, close)
      .filter((token) => token.text !== ",")
      .map((token) => token.value);
    at = close + 1;
  }
  if (!isWordToken(rest[at], "AS") || rest[at + 1] === undefined) return undefined;
  const select = withoutClosingSemicolon(sql.slice(rest[at + 1].start));
  return { type, view: { name: name.value, ...(columns ? { columns } : {}), select } };
}

function parseCreateVirtualTable(sql: string, tokens: PlacedToken[]): { type: "virtualTable"; virtualTable: VirtualTable } | undefined {
  let i = 0;
  if (isWordToken(tokens[i], "IF") && isWordToken(tokens[i + 1], "NOT") && isWordToken(tokens[i + 2], "EXISTS")) i += 3;
  if (tokens[i + 1]?.text === ".") i += 2;
  const name = tokens[i];
  if (!isName(name) || !isWordToken(tokens[i + 1], "USING") || tokens[i + 2] === undefined) return undefined;
  return { type: "virtualTable", virtualTable: { name: name.value, using: withoutClosingSemicolon(sql.slice(tokens[i + 2].start)) } };
}

/** The names an SQL text mentions (words and quoted names), lower case: what a view or trigger may read or write. */
export function mentionedNames(sql: string): Set<string> {
  return new Set(
    placedTokens(sql)
      .filter((token) => token.type === "word" || token.type === "quoted")
      .map((token) => token.value.toLowerCase()),
  );
}

/** The text a view or trigger is compared by: its SQL with white space folded and comments dropped. */
export function objectKey(sql: string): string {
  return placedTokens(sql)
    .map((token) => token.text)
    .join(" ");
}

/** Whether two views create the same view (names, columns and SELECT, white space aside). */
export function sameView(a: View, b: View): boolean {
  return a.name === b.name && (a.columns ?? []).join(",") === (b.columns ?? []).join(",") && objectKey(a.select) === objectKey(b.select);
}

export function sameTrigger(a: Trigger, b: Trigger): boolean {
  return a.name === b.name && objectKey(a.definition) === objectKey(b.definition);
}

/**
 * Views in the order that creates each after the views it reads (by name in their SELECT), ties by name; a cycle
 * (which SQLite refuses when a view in it is read) is broken where the walk in name order meets it.
 */
export function viewsInCreationOrder(views: readonly View[]): View[] {
  const byName = new Map(views.map((view) => [view.name.toLowerCase(), view]));
  const reads = new Map(views.map((view) => [view, [...mentionedNames(view.select)].filter((name) => byName.has(name) && name !== view.name.toLowerCase())]));
  const ordered: View[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (view: View) => {
    const key = view.name.toLowerCase();
    if (placed.has(key) || visiting.has(key)) return;
    visiting.add(key);
    for (const name of [...reads.get(view)!].sort()) visit(byName.get(name)!);
    visiting.delete(key);
    placed.add(key);
    ordered.push(view);
  };
  for (const view of [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(view);
  return ordered;
}

export function sameVirtualTable(a: VirtualTable, b: VirtualTable): boolean {
  return a.name === b.name && objectKey(a.using) === objectKey(b.using);
}

/** The database's views, triggers and virtual tables (empty lists when it has none). */
export function objectsOf(database: Pick<Database, "views" | "triggers" | "virtualTables">): {
  views: View[];
  triggers: Trigger[];
  virtualTables: VirtualTable[];
} {
  return { views: database.views ?? [], triggers: database.triggers ?? [], virtualTables: database.virtualTables ?? [] };
}
