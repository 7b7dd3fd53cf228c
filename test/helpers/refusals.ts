// The refusals the planner may answer a random evolution with: a documented reason the case really has (checked
// by identity on the generator's spec), shared by the in-process and the CLI property tests.
import type { SqliteDatabase } from "../../generator/sqlite/apply.js";
import { tableById, type Schema, type Tbl } from "./arbitraries.js";

/** The documented reason when a refusal (its problem text, table and column) is one the case really calls for. */
export function refusalReason(problem: string, table: string | undefined, _column: string | undefined, prev: Schema, next: Schema): string | undefined {
  const nt = next.tables.find((t) => t.name === table);
  const pt = nt && tableById(prev, nt.id);
  if (/keeps none of its old columns/.test(problem)) {
    // A generated column made plain carries what it computed.
    const carried = nt?.cols.filter((c) => !c.gen && pt?.cols.some((o) => o.id === c.id));
    return pt && carried?.length === 0 ? "a rebuilt table keeps no old column" : undefined;
  }
  if (/form a cycle with ON DELETE RESTRICT/.test(problem)) return hasRestrictCycle(prev) ? "a RESTRICT cycle" : undefined;
  const ontoParent = /takes the name of table (\S+), which this migration drops, but table (\S+) \(kept\) references/.exec(problem);
  if (ontoParent)
    return keptChildFollowsName(ontoParent[1], ontoParent[2], nt, prev, next)
      ? "a kept table's references move to the table renamed onto its dropped parent's name"
      : undefined;
  return undefined;
}

/**
 * The documented reason when applying a migration failed with SQLite's "NOT NULL constraint failed: table.column" and
 * the case calls for it: the column is made (or added) NOT NULL with no default and no backfill, and `db` (still as
 * before: the failed file rolled back) has rows with no value for it. Undefined otherwise.
 */
export function failedApplyReason(message: string, prev: Schema, next: Schema, db: SqliteDatabase): string | undefined {
  // "table.column", either of which may hold spaces (any name SQLite accepts): matched against the schema's names.
  const failed = /NOT NULL constraint failed: (.+)$/m.exec(message)?.[1];
  const nt = next.tables.find((t) => t.cols.some((c) => `${t.name}.${c.name}` === failed));
  const col = nt?.cols.find((c) => `${nt.name}.${c.name}` === failed);
  const pt = nt && tableById(prev, nt.id);
  if (!col || !pt || !col.notNull || col.dflt !== undefined || col.gen) return undefined;
  const old = pt.cols.find((c) => c.id === col.id);
  if (old && old.notNull && !old.gen) return undefined;
  const count = (where: string) => (db.prepare(`SELECT count(*) AS n FROM "${pt.name}"${where}`).get() as { n: number }).n;
  if (old)
    return count(` WHERE "${old.name}" IS NULL`) > 0 ? "a column made NOT NULL without a default over rows holding NULL (the migration fails)" : undefined;
  return count("") > 0 ? "a new NOT NULL column without a default over existing rows (the migration fails)" : undefined;
}

/** True when the declared foreign keys form a cycle through two or more tables with a RESTRICT edge on it. */
export function hasRestrictCycle(s: Schema): boolean {
  const edges = (t: Tbl) => t.refs.filter((ref) => ref.declared && ref.table !== t.id);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const queue = [from];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      const t = tableById(s, id);
      if (t) queue.push(...edges(t).map((ref) => ref.table));
    }
    return false;
  };
  return s.tables.some((t) => edges(t).some((ref) => ref.onDelete === "RESTRICT" && reaches(ref.table, t.id)));
}

/**
 * True when table `renamed` (next) took the name of `dropped`, a table of `prev` that `next` no longer has, and
 * `child`, another table kept from `prev`, referenced `dropped` before and references `renamed` after: its rows
 * would have to leave one parent for another within one migration.
 */
function keptChildFollowsName(dropped: string, child: string, renamed: Tbl | undefined, prev: Schema, next: Schema): boolean {
  const gone = prev.tables.find((t) => t.name === dropped);
  const before = prev.tables.find((t) => t.name === child);
  const after = before && tableById(next, before.id);
  if (!renamed || !gone || tableById(next, gone.id) || !before || !after || after.id === renamed.id) return false;
  return before.refs.some((ref) => ref.declared && ref.table === gone.id) && after.refs.some((ref) => ref.declared && ref.table === renamed.id);
}
