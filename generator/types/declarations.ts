// The declarations of one generated module as ts-morph structures: per table a row interface, its zod schema,
// JSON parse helpers, insert and update types and a Kysely table; per database the tables map, the name union,
// the Kysely database and the Env fragment of its D1 bindings. Plain data, added to the file in one call: ts-morph
// reparses the file on every addition, which made a 128-table database take a minute.
import type * as TsMorph from "ts-morph";
import type { StatementStructures } from "ts-morph";
import type { Database, Table } from "../model/model.js";
import { columnTyping, jsonTextSchemaName } from "./column-typing.js";
import { columnDocs, columnSummaryDocs, docs, tableDocs } from "./docs.js";
import { databaseTypeNames, jsonParserName, tableTypeNames } from "./names.js";

/** ts-morph's enums, passed in because ts-morph itself is loaded only when types are rendered. */
export type MorphEnums = Pick<typeof TsMorph, "StructureKind" | "VariableDeclarationKind">;

export function jsonTextSchemaDeclaration({ StructureKind, VariableDeclarationKind }: MorphEnums): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    docs: docs(["Text that parses as JSON: how the zod schemas check JSON columns (not the parsed value's shape)."]),
    declarations: [
      {
        name: jsonTextSchemaName,
        initializer: `z.string().refine((text) => {
          try {
            JSON.parse(text);
            return true;
          } catch {
            return false;
          }
        }, "expected JSON text")`,
      },
    ],
  };
}

export function tableDeclarations(table: Table, { StructureKind, VariableDeclarationKind }: MorphEnums): StatementStructures[] {
  const names = tableTypeNames(table);
  const keyColumns = table.primaryKey?.columns ?? [];
  const columns = table.columns.map((column) => ({ column, typing: columnTyping(table, column), docs: columnDocs(table, column) }));
  const parsers: StatementStructures[] = columns.flatMap(({ column, typing }) => {
    if (column.logical !== "json") return [];
    const parsed = `${column.tsType ?? "unknown"}${column.notNull ? "" : " | null"}`;
    const value = `row.${column.name}`;
    return [
      {
        kind: StructureKind.Function,
        name: jsonParserName(table, column),
        isExported: true,
        docs: docs([
          `Parses \`${table.name}.${column.name}\`. The type is the schema's declaration; only the zod schema's JSON check runs.`,
          (column.deprecated ?? table.deprecated) && `@deprecated ${column.deprecated ?? table.deprecated}`,
        ]),
        parameters: [{ name: "row", type: `Pick<${names.row}, ${JSON.stringify(column.name)}>` }],
        returnType: parsed,
        statements: [
          typing.row.endsWith("| null")
            ? `return ${value} === null ? null : (JSON.parse(${value}) as ${column.tsType ?? "unknown"});`
            : `return JSON.parse(${value}) as ${parsed};`,
        ],
      },
    ];
  });
  return [
    {
      kind: StructureKind.Interface,
      name: names.row,
      isExported: true,
      docs: tableDocs(table, `A row of \`${table.name}\` as D1 returns it; \`${names.rowSchema}\` checks one at run time.`),
      properties: columns.map(({ column, typing, docs }) => ({ name: column.name, type: typing.row, docs })),
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: tableDocs(table, `Checks a row of \`${table.name}\` at run time, e.g. \`${names.rowSchema}.parse(await statement.first())\`.`),
      declarations: [
        {
          name: names.rowSchema,
          initializer: `z.object({\n${columns.map(({ column, typing }) => `${column.name}: ${typing.zod},`).join("\n")}\n}) satisfies z.ZodType<${names.row}>`,
        },
      ],
    },
    ...parsers,
    {
      kind: StructureKind.Interface,
      name: names.insert,
      isExported: true,
      docs: tableDocs(table, `What an INSERT into \`${table.name}\` takes: columns with a default, nullable columns and generated ids may be left out.`),
      properties: columns.flatMap(({ column, typing, docs }) =>
        typing.insert ? [{ name: column.name, type: typing.insert.type, hasQuestionToken: typing.insert.optional, docs }] : [],
      ),
    },
    {
      kind: StructureKind.TypeAlias,
      name: names.update,
      isExported: true,
      docs: tableDocs(table, `What an UPDATE of \`${table.name}\` may set: any column of \`${names.insert}\` but the primary key.`),
      type:
        keyColumns.length > 0 ? `Partial<Omit<${names.insert}, ${keyColumns.map((name) => JSON.stringify(name)).join(" | ")}>>` : `Partial<${names.insert}>`,
    },
    {
      kind: StructureKind.Interface,
      name: names.kyselyTable,
      isExported: true,
      docs: tableDocs(table, `\`${table.name}\` for Kysely: what it selects, inserts and updates, column by column.`),
      properties: columns.map(({ column, typing }) => ({ name: column.name, type: typing.kysely, docs: columnSummaryDocs(column) })),
    },
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

export function databaseDeclarations(database: DatabaseShell, { StructureKind }: MorphEnums): StatementStructures[] {
  const names = databaseTypeNames(database);
  const tables = database.tables.map((table) => ({ table, names: tableTypeNames(table), docs: tableDocs(table) }));
  return [
    {
      kind: StructureKind.Interface,
      name: names.tables,
      isExported: true,
      docs: docs([`Every table of ${database.name}, by name, to its row type.`]),
      properties: tables.map(({ table, names, docs }) => ({ name: table.name, type: names.row, docs })),
    },
    {
      kind: StructureKind.TypeAlias,
      name: names.tableName,
      isExported: true,
      docs: docs([`The name of a table of ${database.name}.`]),
      type: tables.map(({ table }) => JSON.stringify(table.name)).join(" | ") || "never",
    },
    {
      kind: StructureKind.Interface,
      name: names.kysely,
      isExported: true,
      docs: docs([`${database.name} for Kysely: \`new Kysely<${names.kysely}>({ dialect })\`.`]),
      properties: tables.map(({ table, names, docs }) => ({ name: table.name, type: names.kyselyTable, docs })),
    },
    {
      kind: StructureKind.Interface,
      name: names.env,
      isExported: true,
      docs: docs([`The D1 bindings of ${database.name}, for a Worker's Env: \`interface Env extends ${names.env} {}\`.`]),
      properties: database.bindings.map((binding) => ({ name: binding, type: "D1Database" })),
    },
  ];
}
