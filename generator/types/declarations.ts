// The declarations of one generated module, as source text in prettier's form (typescript-text.ts): per table a
// row interface, its zod schema, JSON parse helpers, insert and update types and a Kysely table; per database the
// tables map, the name union, the Kysely database and the Env fragment of its D1 bindings.
import { columnsInDeclaredOrder, type Database, type Table } from "../model/model.js";
import { columnTyping, jsonTextSchemaName } from "./column-typing.js";
import { columnDocs, columnSummaryDocs, docs, tableDocs } from "./docs.js";
import { databaseTypeNames, jsonParserName, tableTypeNames } from "./names.js";
import { functionDeclaration, interfaceDeclaration, objectConstDeclaration, propertyAccess, stringLiteral, typeAliasDeclaration } from "./typescript-text.js";

export const jsonTextSchemaDeclaration = `/** ${docs(["Text that parses as JSON: how the zod schemas check JSON columns (not the parsed value's shape)."])} */
const ${jsonTextSchemaName} = z.string().refine((text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}, "expected JSON text");`;

/** The user-written type texts a table's declarations contain (JSON columns' `tsType`), for render-types.ts. */
export function userTypeTexts(table: Table): string[] {
  return columnsInDeclaredOrder(table).flatMap((column) => (column.logical === "json" && column.tsType !== undefined ? [column.tsType] : []));
}

/** How many declarations tableDeclarations(table) makes: five, and a parser for each JSON column. */
export function tableDeclarationCount(table: Table): number {
  return 5 + table.columns.filter((column) => column.logical === "json").length;
}

export function tableDeclarations(table: Table): string[] {
  const names = tableTypeNames(table);
  // In the order the schema file declares them, which may differ from the order the migrations built (model.ts).
  const columns = columnsInDeclaredOrder(table).map((column) => ({ column, typing: columnTyping(table, column), docs: columnDocs(table, column) }));
  const parsers = columns.flatMap(({ column, typing }) => {
    if (column.logical !== "json") return [];
    const parsed = `${column.tsType ?? "unknown"}${column.notNull ? "" : " | null"}`;
    const value = propertyAccess("row", column.name);
    return [
      functionDeclaration(
        jsonParserName(table, column),
        `row: Pick<${names.row}, ${stringLiteral(column.name)}>`,
        parsed,
        typing.row.endsWith("| null")
          ? `return ${value} === null ? null : (JSON.parse(${value}) as ${column.tsType ?? "unknown"});`
          : `return JSON.parse(${value}) as ${parsed};`,
        docs([
          `Parses \`${table.name}.${column.name}\`. The type is the schema's declaration; only the zod schema's JSON check runs.`,
          (column.deprecated ?? table.deprecated) && `@deprecated ${column.deprecated ?? table.deprecated}`,
        ]),
      ),
    ];
  });
  return [
    interfaceDeclaration(
      names.row,
      columns.map(({ column, typing, docs }) => ({ name: column.name, type: typing.row, docs })),
      tableDocs(table, `A row of \`${table.name}\` as D1 returns it; \`${names.rowSchema}\` checks one at run time.`),
    ),
    objectConstDeclaration(
      names.rowSchema,
      "z.object",
      columns.map(({ column, typing }) => ({ name: column.name, value: typing.zod })),
      ` satisfies z.ZodType<${names.row}>`,
      tableDocs(table, `Checks a row of \`${table.name}\` at run time, e.g. \`${names.rowSchema}.parse(await statement.first())\`.`),
    ),
    ...parsers,
    interfaceDeclaration(
      names.insert,
      columns.flatMap(({ column, typing, docs }) =>
        typing.insert ? [{ name: column.name, type: typing.insert.type, optional: typing.insert.optional, docs }] : [],
      ),
      tableDocs(table, `What an INSERT into \`${table.name}\` takes: columns with a default, nullable columns and generated ids may be left out.`),
    ),
    interfaceDeclaration(
      names.update,
      columns.flatMap(({ column, typing, docs }) => (typing.update === undefined ? [] : [{ name: column.name, type: typing.update, optional: true, docs }])),
      tableDocs(table, `What an UPDATE of \`${table.name}\` may set: any column of \`${names.insert}\` but the primary key.`),
    ),
    interfaceDeclaration(
      names.kyselyTable,
      columns.map(({ column, typing }) => ({ name: column.name, type: typing.kysely, docs: columnSummaryDocs(column) })),
      tableDocs(table, `\`${table.name}\` for Kysely: what it selects, inserts and updates, column by column.`),
    ),
  ];
}

/** What the database-wide declarations are made from; nothing else of the database reaches them. */
export interface DatabaseShell {
  name: string;
  bindings: string[];
  tables: Pick<Table, "name" | "description" | "deprecated">[];
}

export function databaseShell(database: Database): DatabaseShell {
  return {
    name: database.name,
    bindings: database.bindings,
    tables: database.tables.map(({ name, description, deprecated }) => ({ name, description, deprecated })),
  };
}

export function databaseDeclarations(database: DatabaseShell): string[] {
  const names = databaseTypeNames(database);
  const tables = database.tables.map((table) => ({ table, names: tableTypeNames(table), docs: tableDocs(table) }));
  return [
    interfaceDeclaration(
      names.tables,
      tables.map(({ table, names, docs }) => ({ name: table.name, type: names.row, docs })),
      docs([`Every table of ${database.name}, by name, to its row type.`]),
    ),
    typeAliasDeclaration(
      names.tableName,
      tables.length > 0 ? tables.map(({ table }) => stringLiteral(table.name)) : ["never"],
      docs([`The name of a table of ${database.name}.`]),
    ),
    interfaceDeclaration(
      names.kysely,
      tables.map(({ table, names, docs }) => ({ name: table.name, type: names.kyselyTable, docs })),
      docs([`${database.name} for Kysely: \`new Kysely<${names.kysely}>({ dialect })\`.`]),
    ),
    interfaceDeclaration(
      names.env,
      database.bindings.map((binding) => ({ name: binding, type: "D1Database" })),
      docs([`The D1 bindings of ${database.name}, for a Worker's Env: \`interface Env extends ${names.env} {}\`.`]),
    ),
  ];
}
