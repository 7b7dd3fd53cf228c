/**
 * The planner's central promise, checked on random cases: a generated migration, applied the way D1 applies it,
 * turns a database holding rows into exactly the new schema, loses no row of any table that is kept, and destroys
 * data only where generate said it would (and refused to without --allow-destructive).
 *
 * Each case (helpers/arbitraries.ts) is a random schema A filled with random rows that satisfy its constraints,
 * then one to four random evolutions of it (one in half the cases, four in a tenth), each generated with the real
 * pipeline (`History`: snapshot, folder, proof) and applied on SQLite with foreign keys on, one transaction per file.
 *   - Schemas: 1-5 tables (rowid, INTEGER/AUTOINCREMENT/TEXT/composite keys, PRIMARY KEY DESC (an INTEGER one is
 *     not the rowid), WITHOUT ROWID, STRICT), columns of every DSL kind with NOT NULL, defaults (literal and
 *     expression), UNIQUE, CHECKs, ON CONFLICT clauses of every algorithm on keys, UNIQUEs and NOT NULLs,
 *     VIRTUAL/STORED generated columns, foreign keys (composite, self, with every action), plain/unique/partial/
 *     expression indexes.
 *   - Rows: up to 8 a table, drawn so every constraint holds, links pointing at parent rows; among the values NUL
 *     characters in text and blobs, integers at ±2^63, astral, combining and right-to-left text, NULL in a rowid
 *     table's non-INTEGER primary key, and rarely a 1 MB text or blob.
 *   - Evolutions (1-6 operations each): add/drop/rename tables and columns, type, NOT NULL, default, UNIQUE,
 *     CHECK, index, STRICT, WITHOUT ROWID, foreign key and primary key changes, generated columns added, changed,
 *     made plain or made from a plain column; and names that come back: two tables or columns swap names, three
 *     rotate them, a new one takes the old name of a renamed one, a renamed one takes the name of a dropped one.
 *     Renames are said with renamedFrom hints, which stay in the schema in later steps (and are sometimes removed).
 *   - A quarter of the cases run each step without --allow-destructive first.
 * After each migration:
 *   - the shape (PRAGMAs) equals a database built from scratch from the new schema;
 *   - every row of every kept table is still there with its kept columns, matched by identity, not by name (renames
 *     and swaps mapped), values converted as the new column's type converts them (affinity, or CAST in a STRICT
 *     table; NULLs filled with the default where a column became NOT NULL), compared exactly (integer digits, REAL
 *     vs INTEGER, text with NULs, blob bytes), and with its rowid where the table has a hidden one before and after;
 *     a generated column made plain holds what its expression computed; columns added hold their default (or NULL);
 *     generated columns hold what their expression gives;
 *   - PRAGMA foreign_key_check and integrity_check are clean, no backup table is left behind, and no AUTOINCREMENT
 *     counter went down;
 *   - no migration file holds BEGIN, COMMIT, SAVEPOINT, ROLLBACK, RELEASE or PRAGMA foreign_keys (D1 owns the
 *     transaction and the foreign keys setting);
 *   - the plan's list of destructive changes names every loss the step has, found by identity (a dropped table or
 *     column, a plain column made generated, a type change that some value does not survive) and nothing that is
 *     no loss (a renamed or swapped object, a generated column made plain); a narrowing whose values all survive
 *     and a dropped generated column may be listed. Without --allow-destructive, generate refuses exactly when
 *     that list is not empty, naming it; the same step then passes with it, listing the same losses.
 * The planner may refuse an evolution only with a SchemaError for a documented reason that the case really has.
 *
 * PROPERTY_RUNS (default 200) and PROPERTY_SEED choose the cases; PROPERTY_PATH replays one shrunk counterexample.
 * On a failure, fast-check shrinks the random streams, then `minimize` shrinks the case itself (fewer tables, columns,
 * rows, constraints; changes reverted) while it fails the same way, and the error shows that minimal case: schema
 * A as DSL code, its rows as INSERTs, each evolution, and the migration SQL.
 *
 * PROPERTY_EXPLORE=1 runs PROPERTY_RUNS cases without stopping and prints every distinct kind of failure once,
 * minimized (PROPERTY_STATS=1 prints what the generators produced, and where the time went). PROPERTY_AVOID (see
 * helpers/arbitraries.ts) leaves out features that trigger a known bug, to look for the next one. By default it
 * leaves out the features of the bugs still open (listed there); PROPERTY_AVOID=none generates everything.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { diffSchemas } from "../../generator/diff/diff.js";
import { SchemaError } from "../../generator/model/errors.js";
import { describeLoss as renderLoss } from "../../generator/plan/losses.js";
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
  type Schema,
} from "../helpers/arbitraries.js";
import { applyLikeD1, databaseFromScratch, foreignKeyViolations, History, openMemoryDatabase, shapeOf } from "../helpers/evolve.js";
import { Conversions, encodeValue, readExactRows, shortRow, type SqlValue } from "../helpers/exact-values.js";
import { failedApplyReason, refusalReason } from "../helpers/refusals.js";
import { expectedTables, type ExpectedTable } from "../helpers/expected-rows.js";
import { columnKey, compareDestructiveList, describeLoss, lossesOf, refusedLosses, type Loss } from "../helpers/losses.js";

const runs = Number(process.env.PROPERTY_RUNS ?? 200);
const seed = Number(process.env.PROPERTY_SEED ?? 20_250_601);
const path = process.env.PROPERTY_PATH;

const caseArbitrary = fc.record({
  schema: choiceStream(400),
  rows: choiceStream(800),
  evolutions: fc.tuple(choiceStream(200), choiceStream(200), choiceStream(200), choiceStream(200)),
  /** How many evolutions: 0-9 one, 10-14 two, 15-17 three, 18-19 four. */
  steps: fc.nat({ max: 19 }),
  /** 3: each step runs generate without --allow-destructive first. */
  mode: fc.nat({ max: 3 }),
});
type Case = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

const stepCount = (steps: number) => (steps <= 9 ? 1 : steps <= 14 ? 2 : steps <= 17 ? 3 : 4);

/** A failed property, with everything needed to reproduce it by hand. */
class CaseFailure extends Error {}

type SqliteDb = ReturnType<typeof openMemoryDatabase>;

/** Scratch database that computes how SQLite converts values on their way into a column. */
const conversions = new Conversions();
afterAll(() => conversions.close());

const stats = {
  cases: 0,
  /** Cases by number of evolutions, and cases run without --allow-destructive. */
  evolutions: new Map<number, number>(),
  refusalMode: 0,
  /** Steps refused for a documented reason (not data loss), by reason. */
  refused: new Map<string, number>(),
  steps: 0,
  rebuilds: 0,
  migrations: 0,
  rows: 0,
  /** Rows inserted holding each kind of edge value. */
  edgeRows: new Map<string, number>(),
  ops: new Map<string, number>(),
  /** Losses by kind, and destructive steps: refused without --allow-destructive, then passed with it. */
  losses: new Map<string, number>(),
  refusedDestructive: 0,
  passedAfterRefusal: 0,
  /** Milliseconds spent per part of the check. */
  ms: new Map<string, number>(),
};

function timed<T>(part: string, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    stats.ms.set(part, Math.round((stats.ms.get(part) ?? 0) + performance.now() - started));
  }
}

const count = (map: Map<string | number, number>, key: string | number) => map.set(key, (map.get(key) ?? 0) + 1);

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

/** The scenario a case's streams describe: schema A, its rows, its evolutions, and whether generate may destroy. */
function scenarioOf(c: Case): Scenario {
  const schemas = [genSchema(c.schema)];
  for (const stream of c.evolutions.slice(0, stepCount(c.steps))) {
    const { next, ops } = evolve(schemas[schemas.length - 1], stream);
    for (const op of ops) count(stats.ops, op);
    schemas.push(next);
  }
  return { schemas, rows: genRows(schemas[0], c.rows), refuse: c.mode === 3 };
}

/** The failure of a scenario, with a signature that groups failures of the same kind; undefined when it passes. */
function failureOf(scenario: Scenario): { signature: string; report: string } | undefined {
  try {
    runScenario(scenario);
    return undefined;
  } catch (error) {
    const report = error instanceof Error ? error.message : String(error);
    const [what, detail = ""] = report.split("\n");
    // Names (quoted, generated, dotted) and numbers vary between cases that fail the same way.
    const normalize = (text: string) =>
      text
        .replace(/"[^"]*"/g, "#")
        .replace(/\d{4}_\w+\.sql/, "#.sql")
        .replace(/\b\w+(\.\w+)+\b/g, "#.#")
        .replace(/\b[tci]\d+\b/g, "#")
        .replace(/\b(of|table) \w+/g, "$1 #")
        .replace(/\d+/g, "N");
    return { signature: `${normalize(what)} | ${normalize(detail).slice(0, 160)}`, report };
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

type Fail = (what: string, detail: string) => never;

function runScenario({ schemas, rows, refuse = false }: Scenario): void {
  stats.cases += 1;
  count(stats.evolutions, schemas.length - 1);
  if (refuse) stats.refusalMode += 1;
  const report: string[] = [];
  const fail: Fail = (what, detail) => {
    throw new CaseFailure([what, detail, "", ...report].join("\n"));
  };

  const [schemaA, ...evolutions] = schemas;
  report.push(`=== schema A${refuse ? " (each step generated without --allow-destructive first)" : ""} ===`, schemaSource(schemaA));
  const modelA = timed("build models", () => buildModel(schemaA, fail));
  const history = new History();
  let first;
  try {
    first = timed("generate", () => history.step(modelA, { allowDestructive: !refuse }));
  } catch (error) {
    return fail("generating schema A from scratch throws", describeError(error));
  }
  const db = openMemoryDatabase();
  try {
    checkNoTransactionStatements(first.migration!.sql, fail);
    applyLikeD1(db, first.migration!.sql);
    let inserts: string[];
    try {
      inserts = timed("insert rows", () => insertRows(db, schemaA, rows));
    } catch (error) {
      if (error instanceof RowsRejected) return fail("rows do not fit schema A (a generator bug)", error.message);
      throw error;
    }
    report.push("=== rows ===", ...inserts);
    stats.rows += inserts.length;
    countEdgeRows(db, schemaA, inserts);

    let prev = schemaA;
    for (const next of evolutions) {
      report.push(`=== evolution ===`, schemaSource(next));
      if (migrateStep(db, history, prev, next, refuse, report, fail) === "refused") return;
      prev = next;
    }
  } finally {
    db.close();
  }
}

/** Counts, for PROPERTY_STATS, the inserted rows that hold each kind of edge value. */
function countEdgeRows(db: SqliteDb, s: Schema, inserts: readonly string[]): void {
  const kinds: [string, RegExp][] = [
    ["NUL", /char\(0\)|X'0000FF00'/],
    ["1 MB", /printf\('%\.\*c'/],
    ["near ±2^63", /922337203685\d{7}/],
    ["astral, combining or RTL text", /😀|\u0301|\u202E/],
  ];
  for (const insert of inserts) for (const [kind, pattern] of kinds) if (pattern.test(insert)) count(stats.edgeRows, kind);
  for (const t of s.tables) {
    if (!t.pk || !hasHiddenRowid(t)) continue;
    const where = t.pk.cols.map((id) => `"${colById(t, id).name}" IS NULL`).join(" OR ");
    const { n } = db.prepare(`SELECT count(*) AS n FROM "${t.name}" WHERE ${where}`).get() as { n: number };
    for (let k = 0; k < n; k++) count(stats.edgeRows, "NULL in a primary key");
  }
}

/** The model of a generated schema, validated (generate proves it in SQLite with the migration). */
function buildModel(s: Schema, fail: Fail): Model {
  try {
    return modelOfSchema(s, { prove: false });
  } catch (error) {
    return fail("the generated schema is invalid (a generator bug, or validation rejects a valid schema)", describeError(error));
  }
}

type Attempt = { generation: ReturnType<History["step"]> } | { error: unknown };

function migrateStep(db: SqliteDb, history: History, prev: Schema, next: Schema, refuse: boolean, report: string[], fail: Fail): "applied" | "refused" {
  stats.steps += 1;
  const model = timed("build models", () => buildModel(next, fail));
  const expected = timed("read and convert rows before", () => expectedState(db, prev, next));
  const losses = lossesOf(prev, next, expected.lossy);
  for (const loss of losses) count(stats.losses, loss.kind === "type" ? `type change (${loss.lossy ? "values lost" : "values survive"})` : loss.kind);
  report.push(`--- what it loses, by identity: ${losses.map(describeLoss).join("; ") || "nothing"}`);
  const attempt = (allowDestructive: boolean): Attempt => {
    try {
      return { generation: timed("generate", () => history.step(model, { allowDestructive })) };
    } catch (error) {
      return { error };
    }
  };

  let outcome = attempt(!refuse);
  let refusal: string[] | undefined;
  if ("error" in outcome && refuse && outcome.error instanceof SchemaError) {
    refusal = refusedLosses(outcome.error.problem);
    if (refusal) {
      stats.refusedDestructive += 1;
      report.push("=== refused without --allow-destructive ===", ...refusal);
      checkDestructiveList("generate's refusal", refusal, losses, fail);
      outcome = attempt(true);
    }
  }
  if ("error" in outcome) {
    const { error } = outcome;
    const reason = error instanceof SchemaError ? justifiedRefusal(error, prev, next) : undefined;
    if (reason) {
      count(stats.refused, reason);
      return "refused";
    }
    const planned = plannedMigration(history.last?.database, model);
    if (planned) report.push("=== the migration it planned (not proved) ===", planned);
    return fail("generate throws (not a documented refusal that this case calls for)", describeError(error));
  }
  const { generation } = outcome;
  const listed = (generation.migration?.plan.losses ?? []).map(renderLoss);
  if (refusal) {
    stats.passedAfterRefusal += 1;
    if (JSON.stringify([...listed].sort()) !== JSON.stringify([...refusal].sort())) {
      fail("with --allow-destructive the plan lists other losses than the refusal did", `plan: ${listed.join("; ")}\nrefusal: ${refusal.join("; ")}`);
    }
  } else if (refuse && listed.length > 0) {
    fail("generate wrote a destructive migration without --allow-destructive", listed.join("; "));
  }
  checkDestructiveList("the plan's destructive list", listed, losses, fail);

  const sql = generation.migration?.sql;
  if (sql !== undefined) {
    stats.migrations += 1;
    if (sql.includes("__d1s_backup_")) stats.rebuilds += 1;
    report.push(`=== migration ${generation.migration!.fileName} ===`, sql);
    checkNoTransactionStatements(sql, fail);
    if (generation.fresh !== undefined) checkNoTransactionStatements(generation.fresh, fail);
    const shapeBefore = JSON.stringify(shapeOf(db));
    try {
      timed("apply", () => applyLikeD1(db, sql));
    } catch (error) {
      // A NOT NULL column with nothing to fill its empty rows fails the migration as a whole: that is the promise
      // (nothing lost), provided the file changed nothing.
      const reason = failedApplyReason(String(error), prev, next, db);
      if (!reason) return fail("the migration fails on SQLite holding the rows", describeError(error));
      if (JSON.stringify(shapeOf(db)) !== shapeBefore) fail("a migration that failed left the database changed", reason);
      count(stats.refused, reason);
      return "refused";
    }
  } else {
    report.push("=== no migration (no changes) ===");
  }

  const actualShape = timed("shape", () => JSON.stringify(shapeOf(db)));
  const wantedShape = timed("shape from scratch", () => {
    const fresh = databaseFromScratch(model);
    const shape = JSON.stringify(shapeOf(fresh));
    fresh.close();
    return shape;
  });
  if (actualShape !== wantedShape) fail("the migrated database's shape differs from the schema built from scratch", shapeDiff(actualShape, wantedShape));

  for (const table of expected.tables) {
    const actual = timed("read rows after", () => readRows(db, table.name, table.read, table.rowid));
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

/** Fails unless `listed` (a destructive list) names every loss the step must name and only losses it has. */
function checkDestructiveList(what: string, listed: readonly string[], losses: readonly Loss[], fail: Fail): void {
  const { falseAlarms, unnamed } = compareDestructiveList(listed, losses);
  const context = `\n${what}: ${listed.join("; ") || "(empty)"}\nlosses by identity: ${losses.map(describeLoss).join("; ") || "none"}`;
  if (unnamed.length > 0) fail(`the step loses data that ${what} does not name`, `${unnamed.map(describeLoss).join("; ")}${context}`);
  if (falseAlarms.length > 0) fail(`${what} names a loss the step does not have`, `${falseAlarms.join("; ")}${context}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The rows a kept table must hold after the migration
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every kept table's rows as they must be after the migration (helpers/expected-rows.ts), and `lossy`: the columns
 * (by id) whose type change some value does not survive.
 */
function expectedState(db: SqliteDb, prev: Schema, next: Schema): { tables: ExpectedTable[]; lossy: Set<string> } {
  const lossy = new Set<string>();
  for (const nt of next.tables) {
    const pt = tableById(prev, nt.id);
    if (!pt) continue;
    for (const col of nt.cols) {
      const old = pt.cols.find((c) => c.id === col.id);
      if (!old || col.gen || old.gen || storageOf[old.kind] === storageOf[col.kind]) continue;
      if (col.notNull && !old.notNull && col.dflt !== undefined && !isConstantDefault(col.dflt)) continue;
      const survives = (value: SqlValue) =>
        value === null || conversions.keeps(value, conversions.store(value, storageOf[col.kind], nt.strict), storageOf[old.kind]);
      if (!readExactRows(db, pt.name, [old.name], false).every((row) => survives(row[0]))) lossy.add(columnKey(nt.id, col.id));
    }
  }
  return { tables: expectedTables(db, prev, next, conversions), lossy };
}

const encodeRow = (row: readonly SqlValue[]) => JSON.stringify(row.map(encodeValue));

function readRows(db: SqliteDb, table: string, columns: string[], rowid: boolean): string[] {
  return readExactRows(db, table, columns, rowid).map(encodeRow).sort();
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
  return refusalReason(error.problem, error.table, error.column, prev, next);
}

// ---------------------------------------------------------------------------------------------------------------
// Reports

/** The SQL the planner would write from `from` to `to`, without the proof that generate runs; for reports. */
function plannedMigration(from: Model | undefined, to: Model): string | undefined {
  if (!from) return undefined;
  try {
    const diff = diffSchemas(from, to);
    return renderMigration(to, "planned.sql", diff.changes, planMigration(diff));
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
  const missing = expected.filter((row) => !actual.includes(row)).map(shortRow);
  const extra = actual.filter((row) => !expected.includes(row)).map(shortRow);
  return [`expected ${expected.length} rows, found ${actual.length}`, `missing: ${missing.join(" ")}`, `unexpected: ${extra.join(" ")}`].join("\n");
}
