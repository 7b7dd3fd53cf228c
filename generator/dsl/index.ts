// The schema language: everything a schema file imports.
export { blob, boolean, integer, json, numeric, real, text, timestamp, ColumnBuilder } from "./column.js";
export type { ActionName, ColumnSpec, ConflictName, DefaultSpec } from "./column.js";
export { desc, expr, index, uniqueIndex, IndexBuilder } from "./index-builder.js";
export { table, TableDefinition } from "./table.js";
export type { ForeignKeySpec, TableOptions } from "./table.js";
export { database, DatabaseDefinition } from "./database.js";
export type { DatabaseOptions } from "./database.js";
export type { NamedCheck } from "./table.js";
export { trigger, view, virtualTable, TriggerDefinition, ViewDefinition, VirtualTableDefinition } from "./objects.js";
export type { TriggerEvent, TriggerParts, TriggerTiming, ViewOptions } from "./objects.js";
