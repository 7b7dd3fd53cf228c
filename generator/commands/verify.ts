// `verify`: replaying each migrations folder on an empty SQLite gives the snapshot's schema and the committed fresh
// squash's; and each migration, applied the D1 way to a database holding sample rows, keeps them.
import { readFile } from "node:fs/promises";
import { databaseMigrationsDir, displayPath, freshFileName, freshSchemaPath, type ProjectPaths } from "../io/paths.js";
import { canonicalJson } from "../model/canonical-json.js";
import { readDatabaseFolders, type DatabaseFolder } from "../project/database-state.js";
import { readMigrationFolder } from "../project/migration-files.js";
import { readSum, sumFileName } from "../project/migration-sum.js";
import { startsAsCustomMigration } from "../project/custom-migration-file.js";
import path from "node:path";
import { selectDatabaseFolders } from "../project/select-databases.js";
import { renderFreshSchema } from "../render/fresh.js";
import { openMemoryDatabase, type SqliteDatabase } from "../sqlite/apply.js";
import { inspectTables, type TableShape } from "../sqlite/shape.js";
import { MigrationReplayError, replayMigrations, type MigrationFile } from "../sqlite/replay.js";
import { addSampleRows, captureRows, droppedData, rowLosses } from "../sqlite/sample-rows.js";
import { describeShapeChanges } from "../sqlite/shape-changes.js";
import type { Finding, VerifyKind } from "../model/finding.js";

export type VerifyFinding = Finding<VerifyKind>;

export interface MigrationCheck {
  file: string;
  result: "ok" | "fails" | "loses rows" | "not checked";
  /** Why it fails or what it lost. */
  problems: string[];
  /** What it dropped on purpose, and tables that held no sample row (so were not checked). */
  notes: string[];
  /** Tables that held sample rows when it ran and still exist after it: those whose rows were checked. */
  tablesChecked: number;
}

export type ShapeComparison = "same" | "differs" | "missing" | "not replayed";

export interface DatabaseVerification {
  database: string;
  folder: string;
  /** The replay of every migration compared with the snapshot's schema and with the committed fresh squash. */
  snapshot: ShapeComparison;
  squash: ShapeComparison;
  migrations: MigrationCheck[];
  findings: VerifyFinding[];
}

export interface VerifyReport {
  databases: DatabaseVerification[];
  findings: VerifyFinding[];
}

export async function runVerify(paths: ProjectPaths, only: string | undefined): Promise<VerifyReport> {
  const selected = selectDatabaseFolders(await readDatabaseFolders(paths), only);
  const databases: DatabaseVerification[] = [];
  for (const database of selected) databases.push(await verifyDatabase(paths, database));
  return { databases, findings: databases.flatMap((database) => database.findings) };
}

async function verifyDatabase(paths: ProjectPaths, { folder, name, snapshot }: DatabaseFolder): Promise<DatabaseVerification> {
  const dir = databaseMigrationsDir(paths, folder);
  const where = `${displayPath(paths, dir)}/`;
  const { migrations } = await readMigrationFolder(dir);
  // A custom migration is SQL a person wrote to change rows (a backfill, a data fix): what it changes is reported,
  // not counted as a loss. It is known by the sum's mark, or by its first line when there is no readable sum.
  const sum = await readSum(path.join(dir, sumFileName)).catch(() => undefined);
  const files = migrations.map((migration) => ({
    file: migration.fileName,
    sql: migration.sql,
    custom: sum?.custom.has(migration.fileName) === true || startsAsCustomMigration(migration.sql),
  }));
  const { checks, replayed } = checkMigrations(files);
  const found = (kind: VerifyKind, message: string, fix?: string): VerifyFinding => ({
    severity: "error",
    kind,
    database: name,
    message,
    ...(fix === undefined ? {} : { fix }),
  });
  const findings = checks.flatMap((check) =>
    check.result === "fails" || check.result === "loses rows"
      ? check.problems.map((problem) => found(check.result === "fails" ? "migration-fails" : "migration-loses-rows", `${where}${check.file} ${problem}`))
      : [],
  );

  const squashPath = freshSchemaPath(paths, folder, freshFileName);
  const squashSql = await readFile(squashPath, "utf8").catch(() => undefined);
  const comparisons = { snapshot: "not replayed" as ShapeComparison, squash: "not replayed" as ShapeComparison };
  if (replayed) {
    const regenerate = "run `npx d1-schema generate` and commit the result";
    const expected = [
      {
        kind: "snapshot",
        what: "the snapshot's schema",
        sql: snapshot && renderFreshSchema(snapshot.database, snapshot.lastMigration),
        missing: `${where}snapshot.json is missing`,
      },
      {
        kind: "squash",
        what: `the schema of ${displayPath(paths, squashPath)}`,
        sql: squashSql,
        missing: `${displayPath(paths, squashPath)} is missing`,
      },
    ] as const;
    for (const { kind, what, sql, missing } of expected) {
      if (sql === undefined) {
        comparisons[kind] = "missing";
        findings.push(found("file-missing", missing, regenerate));
        continue;
      }
      // replayAgainstSquash (sqlite/prove.ts) would replay the folder again; this compares against the replay the row
      // checks made, and a squash SQLite rejects is a finding here, not an error.
      const shape = shapeOfSql(sql);
      comparisons[kind] = typeof shape !== "string" && canonicalJson(shape) === canonicalJson(replayed) ? "same" : "differs";
      if (comparisons[kind] === "differs") {
        const difference =
          typeof shape === "string"
            ? `it fails on SQLite: ${shape}`
            : `from it to the replay: ${describeShapeChanges(shape, replayed).join("; ") || "column details differ"}`;
        findings.push(
          found(
            kind === "snapshot" ? "replay-differs-from-snapshot" : "replay-differs-from-squash",
            `replaying ${where} does not give ${what} (${difference})`,
            "a file was edited by hand; restore it from git",
          ),
        );
      }
    }
  }
  return { database: name, folder, ...comparisons, migrations: checks, findings };
}

/**
 * Applies the migrations in order to two databases the D1 way: an empty one (its final shape is returned, unless a
 * migration fails) and one that gets a sample row in every table before each migration, whose rows must survive.
 */
function checkMigrations(files: readonly { file: string; sql: string; custom: boolean }[]): { checks: MigrationCheck[]; replayed?: TableShape[] } {
  const empty = openMemoryDatabase();
  const filled = openMemoryDatabase();
  const checks = files.map(({ file }): MigrationCheck => ({ file, result: "ok", problems: [], notes: [], tablesChecked: 0 }));
  const notChecked = (): Pick<MigrationCheck, "result" | "notes"> => ({ result: "not checked", notes: ["an earlier migration fails"] });
  let rowsFail = false;
  try {
    replayMigrations(
      empty,
      files.map(({ file, sql }) => ({ name: file, sql })),
      // Each file that applies on the empty database is then tried on the one holding rows, until one fails there.
      (file, index) => {
        if (rowsFail) {
          Object.assign(checks[index], notChecked());
          return;
        }
        Object.assign(checks[index], checkRowsKept(filled, file, index + 1, files[index].custom));
        rowsFail = checks[index].result === "fails";
      },
    );
    return { checks, replayed: inspectTables(empty) };
  } catch (error) {
    if (!(error instanceof MigrationReplayError)) throw error;
    Object.assign(checks[error.index], { result: "fails", problems: [`fails on an empty database (wrangler stops there): ${error.reason}`] });
    for (const check of checks.slice(error.index + 1)) Object.assign(check, notChecked());
    return { checks };
  } finally {
    empty.close();
    filled.close();
  }
}

/**
 * Fills every table with one more row, applies the migration and compares the rows before and after. A custom
 * migration changes rows on purpose: what it changed is a note, and only a failure is a problem.
 */
function checkRowsKept(
  db: SqliteDatabase,
  file: MigrationFile,
  round: number,
  custom: boolean,
): Pick<MigrationCheck, "result" | "problems" | "notes" | "tablesChecked"> {
  const refused = addSampleRows(db, round);
  const before = captureRows(db);
  const error = applyOrError(db, file);
  if (error) return { result: "fails", problems: [`fails on a database with rows (it works on an empty one): ${error}`], notes: [], tablesChecked: 0 };
  const after = captureRows(db);
  const changes = rowLosses(before, after);
  const problems = custom ? [] : changes;
  const unchecked = [...before].filter(([, table]) => table.rows.length === 0).map(([table]) => table);
  return {
    result: problems.length > 0 ? "loses rows" : "ok",
    problems,
    notes: [
      ...(custom ? changes.map((change) => `changes rows on purpose (a custom migration): ${change}`) : []),
      ...droppedData(before, after),
      ...unchecked.map(
        (table) => `${table} held no sample row (${refused.find((entry) => entry.table === table)?.reason ?? "refused"}), so its rows were not checked`,
      ),
    ],
    tablesChecked: [...before].filter(([table, rows]) => rows.rows.length > 0 && after.has(table)).length,
  };
}

function applyOrError(db: SqliteDatabase, file: MigrationFile): string | undefined {
  try {
    replayMigrations(db, [file]);
    return undefined;
  } catch (error) {
    if (!(error instanceof MigrationReplayError)) throw error;
    return error.reason;
  }
}

/** The shape the SQL builds on an empty database, or SQLite's error. */
function shapeOfSql(sql: string): TableShape[] | string {
  const db = openMemoryDatabase();
  try {
    return applyOrError(db, { name: "the expected schema", sql }) ?? inspectTables(db);
  } finally {
    db.close();
  }
}
