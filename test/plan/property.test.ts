/**
 * The planner's central promise, checked on random cases: a generated migration, applied the way D1 applies it,
 * turns a database holding rows into exactly the new schema and loses no row of any table that is kept.
 *
 * Each case is a random schema A filled with random rows that satisfy its constraints, a random evolution B of it
 * (and sometimes a further evolution C), generated with the real pipeline (`History`) and applied on SQLite with
 * foreign keys on, one transaction per file. After each migration:
 *   - the shape (PRAGMAs) equals a database built from scratch from the new schema;
 *   - every row of every kept table is still there with its kept columns (renames mapped, values converted as the
 *     new column's type converts them: affinity, or CAST in a STRICT table; NULLs filled with the default where a
 *     column became NOT NULL), and with its rowid where the table has a hidden one before and after; columns added
 *     to it hold their default (or NULL); generated columns hold what their expression gives;
 *   - PRAGMA foreign_key_check and integrity_check are clean, no backup table is left behind, and no AUTOINCREMENT
 *     counter went down;
 *   - no migration file holds BEGIN, COMMIT, SAVEPOINT, ROLLBACK, RELEASE or PRAGMA foreign_keys (D1 owns the
 *     transaction and the foreign keys setting).
 * The planner may refuse an evolution only with a SchemaError for a documented reason that the case really has.
 *
 * PROPERTY_RUNS (default 200) and PROPERTY_SEED choose the cases; PROPERTY_PATH replays one shrunk counterexample.
 * On a failure, fast-check shrinks the random streams, then `minimize` shrinks the case itself (fewer tables, columns,
 * rows, constraints; changes reverted) while it fails the same way, and the error shows that minimal case: schema
 * A as DSL code, its rows as INSERTs, each evolution, and the migration SQL.
 *
 * PROPERTY_EXPLORE=1 runs PROPERTY_RUNS cases without stopping and prints every distinct kind of failure once,
 * minimized (PROPERTY_STATS=1 prints what the generators produced). PROPERTY_AVOID (see helpers/arbitraries.ts)
 * leaves out features that trigger a known bug, to look for the next one. By default it leaves out the features of
 * the bugs still open (listed there); PROPERTY_AVOID=none generates everything.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { diffDatabases } from "../../generator/diff/diff.js";
import { SchemaError } from "../../generator/model/errors.js";
import { planMigration } from "../../generator/plan/plan.js";
import { renderMigration } from "../../generator/render/migration.js";
import type { Database as Model } from "../../generator/model/model.js";
import {
  choiceStream,
  colById,
  evolve,
  genRows,
  genSchema,
  insertRows,
  reductions,
  RowsRejected,
  type Scenario,
  hasHiddenRowid,
  isConstantDefault,
  modelOfSchema,
  schemaSource,
  storageOf,
  tableById,
  type Dflt,
  type Schema,
  type Tbl,
} from "../helpers/arbitraries.js";
import { applyLikeD1, databaseFrom, foreignKeyViolations, History, openMemoryDatabase, shapeOf } from "../helpers/evolve.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 200);
const seed = Number(process.env.PROPERTY_SEED ?? 20_250_601);
const path = process.env.PROPERTY_PATH;

const caseArbitrary = fc.record({
  schema: choiceStream(400),
  rows: choiceStream(800),
  first: choiceStream(200),
  second: choiceStream(200),
  /** 0-4: one evolution; 5-9: two in a row. */
  steps: fc.nat({ max: 9 }),
});
type Case = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A failed property, with everything needed to reproduce it by hand. */
class CaseFailure extends Error {}

type SqliteDb = ReturnType<typeof openMemoryDatabase>;

/** Scratch database that computes how SQLite converts values on their way into a column. */
const scratch = new Database(":memory:");
afterAll(() => scratch.close());

const stats = { cases: 0, refused: new Map<string, number>(), steps: 0, rebuilds: 0, migrations: 0, rows: 0, ops: new Map<string, number>() };

/** Counts the kinds of evolution operations, for PROPERTY_STATS. */
function countOps(ops: readonly string[]): void {
  for (const op of ops) stats.ops.set(op, (stats.ops.get(op) ?? 0) + 1);
}

describe("planner property: random schemas, evolutions and rows", () => {
  it.skipIf(process.env.PROPERTY_EXPLORE)(
    `keeps every row and reaches the new schema (${runs} runs, seed ${seed})`,
    () => {
      const details = fc.check(
        fc.property(caseArbitrary, (c) => runScenario(scenarioOf(c))),
        { numRuns: runs, seed, path, endOnFailure: false },
      );
      if (details.failed) {
        // fast-check shrank the random streams; shrink the case itself further, keeping the same failure.
        const scenario = scenarioOf(details.counterexample![0]);
        const failure = failureOf(scenario)!;
        const minimal = minimize(scenario, failure.signature, 60_000);
        throw new Error(
          [
            `Property failed after ${details.numRuns} runs (seed ${details.seed}, replay with PROPERTY_SEED=${details.seed} PROPERTY_PATH=${details.counterexamplePath}).`,
            `Minimized case:`,
            failureOf(minimal)?.report ?? failure.report,
          ].join("\n"),
        );
      }
      if (process.env.PROPERTY_STATS) console.log(stats);
      // The generators must mostly produce migrations the planner accepts, with rows to carry.
      expect(stats.migrations).toBeGreaterThan(runs * 0.8);
      expect(stats.rows).toBeGreaterThan(runs * 5);
    },
    Math.max(300_000, runs * 3_000),
  );

  // PROPERTY_EXPLORE=1: run the cases without stopping and print each distinct kind of failure once, minimized,
  // to see every bug at once instead of the first.
  it.runIf(process.env.PROPERTY_EXPLORE)(
    "explore",
    () => {
      const failures = new Map<string, { count: number; scenario: Scenario }>();
      const started = Date.now();
      for (const c of fc.sample(caseArbitrary, { numRuns: runs, seed })) {
        const scenario = scenarioOf(c);
        const failure = failureOf(scenario);
        if (!failure) continue;
        const known = failures.get(failure.signature);
        if (known) known.count += 1;
        else failures.set(failure.signature, { count: 1, scenario });
      }
      console.log(`ran ${runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; ${failures.size} kinds of failure`);
      for (const [signature, { count, scenario }] of failures) {
        const minimal = minimize(scenario, signature);
        console.log(`#### ${count}× ${signature}\n${failureOf(minimal)?.report}\n`);
      }
      console.log(stats);
    },
    3_600_000,
  );
});

/** The scenario a case's streams describe: schema A, its rows, and one or two evolutions. */
function scenarioOf(c: Case): Scenario {
  const schemas = [genSchema(c.schema)];
  for (const stream of c.steps >= 5 ? [c.first, c.second] : [c.first]) {
    const { next, ops } = evolve(schemas[schemas.length - 1], stream);
    countOps(ops);
    schemas.push(next);
  }
  return { schemas, rows: genRows(schemas[0], c.rows) };
}

/** The failure of a scenario, with a signature that groups failures of the same kind; undefined when it passes. */
function failureOf(scenario: Scenario): { signature: string; report: string } | undefined {
  try {
    runScenario(scenario);
    return undefined;
  } catch (error) {
    const report = error instanceof Error ? error.message : String(error);
    const [what, detail = ""] = report.split("\n");
    const normalized = detail.replace(/"[^"]*"/g, "#").replace(/\b[tci]\d+\b/g, "#").replace(/\d{4}_\w+\.sql/, "#.sql").replace(/\d+/g, "N");
    return { signature: `${what} | ${normalized.slice(0, 160)}`, report };
  }
}

/** Greedy reduction of a failing scenario to a smaller one that fails with the same signature. */
function minimize(scenario: Scenario, signature: string, budgetMs = 120_000): Scenario {
  const deadline = Date.now() + budgetMs;
  let best = scenario;
  let start = 0;
  for (;;) {
    const candidates = [...reductions(best)];
    let found = -1;
    for (let at = start; at < candidates.length && Date.now() < deadline; at++) {
      if (failureOf(candidates[at])?.signature === signature) {
        found = at;
        break;
      }
    }
    if (found >= 0) {
      best = candidates[found];
      start = Math.max(0, found - 1);
    } else if (start > 0 && Date.now() < deadline) {
      start = 0;
    } else {
      return best;
    }
  }
}

function runScenario({ schemas, rows }: Scenario): void {
  stats.cases += 1;
  const report: string[] = [];
  const fail = (what: string, detail: string): never => {
    throw new CaseFailure([what, detail, "", ...report].join("\n"));
  };

  const [schemaA, ...evolutions] = schemas;
  report.push("=== schema A ===", schemaSource(schemaA));
  const modelA = buildModel(schemaA, fail);
  const history = new History();
  let first;
  try {
    first = history.step(modelA);
  } catch (error) {
    return fail("generating schema A from scratch throws", describeError(error));
  }
  const db = openMemoryDatabase();
  try {
    checkNoTransactionStatements(first.migration!.sql, fail);
    applyLikeD1(db, first.migration!.sql);
    let inserts: string[];
    try {
      inserts = insertRows(db, schemaA, rows);
    } catch (error) {
      if (error instanceof RowsRejected) return fail("rows do not fit schema A (a generator bug)", error.message);
      throw error;
    }
    report.push("=== rows ===", ...inserts);
    stats.rows += inserts.length;

    let prev = schemaA;
    for (const next of evolutions) {
      report.push(`=== evolution ===`, schemaSource(next));
      if (migrateStep(db, history, prev, next, report, fail) === "refused") return;
      prev = next;
    }
  } finally {
    db.close();
  }
}

function buildModel(s: Schema, fail: (what: string, detail: string) => never): Model {
  try {
    return modelOfSchema(s);
  } catch (error) {
    return fail("the generated schema is invalid (a generator bug, or validation rejects a valid schema)", describeError(error));
  }
}

function migrateStep(
  db: SqliteDb,
  history: History,
  prev: Schema,
  next: Schema,
  report: string[],
  fail: (what: string, detail: string) => never,
): "applied" | "refused" {
  stats.steps += 1;
  const model = buildModel(next, fail);
  const expected = expectedState(db, prev, next);
  let generation;
  try {
    generation = history.step(model, { allowDestructive: true });
  } catch (error) {
    const reason = error instanceof SchemaError ? justifiedRefusal(error, prev, next) : undefined;
    if (reason) {
      stats.refused.set(reason, (stats.refused.get(reason) ?? 0) + 1);
      return "refused";
    }
    const planned = plannedMigration(history.last?.database, model);
    if (planned) report.push("=== the migration it planned (not proved) ===", planned);
    return fail("generate throws (not a documented refusal that this case calls for)", describeError(error));
  }
  const sql = generation.migration?.sql;
  if (sql !== undefined) {
    stats.migrations += 1;
    if (sql.includes("__d1s_backup_")) stats.rebuilds += 1;
    report.push(`=== migration ${generation.migration!.fileName} ===`, sql);
    checkNoTransactionStatements(sql, fail);
    if (generation.fresh !== undefined) checkNoTransactionStatements(generation.fresh, fail);
    try {
      applyLikeD1(db, sql);
    } catch (error) {
      return fail("the migration fails on SQLite holding the rows", describeError(error));
    }
  } else {
    report.push("=== no migration (no changes) ===");
  }

  const actualShape = JSON.stringify(shapeOf(db));
  const fresh = databaseFrom(model);
  const wantedShape = JSON.stringify(shapeOf(fresh));
  fresh.close();
  if (actualShape !== wantedShape) fail("the migrated database's shape differs from the schema built from scratch", shapeDiff(actualShape, wantedShape));

  for (const table of expected) {
    const actual = readRows(db, table.name, table.read, table.rowid);
    if (JSON.stringify(actual) !== JSON.stringify(table.rows)) {
      fail(`rows of ${table.name} changed`, rowsDiff(table.rows, actual));
    }
    if (table.sequence !== undefined) {
      const after = sequenceOf(db, table.name);
      if (after === undefined || after < table.sequence) {
        fail(`the AUTOINCREMENT counter of ${table.name} went down`, `before: ${table.sequence}, after: ${after ?? "(none)"}`);
      }
    }
  }
  // Generated columns must compute what the new schema says (the shape does not show their expressions).
  for (const t of next.tables) {
    for (const col of t.cols) {
      if (!col.gen) continue;
      const source = colById(t, col.gen.from).name;
      const wrong = db.prepare(`SELECT count(*) AS n FROM "${t.name}" WHERE "${col.name}" IS NOT coalesce(length("${source}"), -1)`).get() as { n: number };
      if (wrong.n > 0) fail(`generated column ${t.name}.${col.name} holds values its expression does not give`, `${wrong.n} rows`);
    }
  }
  const violations = foreignKeyViolations(db);
  if (violations.length > 0) fail("PRAGMA foreign_key_check reports violations", JSON.stringify(violations));
  const integrity = db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0].integrity_check !== "ok") fail("PRAGMA integrity_check fails", JSON.stringify(integrity));
  const leftovers = db.prepare("SELECT name FROM sqlite_schema WHERE substr(name, 1, 6) = '__d1s_'").all();
  if (leftovers.length > 0) fail("the migration leaves its backup tables behind", JSON.stringify(leftovers));
  return "applied";
}

// ---------------------------------------------------------------------------------------------------------------
// The rows a kept table must hold after the migration
// ---------------------------------------------------------------------------------------------------------------

interface ExpectedTable {
  name: string;
  /** The kept columns, then the added ones with a constant default or none, under their new names. */
  read: string[];
  rowid: boolean;
  /** Rows as JSON arrays of quote()d values ([rowid, ...columns]), sorted. */
  rows: string[];
  sequence?: number;
}

/**
 * Reads every kept table before the migration and converts its values the way the new columns store them. The
 * conversion is SQLite's own: the values are inserted into a scratch table with the new columns' types.
 */
function expectedState(db: SqliteDb, prev: Schema, next: Schema): ExpectedTable[] {
  const tables: ExpectedTable[] = [];
  for (const nt of next.tables) {
    const pt = tableById(prev, nt.id);
    if (!pt) continue;
    // Generated columns compute their values; every other column kept by the evolution must carry its values, and
    // a column added to the table holds its default (or NULL) in every row, unless the default is an expression.
    // A column that becomes NOT NULL with an expression default (randomblob(2), CURRENT_TIMESTAMP) gets
    // unpredictable values where it held NULL; the shape checks it is NOT NULL, the row count that no row is lost.
    const kept = nt.cols.filter((col) => {
      const old = pt.cols.find((c) => c.id === col.id);
      if (!old || old.gen || col.gen) return false;
      return !(col.notNull && !old.notNull && col.dflt !== undefined && !isConstantDefault(col.dflt));
    });
    const added = nt.cols.filter((col) => !col.gen && !pt.cols.some((old) => old.id === col.id) && (col.dflt === undefined || isConstantDefault(col.dflt)));
    const rowid = hasHiddenRowid(pt) && hasHiddenRowid(nt);
    const before = readRowsUnsorted(db, pt.name, kept.map((col) => colById(pt, col.id).name), rowid);
    const columns = [...kept, ...added];
    let converted = before;
    if (columns.length > 0 && before.length > 0) {
      const types = columns.map((col) => storageOf[col.kind]);
      scratch.exec(`DROP TABLE IF EXISTS expected; CREATE TABLE expected (${types.map((type, at) => `k${at} ${type}`).join(", ")})${nt.strict ? " STRICT" : ""}`);
      for (const row of before) {
        const values = rowid ? row.slice(1) : row;
        const expressions = kept.map((col, at) => {
          const old = colById(pt, col.id);
          let expression = values[at];
          if (nt.strict && storageOf[old.kind] !== storageOf[col.kind]) expression = `CAST(${expression} AS ${storageOf[col.kind]})`;
          if (!old.notNull && col.notNull && col.dflt) expression = `IFNULL(${expression}, ${defaultSql(col.dflt)})`;
          return expression;
        });
        expressions.push(...added.map((col) => (col.dflt ? defaultSql(col.dflt) : "NULL")));
        scratch.exec(`INSERT INTO expected VALUES (${expressions.join(", ")})`);
      }
      const out = scratch.prepare(`SELECT ${columns.map((_, at) => `quote(k${at})`).join(", ")} FROM expected ORDER BY rowid`).raw().all() as string[][];
      converted = before.map((row, at) => (rowid ? [row[0], ...out[at]] : out[at]));
    }
    const sequence = pt.pk?.autoinc && nt.pk?.autoinc ? sequenceOf(db, pt.name) : undefined;
    tables.push({ name: nt.name, read: columns.map((col) => col.name), rowid, rows: converted.map((row) => JSON.stringify(row)).sort(), sequence });
  }
  return tables;
}

function defaultSql(dflt: Dflt): string {
  if ("sql" in dflt) return `(${dflt.sql})`;
  if (typeof dflt.value === "boolean") return dflt.value ? "1" : "0";
  if (typeof dflt.value === "number") return String(dflt.value);
  return `'${dflt.value.replaceAll("'", "''")}'`;
}

function readRowsUnsorted(db: SqliteDb, table: string, columns: string[], rowid: boolean): string[][] {
  const selected = [...(rowid ? ["quote(_rowid_)"] : []), ...columns.map((name) => `quote("${name}")`)];
  if (selected.length === 0) selected.push("1");
  const rows = db.prepare(`SELECT ${selected.join(", ")} FROM "${table}"`).raw().all() as string[][];
  return selected[0] === "1" && columns.length === 0 && !rowid ? rows.map(() => []) : rows;
}

function readRows(db: SqliteDb, table: string, columns: string[], rowid: boolean): string[] {
  return readRowsUnsorted(db, table, columns, rowid)
    .map((row) => JSON.stringify(row))
    .sort();
}

function sequenceOf(db: SqliteDb, table: string): number | undefined {
  const hasSequence = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get();
  if (!hasSequence) return undefined;
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").get(table) as { seq: number } | undefined;
  return row?.seq;
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------------------------

/** The documented reason when the planner's refusal is one the case really calls for; undefined otherwise. */
function justifiedRefusal(error: SchemaError, prev: Schema, next: Schema): string | undefined {
  const nt = next.tables.find((t) => t.name === error.table);
  const pt = nt && tableById(prev, nt.id);
  const col = nt?.cols.find((c) => c.name === error.column);
  const old = col && pt?.cols.find((c) => c.id === col.id);
  if (/becomes NOT NULL without a default/.test(error.problem)) {
    return old && !old.notNull && col.notNull && col.dflt === undefined ? "a column becomes NOT NULL without a default" : undefined;
  }
  if (/is a new NOT NULL column without a default/.test(error.problem)) {
    return pt && col && !old && col.notNull && col.dflt === undefined ? "a new NOT NULL column without a default" : undefined;
  }
  if (/keeps none of its old columns/.test(error.problem)) {
    const carried = nt?.cols.filter((c) => !c.gen && pt?.cols.some((o) => o.id === c.id && !o.gen));
    return pt && carried?.length === 0 ? "a rebuilt table keeps no old column" : undefined;
  }
  if (/form a cycle with ON DELETE RESTRICT/.test(error.problem)) {
    return hasRestrictCycle(prev) ? "a RESTRICT cycle" : undefined;
  }
  return undefined;
}

/** True when the declared foreign keys form a cycle through two or more tables with a RESTRICT edge on it. */
function hasRestrictCycle(s: Schema): boolean {
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

// ---------------------------------------------------------------------------------------------------------------
// Reports

/** The SQL the planner would write from `from` to `to`, without the proof that generate runs; for reports. */
function plannedMigration(from: Model | undefined, to: Model): string | undefined {
  if (!from) return undefined;
  try {
    const changes = diffDatabases(from, to);
    return renderMigration(to, "planned.sql", changes, planMigration(from, to, changes));
  } catch {
    return undefined;
  }
}
// ---------------------------------------------------------------------------------------------------------------

/** Statements D1 forbids in a migration file: it runs the file in its own transaction with foreign keys on. */
function checkNoTransactionStatements(sql: string, fail: (what: string, detail: string) => never): void {
  const statements = sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(";")
    .map((statement) => statement.trim())
    .filter(Boolean);
  for (const statement of statements) {
    if (/^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(statement) || /\bPRAGMA\s+foreign_keys\b/i.test(statement)) {
      fail("a migration file controls the transaction or the foreign keys setting", statement);
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack?.split("\n").slice(1, 6).join("\n") ?? ""}`;
  return String(error);
}

function shapeDiff(actual: string, wanted: string): string {
  const a = JSON.parse(actual) as { name: string }[];
  const w = JSON.parse(wanted) as { name: string }[];
  const lines: string[] = [];
  for (const name of [...new Set([...a, ...w].map((t) => t.name))].sort()) {
    const at = JSON.stringify(a.find((t) => t.name === name) ?? null);
    const wt = JSON.stringify(w.find((t) => t.name === name) ?? null);
    if (at !== wt) lines.push(`table ${name}:`, `  migrated:     ${at}`, `  from scratch: ${wt}`);
  }
  return lines.join("\n");
}

function rowsDiff(expected: string[], actual: string[]): string {
  const missing = expected.filter((row) => !actual.includes(row));
  const extra = actual.filter((row) => !expected.includes(row));
  return [`expected ${expected.length} rows, found ${actual.length}`, `missing: ${missing.join(" ")}`, `unexpected: ${extra.join(" ")}`].join("\n");
}
