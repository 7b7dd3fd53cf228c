// model → `schema/<folder>/` TypeScript: `database.ts` and the table files, written the way a person writes the
// schema language (`text().primaryKey()`, `.default("free")`, `.references("users", "id", { onDelete: "cascade" })`,
// `index("idx").on("a", desc("b"))`), so that loading them gives back exactly the model. `pull` uses it to adopt
// a database. Built with ts-morph and formatted with prettier, both loaded only when called, like the generated types
// beside it; not a derived file, so not part of the fingerprint that stamps them (io/fingerprint.ts).
import type { StatementStructures } from "ts-morph";
import { sqlLiteral } from "../model/identifiers.js";
import type { Column, ConflictAlgorithm, Database, ForeignKey, Index, IndexPart, ReferentialAction, Table } from "../model/model.js";
import { compareNames } from "../model/normalize.js";
import { objectsOf } from "../model/objects.js";
import { normalizeDefaultSql } from "../model/sql-fragment.js";
import { prettierOptions } from "./render-types.js";
import { pascalCase } from "./names.js";
import { propertyKey } from "./typescript-text.js";

export interface SchemaFile {
  /** The file's name inside schema/<folder>/. */
  fileName: string;
  content: string;
}

export interface SchemaFilesOptions {
  /** The module specifier schema files import the DSL from: the package name, "d1-schema-kit". */
  dslImport: string;
  /** Comment lines at the top of database.ts: where the schema came from, what it could not take over. */
  databaseComment: string[];
  /** Comment lines at the top of every table file. */
  tablesComment: string[];
}

/** Up to this many tables go in one `tables.ts`; larger schemas get a file per table-name prefix. */
const tablesInOneFile = 12;

export async function renderSchemaFiles(database: Database, options: SchemaFilesOptions): Promise<SchemaFile[]> {
  const morph = await import("ts-morph");
  const prettier = await import("prettier");
  const project = new morph.Project({ useInMemoryFileSystem: true });
  const { StructureKind, VariableDeclarationKind } = morph;
  const exportNames = exportNamesOf(database.tables);
  const files: { fileName: string; comment: string[]; statements: StatementStructures[] }[] = [
    {
      fileName: "database.ts",
      comment: options.databaseComment,
      statements: [
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.dslImport, namedImports: ["database"] },
        { kind: StructureKind.ExportAssignment, isExportEquals: false, expression: renderDatabaseCall(database) },
      ],
    },
    ...groupTablesIntoFiles(database.tables).map(({ fileName, tables }) => {
      const calls = tables.map((table) => renderTableCall(table));
      const used = dslNames.filter((name) => calls.some((call) => new RegExp(`(^|[^.\\w])${name}\\(`).test(call)));
      const imports: StatementStructures = { kind: StructureKind.ImportDeclaration, moduleSpecifier: options.dslImport, namedImports: used };
      return {
        fileName,
        comment: options.tablesComment,
        statements: [
          imports,
          ...tables.map((table, position): StatementStructures => ({
            kind: StructureKind.VariableStatement,
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: exportNames.get(table.name)!, initializer: calls[position] }],
          })),
        ],
      };
    }),
    ...objectsFile(database, options, StructureKind, VariableDeclarationKind),
  ];
  return Promise.all(
    files.map(async ({ fileName, comment, statements }) => {
      const file = project.createSourceFile(fileName, "", { overwrite: true });
      // A blank line between statements: prettier keeps blank lines but never adds them.
      file.addStatements(statements.flatMap((statement, position) => (position === 0 ? [statement] : ["\n", statement])));
      const header = comment.flatMap(wrapComment).join("\n");
      return { fileName, content: await prettier.format(`${header}\n${file.getFullText()}`, prettierOptions) };
    }),
  );
}

/** The virtual tables, views and triggers, in a file of their own (no table file can take its name), when there are any. */
function objectsFile(
  database: Database,
  options: SchemaFilesOptions,
  { ImportDeclaration, VariableStatement }: Pick<typeof import("ts-morph").StructureKind, "ImportDeclaration" | "VariableStatement">,
  { Const }: Pick<typeof import("ts-morph").VariableDeclarationKind, "Const">,
): { fileName: string; comment: string[]; statements: StatementStructures[] }[] {
  const { views, triggers, virtualTables } = objectsOf(database);
  if (views.length + triggers.length + virtualTables.length === 0) return [];
  const calls = [
    ...virtualTables.map((table) => ({ name: table.name, call: `virtualTable(${str(table.name)}, ${str(table.using)})` })),
    ...views.map((view) => ({
      name: view.name,
      call: `view(${[str(view.name), str(view.select), ...(view.columns ? [`{ columns: [${view.columns.map(str).join(", ")}] }`] : [])].join(", ")})`,
    })),
    ...triggers.map((trigger) => ({ name: trigger.name, call: `trigger(${str(trigger.name)}, ${str(trigger.definition)})` })),
  ];
  const names = exportNamesOf(calls, ["view", "trigger", "virtualTable"]);
  const used = ["trigger", "view", "virtualTable"].filter((name) => calls.some(({ call }) => call.startsWith(`${name}(`)));
  return [
    {
      fileName: "views-and-triggers.ts",
      comment: options.tablesComment,
      statements: [
        { kind: ImportDeclaration, moduleSpecifier: options.dslImport, namedImports: used },
        ...calls.map(({ name, call }): StatementStructures => ({
          kind: VariableStatement,
          isExported: true,
          declarationKind: Const,
          declarations: [{ name: names.get(name)!, initializer: call }],
        })),
      ],
    },
  ];
}

/** A comment line as `//` lines within prettier's width (prettier leaves comments as they are). */
function wrapComment(text: string): string[] {
  if (text === "") return ["//"];
  const lines: string[] = [];
  let line = "//";
  for (const word of text.split(" ")) {
    if (line.length > 2 && line.length + 1 + word.length > prettierOptions.printWidth) {
      lines.push(line);
      line = text.startsWith("- ") ? "//  " : "//";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** What table files may import; only the names a file uses are imported. */
const dslNames = ["blob", "boolean", "desc", "expr", "index", "integer", "json", "numeric", "real", "table", "text", "timestamp", "uniqueIndex"];

/**
 * Tables grouped into files: one `tables.ts` for a small schema; otherwise a file per table-name prefix (`users`,
 * `user_sessions` and `user_roles` share `users.ts`), a table alone under its prefix joining its first parent's
 * file, and the rest in `tables.ts`.
 */
function groupTablesIntoFiles(tables: readonly Table[]): { fileName: string; tables: Table[] }[] {
  if (tables.length <= tablesInOneFile) return tables.length === 0 ? [] : [{ fileName: "tables.ts", tables: [...tables] }];
  const prefixOf = (name: string) => {
    const word = name.toLowerCase().split("_").find(Boolean) ?? name.toLowerCase();
    return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
  };
  const byPrefix = new Map<string, Table[]>();
  for (const table of tables) byPrefix.set(prefixOf(table.name), [...(byPrefix.get(prefixOf(table.name)) ?? []), table]);
  const groupOf = new Map<string, string>();
  for (const [prefix, members] of byPrefix) if (members.length > 1) for (const table of members) groupOf.set(table.name, prefix);
  for (const [, members] of byPrefix) {
    if (members.length > 1) continue;
    const parentGroup = members[0].foreignKeys.map((foreignKey) => groupOf.get(foreignKey.table)).find((group) => group !== undefined);
    groupOf.set(members[0].name, parentGroup ?? "");
  }
  const groups = new Map<string, Table[]>();
  for (const table of tables) groups.set(groupOf.get(table.name)!, [...(groups.get(groupOf.get(table.name)!) ?? []), table]);
  return [...groups]
    .map(([prefix, members]) => ({ fileName: prefix === "" ? "tables.ts" : fileNameOf(members), tables: members }))
    .sort((a, b) => compareNames(a.fileName, b.fileName));
}

/** Named after the group's shortest table name's first word: `users.ts`, `analytics.ts`. */
function fileNameOf(members: readonly Table[]): string {
  const shortest = [...members].sort((a, b) => a.name.length - b.name.length || compareNames(a.name, b.name))[0];
  const word = shortest.name.toLowerCase().split("_").find(Boolean) ?? "tables";
  const base = word.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "tables";
  return `${base === "database" || base === "tables" ? `${base}-tables` : base}.ts`;
}

const reservedWords = new Set(
  `arguments await break case catch class const continue debugger default delete do else enum eval export extends false
  finally for function if implements import in instanceof interface let new null package private protected public
  return static super switch this throw true try typeof var void while with yield`.split(/\s+/),
);

/** Each table's export name: `ad_metrics` → `adMetrics`; clashes with imports or keywords get `Table` appended. */
function exportNamesOf(tables: readonly { name: string }[], imported: readonly string[] = dslNames): Map<string, string> {
  const taken = new Set([...imported, "database"]);
  const names = new Map<string, string>();
  for (const table of tables) {
    const pascal = pascalCase(table.name).replace(/^_+/, "") || "Table";
    let name = /^[0-9]/.test(pascal) ? `table${pascal}` : pascal[0].toLowerCase() + pascal.slice(1);
    if (taken.has(name) || reservedWords.has(name)) name = `${name}Table`;
    for (let suffix = 2; taken.has(name); suffix++) name = `${name.replace(/\d+$/, "")}${suffix}`;
    taken.add(name);
    names.set(table.name, name);
  }
  return names;
}

function renderDatabaseCall(database: Database): string {
  const options = [`name: ${str(database.name)}`];
  if (database.bindings.length !== 1 || database.bindings[0] !== database.name) options.push(`bindings: [${database.bindings.map(str).join(", ")}]`);
  if (database.continueFrom > 0) options.push(`continueFrom: ${database.continueFrom}`);
  if (!database.ifNotExists) options.push("ifNotExists: false");
  return `database({ ${options.join(", ")} })`;
}

function renderTableCall(table: Table): string {
  // A newline after `{` keeps one column (one option) a line: prettier leaves such an object expanded.
  const columns = table.columns.map((column) => `${propertyKey(column.name)}: ${renderColumn(table, column)},`);
  const options = renderTableOptions(table);
  const optionsText = options.length > 0 ? `, {\n${options.join(",\n")}\n}` : "";
  return `table(${str(table.name)}, {\n${columns.join("\n")}\n}${optionsText})`;
}

function renderColumn(table: Table, column: Column): string {
  const calls = [baseBuilder(column)];
  const key = table.primaryKey;
  if (key?.columns.length === 1 && key.columns[0] === column.name) {
    const options = [key.desc ? "desc: true" : "", key.onConflict ? conflictField(key.onConflict) : ""].filter(Boolean);
    if (options.length > 0) calls.push(`primaryKey({ ${options.join(", ")} })`);
    calls.push(key.autoincrement ? "autoincrement()" : options.length > 0 ? "" : "primaryKey()");
  }
  if (column.notNull) calls.push(`notNull(${conflictOption(column.notNullOnConflict)})`);
  const unique = singleColumnUniques(table).get(column.name);
  if (unique) calls.push(`unique(${conflictOption(unique.onConflict)})`);
  if (column.default) calls.push(renderDefault(column));
  if (column.check !== undefined) calls.push(`check(${str(column.check)}${column.checkName === undefined ? "" : `, { name: ${str(column.checkName)} }`})`);
  if (column.collate !== undefined) calls.push(`collate(${str(column.collate)})`);
  if (column.generated) calls.push(`generatedAs(${str(column.generated.expression)}${column.generated.stored ? ", { stored: true }" : ""})`);
  for (const foreignKey of table.foreignKeys) {
    if (foreignKey.columns.length === 1 && foreignKey.columns[0] === column.name) {
      calls.push(`references(${str(foreignKey.table)}, ${str(foreignKey.refColumns[0])}${renderActions(foreignKey, "{ ", " }", true)})`);
    }
  }
  if (column.description !== undefined) calls.push(`describe(${str(column.description)})`);
  if (column.deprecated !== undefined) calls.push(`deprecated(${str(column.deprecated)})`);
  if (column.renamedFrom !== undefined) calls.push(`renamedFrom(${str(column.renamedFrom)})`);
  return calls.filter(Boolean).join(".");
}

function baseBuilder(column: Column): string {
  // The declared type is given when it is not the affinity's name: `integer("BIGINT")`, `text("VARCHAR(255)")`.
  const declared = column.declaredType === undefined ? [] : [str(column.declaredType)];
  const call = (name: string, ...args: string[]) => `${name}(${[...args, ...declared].join(", ")})`;
  switch (column.logical) {
    case "boolean":
      return call("boolean");
    case "json":
      return column.tsType === undefined || column.tsType === "unknown"
        ? declared.length === 0
          ? "json()"
          : call("json", str("unknown"))
        : call("json", str(column.tsType));
    case "timestamp_iso":
      return declared.length === 0 ? "timestamp()" : call("timestamp", str("iso"));
    case "timestamp_unix":
      return call("timestamp", str("unix"));
    default:
      return call(column.type.toLowerCase());
  }
}

/** `.default(value)` when a JavaScript value renders back to exactly this SQL, `.defaultSql(...)` otherwise. */
function renderDefault(column: Column): string {
  const { sql, constant } = column.default!;
  if (constant) {
    if (sql === "NULL") return "default(null)";
    if (column.logical === "boolean" && (sql === "1" || sql === "0")) return `default(${sql === "1"})`;
    if (/^'(?:[^']|'')*'$/.test(sql)) return `default(${str(sql.slice(1, -1).replaceAll("''", "'"))})`;
    if (/^-?[0-9]/.test(sql) && Number.isFinite(Number(sql)) && sqlLiteral(Number(sql)) === sql) return `default(${sql})`;
    // An integer a number cannot hold (beyond 2^53) as a bigint, which keeps every digit.
    if (/^-?[1-9][0-9]*$/.test(sql) && BigInt.asIntN(64, BigInt(sql)) === BigInt(sql)) return `default(${sql}n)`;
  } else if (sql.startsWith("(") && sql.endsWith(")")) {
    // `.defaultSql("datetime('now')")`: the parentheses are added back when the inner text needs them.
    const inner = sql.slice(1, -1);
    if (normalizeDefaultSql(inner).sql === sql) return `defaultSql(${str(inner)})`;
  }
  return `defaultSql(${str(sql)})`;
}

/** `onConflict: "replace"`, lower case as schema files write it. */
function conflictField(algorithm: ConflictAlgorithm): string {
  return `onConflict: ${str(algorithm.toLowerCase())}`;
}

/** `{ onConflict: "replace" }` for a constraint with an ON CONFLICT clause, nothing otherwise. */
function conflictOption(algorithm: ConflictAlgorithm | undefined): string {
  return algorithm === undefined ? "" : `{ ${conflictField(algorithm)} }`;
}

/** The columns whose single-column UNIQUE is written `.unique()` (the first one); a repeated one stays in the table's options. */
function singleColumnUniques(table: Table): Map<string, Table["uniques"][number]> {
  const found = new Map<string, Table["uniques"][number]>();
  for (const unique of table.uniques) if (unique.columns.length === 1 && !found.has(unique.columns[0])) found.set(unique.columns[0], unique);
  return found;
}

function renderTableOptions(table: Table): string[] {
  const options: string[] = [];
  const list = (names: readonly string[]) => `[${names.map(str).join(", ")}]`;
  if (table.primaryKey && table.primaryKey.columns.length > 1) {
    const { columns, onConflict } = table.primaryKey;
    options.push(`primaryKey: ${onConflict === undefined ? list(columns) : `{ columns: ${list(columns)}, ${conflictField(onConflict)} }`}`);
  }
  const onColumn = new Set<string>();
  const composite = table.uniques.filter((unique) => {
    if (unique.columns.length > 1 || onColumn.has(unique.columns[0])) return true;
    onColumn.add(unique.columns[0]);
    return false;
  });
  const uniqueText = (unique: Table["uniques"][number]) =>
    unique.onConflict === undefined ? list(unique.columns) : `{ columns: ${list(unique.columns)}, ${conflictField(unique.onConflict)} }`;
  if (composite.length > 0) options.push(`unique: [${composite.map(uniqueText).join(", ")}]`);
  if (table.checks.length > 0) {
    const checks = table.checks.map((check) =>
      check.name === undefined ? str(check.expression) : `{ expression: ${str(check.expression)}, name: ${str(check.name)} }`,
    );
    options.push(`checks: [${checks.join(", ")}]`);
  }
  const foreignKeys = table.foreignKeys.filter((foreignKey) => foreignKey.columns.length > 1);
  if (foreignKeys.length > 0) {
    const rendered = foreignKeys.map(
      (foreignKey) =>
        `{ columns: ${list(foreignKey.columns)}, references: { table: ${str(foreignKey.table)}, columns: ${list(foreignKey.refColumns)} }${renderActions(foreignKey, ", ", "", false)} }`,
    );
    options.push(`foreignKeys: [${rendered.join(", ")}]`);
  }
  if (table.indexes.length > 0) options.push(`indexes: [\n${table.indexes.map(renderIndex).join(",\n")}\n]`);
  if (table.withoutRowid) options.push("withoutRowid: true");
  if (table.strict) options.push("strict: true");
  for (const key of ["description", "deprecated", "createdIn", "renamedFrom"] as const) {
    if (table[key] !== undefined) options.push(`${key}: ${str(table[key])}`);
  }
  return options;
}

/**
 * ` onDelete: "cascade"` and the like, lower case as schema files write them; NO ACTION (the default) omitted; the
 * constraint's name and `deferred: true` last.
 */
function renderActions(foreignKey: ForeignKey, before: string, after: string, leadingComma: boolean): string {
  const action = (value: ReferentialAction) => str(value.toLowerCase());
  const parts = [
    foreignKey.onDelete !== "NO ACTION" ? `onDelete: ${action(foreignKey.onDelete)}` : "",
    foreignKey.onUpdate !== "NO ACTION" ? `onUpdate: ${action(foreignKey.onUpdate)}` : "",
    foreignKey.name !== undefined ? `name: ${str(foreignKey.name)}` : "",
    foreignKey.deferred ? "deferred: true" : "",
  ].filter(Boolean);
  if (parts.length === 0) return "";
  return `${leadingComma ? ", " : ""}${before}${parts.join(", ")}${after}`;
}

function renderIndex(index: Index): string {
  const head = index.unique ? `uniqueIndex(${str(index.name)})` : `index(${str(index.name)})`;
  const where = index.where === undefined ? "" : `.where(${str(index.where)})`;
  return `${head}.on(${index.parts.map(renderIndexPart).join(", ")})${where}`;
}

function renderIndexPart(part: IndexPart): string {
  if ("expression" in part) return `expr(${str(part.expression)})`;
  if (part.collate === undefined && part.order === undefined) return str(part.column);
  if (part.collate === undefined && part.order === "DESC") return `desc(${str(part.column)})`;
  const fields = [`column: ${str(part.column)}`, part.order && `order: ${str(part.order)}`, part.collate && `collate: ${str(part.collate)}`].filter(Boolean);
  return `{ ${fields.join(", ")} }`;
}

function str(value: string): string {
  return JSON.stringify(value);
}
