// The proof of a new migration on the tables it touches. Replaying a whole migrations folder into one database is
// quadratic in its tables (SQLite rereads its schema after every CREATE), and at 1,000 tables it was most of a
// generate. When the snapshot vouches for itself (model/snapshot.ts snapshotVouches: its folder digest is the folder's, and its own
// digest is its content's, so it is exactly what a proven generate wrote for exactly this folder), the tables before
// the migration are the snapshot's: this builds only the tables the migration names and their foreign key
// neighbours (parents and children, before and after), applies the migration the D1 way, and holds the result to
// the new schema's tables built from nothing; every other table must have the same DDL before and after. Anything
// this cannot vouch for (an error, a difference) is left to the whole replay (generate-database.ts), which gives
// the authoritative answer and its message: this only ever saves work, never decides a failure.
import { tableNameOf, type Change } from "../diff/changes.js";
import { canonicalJson } from "../model/canonical-json.js";
import type { Database, Table } from "../model/model.js";
import { unchangedTables } from "../model/unchanged-tables.js";
import { planTableCreations } from "../plan/from-nothing.js";
import { tablesOfStep, type MigrationPlan } from "../plan/steps.js";
import { renderCreateIndex, renderCreateTable } from "../render/ddl.js";
import { renderStep } from "../render/statements.js";
import { applyLikeD1, openMemoryDatabase, type SqliteDatabase } from "../sqlite/apply.js";
import { proveDefaults } from "../sqlite/prove.js";
import { inspectTables } from "../sqlite/shape.js";

/** True when the migration, applied to the touched tables of `before`, gives exactly `after`'s tables. */
export function provenOnTouchedTables(before: Database, after: Database, migration: { sql: string; plan: MigrationPlan }, changes: readonly Change[]): boolean {
  // A view, trigger or virtual table may name any table: the whole replay builds and compares them.
  if (before.views || before.triggers || before.virtualTables || after.views || after.triggers || after.virtualTables) return false;
  const named = new Set<string>();
  for (const group of migration.plan.groups) for (const step of group.steps) for (const name of tablesOfStep(step)) named.add(name);
  for (const change of changes) {
    named.add(tableNameOf(change));
    if (change.kind === "renameTable") named.add(change.from);
  }
  // One set of names for both sides: a parent only the new schema points at must be there before the migration too.
  const touched = new Set([...named, ...withNeighbours(before, named), ...withNeighbours(after, named)]);
  const beforeSet = new Set(before.tables.filter((table) => touched.has(table.name)).map((table) => table.name));
  const afterSet = new Set(after.tables.filter((table) => touched.has(table.name)).map((table) => table.name));
  const beforeByName = new Map(before.tables.map((table) => [table.name, table]));
  const afterNames = new Set(after.tables.map((table) => table.name));
  // What the migration does not touch must be the same table on both sides, by the DDL that builds it (a table
  // equal to its old self has the same DDL: most of them, which the diff already found).
  const unchanged = unchangedTables(before, after);
  for (const table of after.tables) {
    if (afterSet.has(table.name) || unchanged.has(table.name)) continue;
    const old = beforeByName.get(table.name);
    if (!old || ddlOf(old) !== ddlOf(table)) return false;
  }
  if (before.tables.some((table) => !beforeSet.has(table.name) && !afterNames.has(table.name))) return false;

  const migrated = openMemoryDatabase();
  const expected = openMemoryDatabase();
  try {
    build(
      migrated,
      before.tables.filter((table) => beforeSet.has(table.name)),
    );
    applyLikeD1(migrated, migration.sql);
    const shapes = inspectTables(migrated);
    const migratedNames = new Set(shapes.map((shape) => shape.name));
    if ([...afterSet].some((name) => !migratedNames.has(name)) || [...migratedNames].some((name) => !afterNames.has(name))) return false;
    const tables = after.tables.filter((table) => migratedNames.has(table.name));
    build(expected, tables);
    // The new tables' defaults compile: the proof the whole-schema build gives, for the tables that changed.
    proveDefaults(
      expected,
      after,
      tables.map((table) => table.name),
    );
    return canonicalJson(shapes) === canonicalJson(inspectTables(expected));
  } catch {
    return false;
  } finally {
    migrated.close();
    expected.close();
  }
}

/**
 * The tables of `database` named in `names`, the tables that reference them (a rename or a drop rewrites or checks
 * those), and the parents of both (so that foreign key checks on any of them find their tables).
 */
function withNeighbours(database: Database, names: ReadonlySet<string>): Set<string> {
  const seeds = new Set(database.tables.filter((table) => names.has(table.name)).map((table) => table.name));
  const children = database.tables.filter((table) => table.foreignKeys.some((foreignKey) => seeds.has(foreignKey.table))).map((table) => table.name);
  const set = new Set([...seeds, ...children]);
  const existing = new Set(database.tables.map((table) => table.name));
  for (const table of database.tables) {
    if (!set.has(table.name)) continue;
    for (const foreignKey of table.foreignKeys) if (existing.has(foreignKey.table)) set.add(foreignKey.table);
  }
  return set;
}

function ddlOf(table: Table): string {
  return [renderCreateTable(table, { ifNotExists: false }), ...table.indexes.map((index) => renderCreateIndex(table, index, { ifNotExists: false }))].join(
    ";\n",
  );
}

function build(db: SqliteDatabase, tables: readonly Table[]): void {
  const statements = planTableCreations(tables, false).flatMap(({ steps }) => steps.map(renderStep));
  if (statements.length > 0) db.exec(statements.join(";\n"));
}
