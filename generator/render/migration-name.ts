// A descriptive migration name from its changes, in ClearLift's style: create_handoff_patterns,
// drop_legacy_tables, add_slug_to_conversion_goals. Long names are cut; --name overrides.
import { tableNameOf, type Change } from "../diff/changes.js";

const maxLength = 60;

export function deriveMigrationName(changes: readonly Change[]): string {
  const tables = [...new Set(changes.map(tableNameOf).map(fileWord))];
  const kinds = new Set(changes.map((change) => change.kind));
  const only = (...allowed: Change["kind"][]) => [...kinds].every((kind) => allowed.includes(kind));
  let name: string;
  const objectNames = changes.flatMap((change) => {
    if (change.kind === "createView" || change.kind === "dropView") return [change.view.name];
    if (change.kind === "createTrigger" || change.kind === "dropTrigger") return [change.trigger.name];
    if (change.kind === "createVirtualTable" || change.kind === "dropVirtualTable") return [change.table.name];
    return change.kind === "replaceView" || change.kind === "replaceTrigger" || change.kind === "replaceVirtualTable" ? [change.to.name] : [];
  });
  if (only("createTable", "createIndex", "createView", "createTrigger", "createVirtualTable") && kinds.has("createTable")) {
    name = `create_${listNames(
      [
        ...new Set(
          changes
            .filter((change) => change.kind === "createTable")
            .map(tableNameOf)
            .map(fileWord),
        ),
      ],
      "tables",
    )}`;
  } else if (only("createView", "createTrigger", "createVirtualTable")) {
    name = `create_${listNames(objectNames.map(fileWord), "views_and_triggers")}`;
  } else if (only("dropView", "dropTrigger", "dropVirtualTable")) {
    name = `drop_${listNames(objectNames.map(fileWord), "views_and_triggers")}`;
  } else if (
    only(
      "createView",
      "createTrigger",
      "dropView",
      "dropTrigger",
      "replaceView",
      "replaceTrigger",
      "createVirtualTable",
      "dropVirtualTable",
      "replaceVirtualTable",
    )
  ) {
    name = `replace_${listNames(objectNames.map(fileWord), "views_and_triggers")}`;
  } else if (only("dropTable")) {
    name = `drop_${listNames(tables, "tables")}`;
  } else if (only("renameTable")) {
    name = `rename_${listNames(tables, "tables")}`;
  } else if (only("createIndex")) {
    name = `add_indexes_to_${listNames(tables, "tables")}`;
  } else if (only("addColumn") && tables.length === 1) {
    const columns = changes.map((change) => (change.kind === "addColumn" ? fileWord(change.column.name) : ""));
    name = columns.length === 1 ? `add_${columns[0]}_to_${tables[0]}` : `add_columns_to_${tables[0]}`;
  } else if (only("dropColumn") && tables.length === 1) {
    name = `drop_columns_from_${tables[0]}`;
  } else {
    name = `alter_${listNames(tables, "tables")}`;
  }
  return name.length <= maxLength ? name : name.slice(0, maxLength).replace(/_+[^_]*$/, "");
}

function listNames(names: readonly string[], plural: string): string {
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]}_and_${names[1]}`;
  return `${names.length}_${plural}`;
}

/**
 * A table or column name as a part of a migration's file name, which holds lower-case letters, digits and `_` only
 * (project/migration-files.ts): `Kind-Tabelle` → `kind_tabelle`, `Ünïcödé` → `unicode`; accents are dropped, anything
 * else becomes `_`.
 */
function fileWord(name: string): string {
  if (/^[a-z0-9_]+$/.test(name)) return name;
  const word = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return word === "" ? "table" : word;
}
