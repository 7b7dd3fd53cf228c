// model → a Mermaid entity-relationship diagram of the tables one schema file defines, as a fenced Markdown block
// that GitHub renders. Every column is drawn (the diagram is a reference, not an overview); tables of other files
// that take part in a foreign key of this file appear as stubs without attributes so that the edge has two ends.
//
// Mermaid's erDiagram lexer matches keywords before names, and comments and labels have no escape for `"`, so
// names and texts are made safe here rather than trusted. Entity aliases (`name["alias"]`) need Mermaid ≥ 10.5.
import { SchemaError } from "../model/errors.js";
import { isPlainIdentifier } from "../model/identifiers.js";
import { columnsInDeclaredOrder, type Column, type Database, type ForeignKey, type Table } from "../model/model.js";
import { compareNames } from "../model/normalize.js";

interface Relationship {
  parent: string;
  child: string;
  /** `||` when a child row always names a parent, `|o` when its foreign key may be NULL. */
  parentEnd: "||" | "|o";
  /** `o|` when a unique key of the child lies within the foreign key columns, so a parent has at most one child. */
  childEnd: "o{" | "o|";
  label: string;
}

/** The diagram of `tableNames` (the tables of one schema file), in their order, then stubs and edges sorted. */
export function renderErDiagram(database: Database, tableNames: readonly string[]): string {
  const tables = new Map(database.tables.map((table) => [table.name, table]));
  const own = [...new Set(tableNames)].map((name) => {
    const table = tables.get(name);
    if (!table) throw new SchemaError({ database: database.name, table: name }, "is not a table of this database", "pass the names of tables the schema file defines");
    return table;
  });
  const ownNames = new Set(own.map((table) => table.name));
  const relationships = database.tables
    .flatMap((child) =>
      child.foreignKeys
        .filter((foreignKey) => ownNames.has(child.name) || ownNames.has(foreignKey.table))
        .map((foreignKey) => relationshipOf(child, foreignKey)),
    )
    .sort((a, b) => compareNames(a.parent, b.parent) || compareNames(a.child, b.child) || compareNames(a.label, b.label));
  const stubs = [...new Set(relationships.flatMap(({ parent, child }) => [parent, child]).filter((name) => !ownNames.has(name)))].sort(compareNames);
  const entityName = entityNames([...own.map((table) => table.name), ...stubs]);
  const lines = [
    "```mermaid",
    "erDiagram",
    ...own.flatMap((table) => renderEntity(table, entityName)),
    ...stubs.map((name) => `  ${entityHeader(name, tables.get(name), entityName)}`),
    ...relationships.map((relationship) => renderRelationship(relationship, entityName)),
    "```",
  ];
  return `${lines.join("\n")}\n`;
}

/** How the diagram names each table: see entityNames. */
type EntityName = (table: string) => string;

function renderEntity(table: Table, entityName: EntityName): string[] {
  return [`  ${entityHeader(table.name, table, entityName)} {`, ...columnsInDeclaredOrder(table).map((column) => `    ${renderAttribute(table, column)}`), "  }"];
}

/** The entity's name, with a visible "(deprecated)" label for a deprecated table. */
function entityHeader(name: string, table: Table | undefined, entityName: EntityName): string {
  return table?.deprecated === undefined ? entityName(name) : `${entityName(name)}["${quotable(`${name} (deprecated)`)}"]`;
}

function renderAttribute(table: Table, column: Column): string {
  const name = attributeName(column.name);
  const keys = attributeKeys(table, column.name);
  const comment = [
    name !== column.name && `column ${column.name}`,
    column.deprecated !== undefined && `deprecated: ${shortened(column.deprecated)}`,
    column.description !== undefined && shortened(column.description),
  ].filter((part): part is string => typeof part === "string" && part.length > 0);
  return [column.type, name, keys.join(", "), comment.length > 0 && `"${commentText(comment.join("; "))}"`].filter(Boolean).join(" ");
}

// Long descriptions made ClearLift's boxes thousands of pixels wide; the diagram keeps the gist (the first sentence,
// at most 60 characters) and the generated types keep every word.
const maxCommentLength = 60;

function shortened(text: string): string {
  const sentence = text.replace(/\s+/g, " ").trim().split(/(?<=\.) (?=[A-Z])/)[0];
  return sentence.length <= maxCommentLength ? sentence : `${sentence.slice(0, maxCommentLength - 1).trimEnd()}…`;
}

function attributeKeys(table: Table, column: string): string[] {
  const isUnique = [...table.uniques.map(({ columns }) => columns), ...uniqueIndexColumns(table)].some((columns) => columns.length === 1 && columns[0] === column);
  return [
    table.primaryKey?.columns.includes(column) && "PK",
    table.foreignKeys.some(({ columns }) => columns.includes(column)) && "FK",
    isUnique && "UK",
  ].filter((key): key is string => typeof key === "string");
}

/** Columns of each unique index that constrains every row: no WHERE, no expression parts. */
function uniqueIndexColumns(table: Table): string[][] {
  return table.indexes
    .filter((index) => index.unique && index.where === undefined)
    .flatMap((index) => {
      const columns = index.parts.flatMap((part) => ("column" in part ? [part.column] : []));
      return columns.length === index.parts.length ? [columns] : [];
    });
}

function relationshipOf(child: Table, foreignKey: ForeignKey): Relationship {
  const actions = [
    foreignKey.onDelete !== "NO ACTION" && `ON DELETE ${foreignKey.onDelete}`,
    foreignKey.onUpdate !== "NO ACTION" && `ON UPDATE ${foreignKey.onUpdate}`,
  ].filter(Boolean);
  return {
    parent: foreignKey.table,
    child: child.name,
    parentEnd: foreignKey.columns.every((column) => isNeverNull(child, column)) ? "||" : "|o",
    childEnd: childKeys(child).some((key) => key.every((column) => foreignKey.columns.includes(column))) ? "o|" : "o{",
    label: `${foreignKey.columns.join(", ")}${actions.length > 0 ? ` (${actions.join(", ")})` : ""}`,
  };
}

// A primary key column counts as NOT NULL, as in the generated row types (types/column-typing.ts): an INTEGER
// PRIMARY KEY cannot hold NULL, and the generated insert types refuse NULL for any other key column.
function isNeverNull(table: Table, columnName: string): boolean {
  const column = table.columns.find(({ name }) => name === columnName);
  return (column?.notNull ?? false) || (table.primaryKey?.columns.includes(columnName) ?? false);
}

/** Every set of columns whose values identify at most one row of the table. */
function childKeys(table: Table): string[][] {
  return [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.map(({ columns }) => columns), ...uniqueIndexColumns(table)];
}

function renderRelationship({ parent, child, parentEnd, childEnd, label }: Relationship, entityName: EntityName): string {
  return `  ${entityName(parent)} ${parentEnd}--${childEnd} ${entityName(child)} : "${commentText(label)}"`;
}

// Words the erDiagram lexer reads as keywords wherever they stand, even where a name is expected.
const mermaidKeywords = new Set(["erdiagram", "style", "classdef", "class", "subgraph", "end", "one", "many", "to", "direction", "acctitle", "accdescr"]);

/**
 * Each table's entity name: bare when Mermaid reads it as one, otherwise quoted. Quoting replaces what a quoted
 * name cannot hold (`"`, `%`, a backslash), so two tables (`a"b` and `a_b`) could meet in one entity: a name that
 * quoting changed gets `_2`, `_3`, ... where it meets another, so that every table keeps a box of its own.
 */
function entityNames(tableNames: readonly string[]): EntityName {
  const bare = (table: string) => isPlainIdentifier(table) && !mermaidKeywords.has(table.toLowerCase());
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const changed = [...tableNames].sort(compareNames).filter((table) => {
    if (!bare(table) && quotable(table) !== table) return true;
    names.set(table, bare(table) ? table : `"${table}"`);
    taken.add(table.toLowerCase());
    return false;
  });
  for (const table of changed) {
    const base = quotable(table);
    let name = base;
    for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${base}_${suffix}`;
    taken.add(name.toLowerCase());
    names.set(table, `"${name}"`);
  }
  return (table) => names.get(table) ?? `"${quotable(table)}"`;
}

/** A quoted entity name or alias may hold anything but `"`, `%`, a backslash and line breaks. */
function quotable(text: string): string {
  return text.replace(/["%\\\r\n\v\b]/g, "_");
}

// An attribute name is a word of letters, digits and `_` that is not PK, FK or UK (the lexer would take it for a
// key marker). Any other column name (`order id`, `Straße`) is drawn with `_` for what the word cannot hold, and its
// comment gives the name.
function attributeName(name: string): string {
  const word = name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_");
  return /^(pk|fk|uk)$/i.test(word) ? `${word}_` : word;
}

// Comments and labels end at the next `"`, and Mermaid reads them as HTML and Markdown, so what means something
// there is written as an HTML entity, which it decodes: otherwise `Array<string>` loses `<string>` as an unknown
// tag, `*a*` and `_a_` turn italic, `#x;` becomes one of Mermaid's own entity codes, `%%{` opens a directive and
// `~a~` becomes `<a>` (a generic type), or a parse error where it starts the comment. HTML has no entity for `~`
// (`&tilde;` is the small ˜, and `&#126;` holds a `#x;`), so it is drawn as the look-alike `&sim;` (∼).
function commentText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("#", "&num;")
    .replaceAll("*", "&ast;")
    .replaceAll("~", "&sim;")
    .replace(/%(?=%)/g, "&percnt;")
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "&lowbar;");
}
