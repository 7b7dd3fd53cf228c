// `drift`: a live database (a SQLite file or a SQL dump) against the schema. Every difference is said from the
// database's point of view (a missing table, an extra column, an index that differs) and explained when it can be:
// a pending migration (in the folder, not in the database's d1_migrations) that removes it, found by replaying the
// applied migrations plus the pending ones one by one; or no migration at all, which is drift made by hand.
import { describeChange, describeColumnAttribute, describeTableAttribute, type Change, type TableAttribute } from "../diff/changes.js";
import { diffDatabases } from "../diff/diff.js";
import { inBuiltColumnOrder } from "../diff/physical-order.js";
import { describeSource, openLiveDatabase, type LiveSource } from "../io/sql-dump.js";
import type { ProjectPaths } from "../io/paths.js";
import { canonicalJson } from "../model/canonical-json.js";
import type { Database, ForeignKey, Index, Table } from "../model/model.js";
import { openMemoryDatabase } from "../sqlite/apply.js";
import { MigrationReplayError, replayMigrations } from "../sqlite/replay.js";
import { introspectDatabase, type DatabaseIdentity } from "../sqlite/introspect.js";
import { sqlComparisonKey } from "../model/sql-lexer.js";
import { readAppliedMigrations } from "../wrangler/applied-migrations.js";
import type { ExistingMigration } from "../project/migration-files.js";
import { selectDatabases } from "../project/select-databases.js";
import { loadModels } from "../project/load-models.js";
import { readDatabaseState } from "../project/database-state.js";
import type { DriftKind, Finding } from "../model/finding.js";

export interface DriftOptions {
  /** The database (name or folder) under schema/. */
  database: string;
  source: LiveSource;
}

/**
 * - `pending`: a migration not yet applied to the database removes the difference: apply it.
 * - `drift`: the applied migrations would not leave it: made by hand; fix it by hand or adopt it with `pull`.
 * - `ungenerated`: every migration leaves it: the schema changed without `generate`.
 */
export type DifferenceStatus = "pending" | "drift" | "ungenerated";

/** One difference, a finding whose message is one line from the database's point of view. */
export interface Difference extends Finding<DriftKind> {
  /** Stable identity across databases, e.g. `missing column users.email`. */
  key: string;
  table: string;
  /** The column, index or constraint; the table's name for tables. */
  name: string;
  status: DifferenceStatus;
  /** For `pending`: the migration that removes it. */
  fixedBy?: string;
}

type DifferenceKind = "missing" | "extra" | "differs" | "renamed";
type DifferenceObject = "table" | "column" | "index" | "constraint" | "view" | "trigger";

export interface DriftReport {
  database: string;
  folder: string;
  source: string;
  /** Names recorded in the database's d1_migrations; null when it has no such table. */
  applied: string[] | null;
  /** Migrations of the folder the database has not recorded, in the order wrangler would apply them. */
  pending: string[];
  differences: Difference[];
  notes: string[];
}

export async function runDrift(paths: ProjectPaths, options: DriftOptions): Promise<DriftReport> {
  const [schema] = selectDatabases(await loadModels(paths.schemaDir), options.database);
  const identity: DatabaseIdentity = {
    name: schema.name,
    folder: schema.folder,
    bindings: schema.bindings,
    continueFrom: schema.continueFrom,
    ifNotExists: schema.ifNotExists,
  };
  const db = await openLiveDatabase(options.source, schema.name);
  let live: Database;
  let notes: string[];
  let appliedNames: string[] | undefined;
  try {
    ({ database: live, notes } = introspectDatabase(db, identity));
    appliedNames = readAppliedMigrations(db);
  } finally {
    db.close();
  }
  const state = await readDatabaseState(paths, schema);
  const recorded = new Set(appliedNames ?? []);
  const applied = state.migrations.filter((migration) => recorded.has(migration.fileName));
  const pending = state.migrations.filter((migration) => !recorded.has(migration.fileName));
  const inFolder = new Set(state.migrations.map((migration) => migration.fileName));
  for (const name of appliedNames ?? []) {
    if (!inFolder.has(name)) notes.push(`d1_migrations records ${name}, which is not in migrations/${schema.folder}/ (renamed or removed?)`);
  }
  if (appliedNames === undefined) notes.push("the database has no d1_migrations table: no migration counts as applied");

  const differences = differencesBetween(live, schema);
  const explained = explainDifferences(differences, schema, identity, applied, pending, notes);
  return {
    database: schema.name,
    folder: schema.folder,
    source: describeSource(options.source),
    applied: appliedNames ?? null,
    pending: pending.map((migration) => migration.fileName),
    differences: explained,
    notes,
  };
}

type Unexplained = Omit<Difference, "status" | "fixedBy" | "fix">;

/** What to do about a difference of each status (the CLI's section titles say the same). */
const fixes = {
  pending: "apply the pending migrations: npx wrangler d1 migrations apply",
  drift: "fix the database by hand, or adopt its shape with `d1-schema pull`",
  ungenerated: "run `d1-schema generate`",
} as const satisfies Record<DifferenceStatus, string>;

/**
 * Classifies each difference by replaying migrations on empty SQLite: the applied ones (what the database should
 * be), then each pending one in turn. A difference the applied replay does not have is drift; one that a pending
 * migration makes disappear is fixed by it; one that survives every migration is not generated yet.
 */
function explainDifferences(
  differences: Unexplained[],
  schema: Database,
  identity: DatabaseIdentity,
  applied: readonly ExistingMigration[],
  pending: readonly ExistingMigration[],
  notes: string[],
): Difference[] {
  if (differences.length === 0) return [];
  const db = openMemoryDatabase();
  const keysAfter = (): Set<string> => new Set(differencesBetween(introspectDatabase(db, identity).database, schema).map((difference) => difference.key));
  const files = (migrations: readonly ExistingMigration[]) => migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql }));
  const stages: { migration?: string; keys: Set<string> }[] = [];
  try {
    try {
      replayMigrations(db, files(applied));
    } catch (error) {
      if (!(error instanceof MigrationReplayError)) throw error;
      notes.push(`replaying the applied migrations fails (${error.reason}), so no difference can be traced to a migration`);
      return differences.map((difference) => ({ ...difference, status: "drift", fix: fixes.drift }));
    }
    stages.push({ keys: keysAfter() });
    try {
      replayMigrations(db, files(pending), (file) => stages.push({ migration: file.name, keys: keysAfter() }));
    } catch (error) {
      if (!(error instanceof MigrationReplayError)) throw error;
      notes.push(`replaying ${error.file} after the applied migrations fails: ${error.reason}`);
    }
  } finally {
    db.close();
  }
  return differences.map((difference): Difference => {
    if (!stages[0].keys.has(difference.key)) return { ...difference, status: "drift", fix: fixes.drift };
    const fixed = stages.find((stage) => !stage.keys.has(difference.key));
    return fixed
      ? { ...difference, status: "pending", fixedBy: fixed.migration, fix: `${fixes.pending} ${schema.name}` }
      : { ...difference, status: "ungenerated", fix: fixes.ungenerated };
  });
}

/** The differences between a database and the schema, from the database's point of view. */
function differencesBetween(live: Database, declared: Database): Unexplained[] {
  const aligned = alignSpelling(live, declared);
  // A column declared anywhere is added at the end: the order the database built is no difference. (Paired after
  // alignSpelling, which marks the hints the database has applied.)
  const schema = inBuiltColumnOrder(declared, aligned, new Set(), { strictHints: false });
  // A database behind its migrations has not seen the names that later hints give, so such a hint is no error here.
  const changes = diffDatabases(aligned, schema, { strictHints: false });
  const liveTables = new Map(aligned.tables.map((table) => [table.name, table]));
  const schemaTables = new Map(schema.tables.map((table) => [table.name, table]));
  const differences: Unexplained[] = [];
  const add = (kind: DifferenceKind, object: DifferenceObject, table: string, name: string, description: string) =>
    differences.push({
      severity: "error",
      kind: `${kind}-${object}`,
      database: schema.name,
      key: `${kind} ${object} ${object === "table" || object === "view" || object === "trigger" ? name : `${table}.${name}`}`,
      table,
      name,
      message: description,
    });
  const droppedIndexes = new Map(changes.flatMap((change) => (change.kind === "dropIndex" ? [[change.index.name, change.index] as const] : [])));
  for (const change of changes) describeDifference(change, add, liveTables, schemaTables, droppedIndexes);
  return differences;
}

type Add = (kind: DifferenceKind, object: DifferenceObject, table: string, name: string, description: string) => void;

function describeDifference(
  change: Change,
  add: Add,
  liveTables: Map<string, Table>,
  schemaTables: Map<string, Table>,
  droppedIndexes: Map<string, Index>,
): void {
  switch (change.kind) {
    case "createTable":
      return add("missing", "table", change.table.name, change.table.name, `missing table ${change.table.name}`);
    case "dropTable":
      return add("extra", "table", change.table.name, change.table.name, `extra table ${change.table.name} (not in the schema)`);
    case "renameTable":
      return add("renamed", "table", change.to, change.to, `table ${change.from} is ${change.to} in the schema (renamedFrom)`);
    case "addColumn":
      return add("missing", "column", change.table, change.column.name, `missing column ${change.table}.${change.column.name}`);
    case "dropColumn":
      return add("extra", "column", change.table, change.column.name, `extra column ${change.table}.${change.column.name} (not in the schema)`);
    case "renameColumn":
      return add("renamed", "column", change.table, change.to, `column ${change.table}.${change.from} is ${change.to} in the schema (renamedFrom)`);
    case "alterColumn":
      return add(
        "differs",
        "column",
        change.table,
        change.to.name,
        `column ${change.table}.${change.to.name} differs (database → schema): ${change.attributes.map((attribute) => describeColumnAttribute(attribute, change.from, change.to)).join(", ")}`,
      );
    case "alterTable":
      for (const attribute of change.attributes) {
        const what = describeTableAttribute(attribute);
        const detail = constraintDetail(attribute, liveTables.get(change.table)!, schemaTables.get(change.table)!);
        add("differs", "constraint", change.table, what, `table ${change.table} differs in its ${what}${detail ? ` (database → schema): ${detail}` : ""}`);
      }
      return;
    case "dropIndex":
      if (schemaTables.get(change.table)?.indexes.some((index) => index.name === change.index.name)) return; // said by createIndex
      return add(
        "extra",
        "index",
        change.table,
        change.index.name,
        `extra index ${change.index.name} on ${change.table} ${indexText(change.index)} (not in the schema)`,
      );
    case "createIndex": {
      const before = droppedIndexes.get(change.index.name);
      if (before) {
        return add(
          "differs",
          "index",
          change.table,
          change.index.name,
          `index ${change.index.name} on ${change.table} differs (database → schema): ${indexText(before)} → ${indexText(change.index)}`,
        );
      }
      return add("missing", "index", change.table, change.index.name, `missing index ${change.index.name} on ${change.table} ${indexText(change.index)}`);
    }
    case "createView":
      return add("missing", "view", change.view.name, change.view.name, `missing view ${change.view.name}`);
    case "dropView":
      return add("extra", "view", change.view.name, change.view.name, `extra view ${change.view.name} (not in the schema)`);
    case "replaceView":
      return add("differs", "view", change.to.name, change.to.name, `view ${change.to.name} differs from the schema's`);
    case "createTrigger":
      return add("missing", "trigger", change.trigger.table, change.trigger.name, `missing trigger ${change.trigger.name} on ${change.trigger.table}`);
    case "dropTrigger":
      return add(
        "extra",
        "trigger",
        change.trigger.table,
        change.trigger.name,
        `extra trigger ${change.trigger.name} on ${change.trigger.table} (not in the schema)`,
      );
    case "replaceTrigger":
      return add("differs", "trigger", change.to.table, change.to.name, `trigger ${change.to.name} on ${change.to.table} differs from the schema's`);
    case "createVirtualTable":
      return add("missing", "table", change.table.name, change.table.name, `missing virtual table ${change.table.name}`);
    case "dropVirtualTable":
      return add("extra", "table", change.table.name, change.table.name, `extra virtual table ${change.table.name} (not in the schema)`);
    case "replaceVirtualTable":
      return add("differs", "table", change.to.name, change.to.name, `virtual table ${change.to.name} differs from the schema's`);
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${describeChange(unknown)}`);
    }
  }
}

function indexText(index: Index): string {
  const parts = index.parts.map((part) =>
    "expression" in part ? `(${part.expression})` : [part.column, part.collate && `COLLATE ${part.collate}`, part.order].filter(Boolean).join(" "),
  );
  return `${index.unique ? "UNIQUE " : ""}(${parts.join(", ")})${index.where === undefined ? "" : ` WHERE ${index.where}`}`;
}

/** What exactly differs in a table constraint, as `missing ...; extra ...`. */
function constraintDetail(attribute: TableAttribute, live: Table, schema: Table): string | undefined {
  const setDifference = (render: (table: Table) => string[]) => {
    const ours = render(live);
    const theirs = render(schema);
    const missing = theirs.filter((item) => !ours.includes(item));
    const extra = ours.filter((item) => !theirs.includes(item));
    return [missing.length > 0 ? `missing ${missing.join(", ")}` : "", extra.length > 0 ? `extra ${extra.join(", ")}` : ""].filter(Boolean).join("; ");
  };
  switch (attribute) {
    case "primaryKey": {
      const key = (table: Table) =>
        table.primaryKey
          ? `(${table.primaryKey.columns.join(", ")})${table.primaryKey.desc ? " DESC" : ""}${table.primaryKey.onConflict ? ` ON CONFLICT ${table.primaryKey.onConflict}` : ""}${table.primaryKey.autoincrement ? " AUTOINCREMENT" : ""}`
          : "none";
      return `${key(live)} → ${key(schema)}`;
    }
    case "uniques":
      return setDifference((table) =>
        table.uniques.map((unique) => `UNIQUE (${unique.columns.join(", ")})${unique.onConflict ? ` ON CONFLICT ${unique.onConflict}` : ""}`),
      );
    case "checks":
      return setDifference((table) => table.checks.map((check) => `CHECK (${check.expression})`));
    case "foreignKeys":
      return setDifference((table) => table.foreignKeys.map(foreignKeyText));
    case "withoutRowid":
    case "strict": {
      const what = describeTableAttribute(attribute);
      const has = (table: Table) => (attribute === "strict" ? table.strict : table.withoutRowid);
      return `${has(live) ? what : `not ${what}`} → ${has(schema) ? what : `not ${what}`}`;
    }
    case "columnOrder":
      return undefined;
    default: {
      const unknown: never = attribute;
      throw new Error(`unknown table attribute ${String(unknown)}`);
    }
  }
}

function foreignKeyText(foreignKey: ForeignKey): string {
  const actions = [
    foreignKey.onDelete !== "NO ACTION" ? ` ON DELETE ${foreignKey.onDelete}` : "",
    foreignKey.onUpdate !== "NO ACTION" ? ` ON UPDATE ${foreignKey.onUpdate}` : "",
    foreignKey.deferred ? " DEFERRABLE INITIALLY DEFERRED" : "",
  ].join("");
  return `(${foreignKey.columns.join(", ")}) → ${foreignKey.table}(${foreignKey.refColumns.join(", ")})${actions}`;
}

/**
 * The live model with each SQL fragment spelled as the schema spells it when both mean the same (white space, case
 * of keywords and identifiers, redundant parentheses), so that only real differences remain. A database records no
 * `renamedFrom`: what it holds under a schema name is taken to carry that name's hint, as applied, so that a hint
 * whose old name is back in use (a swap, a re-added column) is not read as a rename still to make.
 */
function alignSpelling(live: Database, schema: Database): Database {
  const schemaTables = new Map(schema.tables.map((table) => [table.name, table]));
  const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && sqlComparisonKey(a) === sqlComparisonKey(b);
  const pick = (ours: string | undefined, theirs: string | undefined) => (same(ours, theirs) ? theirs : ours);
  return {
    ...live,
    tables: live.tables.map((table) => {
      const target = schemaTables.get(table.name);
      if (!target) return table;
      const targetColumns = new Map(target.columns.map((column) => [column.name, column]));
      const targetIndexes = new Map(target.indexes.map((index) => [index.name, index]));
      return {
        ...table,
        ...(target.renamedFrom !== undefined ? { renamedFrom: target.renamedFrom } : {}),
        columns: table.columns.map((column) => {
          const other = targetColumns.get(column.name);
          if (!other) return column;
          const aligned = { ...column, ...(other.renamedFrom !== undefined ? { renamedFrom: other.renamedFrom } : {}) };
          if (column.default && other.default && same(column.default.sql, other.default.sql)) aligned.default = other.default;
          if (column.check !== undefined) aligned.check = pick(column.check, other.check);
          if (column.collate !== undefined && column.collate.toUpperCase() === (other.collate ?? "").toUpperCase()) aligned.collate = other.collate;
          if (
            column.generated &&
            other.generated &&
            column.generated.stored === other.generated.stored &&
            same(column.generated.expression, other.generated.expression)
          ) {
            aligned.generated = other.generated;
          }
          return aligned;
        }),
        checks: table.checks.map((check) => target.checks.find((other) => same(check.expression, other.expression)) ?? check),
        indexes: table.indexes.map((index) => {
          const other = targetIndexes.get(index.name);
          if (!other || other.parts.length !== index.parts.length) return index;
          const parts = index.parts.map((part, position) => {
            const theirs = other.parts[position];
            if ("expression" in part) return "expression" in theirs && same(part.expression, theirs.expression) ? theirs : part;
            if (!("column" in theirs) || part.column.toLowerCase() !== theirs.column.toLowerCase()) return part;
            const collateMatches = (part.collate ?? "").toUpperCase() === (theirs.collate ?? "").toUpperCase();
            return collateMatches && (part.order ?? "ASC") === (theirs.order ?? "ASC") ? theirs : part;
          });
          const aligned: Index = { ...index, parts };
          if (index.where !== undefined && same(index.where, other.where)) aligned.where = other.where;
          return canonicalJson(aligned) === canonicalJson(other) ? other : aligned;
        }),
      };
    }),
  };
}
