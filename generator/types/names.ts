// The names generated code exports. One convention: what belongs to one table starts with the table's name in
// PascalCase (`UsersRow`, `UsersInsert`, `UsersUpdate`, `UsersTable`, `usersRow`, `parseUsersSettings`), what
// belongs to the whole database starts with the database's (`ShopDbTables`, `ShopDbTableName`, `ShopDbDatabase`,
// `ShopDbEnv`), so that app code can import several databases' types side by side without renaming.
import { SchemaError } from "../model/errors.js";
import type { Column, Database, Table } from "../model/model.js";

export type TableTypeNames = {
  row: string;
  rowSchema: string;
  insert: string;
  update: string;
  kyselyTable: string;
};

export interface DatabaseTypeNames {
  tables: string;
  tableName: string;
  kysely: string;
  env: string;
  /** The namespace generated/index.ts re-exports the database's module under. */
  namespace: string;
}

export function tableTypeNames(table: Pick<Table, "name">): TableTypeNames {
  const base = pascalCase(table.name);
  return { row: `${base}Row`, rowSchema: `${camelCase(base)}Row`, insert: `${base}Insert`, update: `${base}Update`, kyselyTable: `${base}Table` };
}

export function jsonParserName(table: Table, column: Column): string {
  return `parse${pascalCase(table.name)}${pascalCase(column.name)}`;
}

export function databaseTypeNames(database: Pick<Database, "name">): DatabaseTypeNames {
  const base = pascalCase(database.name);
  return { tables: `${base}Tables`, tableName: `${base}TableName`, kysely: `${base}Database`, env: `${base}Env`, namespace: camelCase(base) };
}

/**
 * `ad_platforms` → `AdPlatforms`, `ANALYTICS_DB` → `AnalyticsDb`, `order id` → `OrderId`, `Straße` → `Straße`:
 * words split on `_` and on anything a JavaScript name cannot hold (spaces, dashes, quotes, `✓`); a word in
 * capitals only is written capitalized, any other keeps its inner capitals (`oauthURL` → `OauthURL`). A name that
 * would start with a digit (`1st` → `_1st`) or has no word at all (`✓` → `_`) starts with `_`; two names that meet
 * in one generated name are refused by checkGeneratedNames, naming both.
 */
export function pascalCase(name: string): string {
  const joined = name
    .split(/(?:_|\P{ID_Continue})+/u)
    .filter(Boolean)
    .map((word) => {
      const [first, ...rest] = word;
      return first.toUpperCase() + (/\p{Ll}/u.test(word) ? rest.join("") : rest.join("").toLowerCase());
    })
    .join("");
  return /^\p{ID_Start}/u.test(joined) ? joined : `_${joined}`;
}

function camelCase(pascal: string): string {
  return pascal[0].toLowerCase() + pascal.slice(1);
}

/**
 * Throws a SchemaError when two tables or columns map to one generated name (`user_settings` and `userSettings`),
 * which would make the generated file fail to compile.
 */
export function checkGeneratedNames(database: Database): void {
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string, table?: Table): void => {
    const other = owners.get(name);
    if (other !== undefined && other !== owner) {
      throw new SchemaError(
        { database: database.name, table: table?.name },
        `gives the generated type name ${name}, which ${other} gives too`,
        "rename one of them: generated names join the words of table and column names in PascalCase",
      );
    }
    owners.set(name, owner);
  };
  const names = databaseTypeNames(database);
  for (const name of [names.tables, names.tableName, names.kysely, names.env]) claim(name, `database ${database.name}`);
  for (const table of database.tables) {
    for (const name of Object.values(tableTypeNames(table))) claim(name, `table ${table.name}`, table);
    for (const column of table.columns) {
      if (column.logical === "json") claim(jsonParserName(table, column), `column ${table.name}.${column.name}`, table);
    }
  }
}
