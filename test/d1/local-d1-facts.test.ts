/**
 * Facts about how D1 runs migration files, checked on wrangler's real local D1 engine and on
 * better-sqlite3 (foreign_keys=ON, each file inside one transaction). The generator relies on
 * these facts, so a wrangler upgrade that changes one of them should fail here first.
 *
 * Each wrangler invocation costs ~2 s, so every scenario that succeeds shares one migrations
 * folder; a failing migration stops wrangler, so each failure scenario needs its own run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyWithWrangler, type LocalD1Result } from "../helpers/local-d1.js";

const WRANGLER_TIMEOUT_MS = 120_000;

/** File name -> SQL, i.e. the content of a migrations folder. */
type MigrationFiles = Record<string, string>;

/** What a run of migration files left behind, whichever engine ran them. */
interface Run {
  /** Files recorded as applied, in order. */
  applied: string[];
  /** Error text of the file that failed; undefined when every file applied. */
  error: string | undefined;
  rows<T = Record<string, unknown>>(sql: string): T[];
  tableExists(name: string): boolean;
}

// ---------------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------------

const tempDirs: string[] = [];

function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "d1-facts-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function writeFiles(dir: string, files: MigrationFiles): void {
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), sql);
  }
}

/** The helper attaches what the database holds to the error when a migration fails. */
type WranglerFailure = Error & { result?: LocalD1Result };

/** Applies a migrations folder with wrangler; a failure is returned as `error`, not thrown. */
async function runOnLocalD1(migrationsDir: string, workDir: string): Promise<Run & { stdout: string }> {
  let result: LocalD1Result | undefined;
  let error: string | undefined;
  try {
    result = await applyWithWrangler(migrationsDir, { workDir });
  } catch (caught) {
    const failure = caught as WranglerFailure;
    error = failure.message;
    result = failure.result;
  }
  if (!result) throw new Error(`wrangler left no database behind: ${error}`);
  return { ...localD1Run(result.sqlitePath, result.appliedNames, error), stdout: result.stdout };
}

function localD1Run(sqlitePath: string, applied: string[], error: string | undefined): Run {
  // Open per query: the file is wrangler's, and a long-lived handle could block a later apply.
  const withDb = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  return {
    applied,
    error,
    rows: <T>(sql: string) => withDb((db) => db.prepare(sql).all() as T[]),
    tableExists: (name) => withDb((db) => tableExists(db, name)),
  };
}

/** Writes `files` to a fresh folder and applies them with wrangler in a fresh project. */
async function applyFilesOnLocalD1(files: MigrationFiles): Promise<Run & { stdout: string }> {
  const root = makeTempDir();
  const migrationsDir = join(root, "migrations");
  mkdirSync(migrationsDir);
  writeFiles(migrationsDir, files);
  return runOnLocalD1(migrationsDir, join(root, "project"));
}

/** Same contract as D1 on plain SQLite: foreign_keys=ON, each file in one transaction, stop at the first failure. */
function applyFilesOnBetterSqlite(files: MigrationFiles): Run {
  const db = new Database(":memory:");
  db.pragma("foreign_keys = ON");
  const applied: string[] = [];
  let error: string | undefined;
  for (const name of Object.keys(files).sort()) {
    try {
      applyInTransaction(db, files[name]);
      applied.push(name);
    } catch (caught) {
      error = (caught as Error).message;
      break;
    }
  }
  return {
    applied,
    error,
    rows: <T>(sql: string) => db.prepare(sql).all() as T[],
    tableExists: (name) => tableExists(db, name),
  };
}

function applyInTransaction(db: Database.Database, sql: string): void {
  db.exec("BEGIN");
  try {
    db.exec(sql);
    db.exec("COMMIT");
  } catch (error) {
    // A COMMIT refused by a deferred foreign key leaves the transaction open.
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Runs the same files on both engines. */
async function applyFilesOnBoth(files: MigrationFiles): Promise<{ d1: Run; sqlite: Run }> {
  return { d1: await applyFilesOnLocalD1(files), sqlite: applyFilesOnBetterSqlite(files) };
}

/** "🚣 N commands executed successfully." is printed once per applied file, in order. */
function commandCounts(stdout: string): number[] {
  return [...stdout.matchAll(/(\d+) commands? executed successfully/g)].map((match) => Number(match[1]));
}

// Error texts, as the engines print them.
const D1_TRANSACTION_STATEMENT_ERROR =
  "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() " +
  "APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements.";
const D1_DEFERRED_FK_AT_END_ERROR =
  "Durable Object was reset and rolled back to its last known good state because the application left the " +
  "database in a state where constraints were violated: FOREIGN KEY constraint failed";
const NESTED_TRANSACTION_ERROR = "cannot start a transaction within a transaction";

// ---------------------------------------------------------------------------------------------
// Scenarios that succeed: one shared folder (b, c, d, e, h; g uses the folder itself)
// ---------------------------------------------------------------------------------------------

const SHARED_FILES: MigrationFiles = {
  "0001_setup.sql": `
-- b: parents whose children react to DROP TABLE without failing it
CREATE TABLE cascade_parent (id INTEGER PRIMARY KEY);
CREATE TABLE cascade_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES cascade_parent (id) ON DELETE CASCADE);
CREATE TABLE setnull_parent (id INTEGER PRIMARY KEY);
CREATE TABLE setnull_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES setnull_parent (id) ON DELETE SET NULL);
INSERT INTO cascade_parent (id) VALUES (1), (2);
INSERT INTO cascade_child (id, parent_id) VALUES (10, 1), (11, 2), (12, NULL);
INSERT INTO setnull_parent (id) VALUES (1);
INSERT INTO setnull_child (id, parent_id) VALUES (20, 1), (21, NULL);
-- c: NO ACTION foreign key
CREATE TABLE deferred_parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE deferred_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES deferred_parent (id));
-- d: rowids with gaps
CREATE TABLE rowid_source (a TEXT, b INTEGER);
INSERT INTO rowid_source (rowid, a, b) VALUES (5, 'x', 1), (9, 'y', 2);
-- e: sqlite_sequence runs ahead of max(id) after a delete
CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
CREATE TABLE auto_other (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
INSERT INTO auto (v) VALUES ('a'), ('b'), ('c');
DELETE FROM auto WHERE id = 3;
-- h
CREATE TABLE trigger_source (v INTEGER);
CREATE TABLE trigger_log_upper (v INTEGER);
CREATE TABLE trigger_log_lower (v INTEGER);
-- g
CREATE TABLE apply_log (entry TEXT);
`,
  "0002_drop_parents.sql": `
-- Inside the transaction D1 wraps around the file this pragma is a no-op (SQLite ignores it in a transaction).
PRAGMA foreign_keys = OFF;
CREATE TABLE fk_state AS SELECT foreign_keys FROM pragma_foreign_keys;
DROP TABLE cascade_parent;
DROP TABLE setnull_parent;
`,
  "0003_child_before_parent.sql": `
PRAGMA defer_foreign_keys = on;
INSERT INTO deferred_child (id, parent_id) VALUES (100, 1);
INSERT INTO deferred_parent (id, name) VALUES (1, 'first');
`,
  // Rebuild of a referenced (NO ACTION) table that passes: the rows go back into a table that
  // already has the parent's name, which is what clears the deferred violations of DROP TABLE.
  "0004_rebuild_parent_by_copy_back.sql": `
PRAGMA defer_foreign_keys = on;
CREATE TABLE deferred_parent_backup AS SELECT * FROM deferred_parent;
DROP TABLE deferred_parent;
CREATE TABLE deferred_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO deferred_parent (id, name) SELECT id, name FROM deferred_parent_backup;
DROP TABLE deferred_parent_backup;
`,
  "0005_rowids.sql": `
CREATE TABLE rowid_backup AS SELECT * FROM rowid_source;
CREATE TABLE rowid_backup_with_rowid AS SELECT rowid AS old_rowid, * FROM rowid_source;
CREATE TABLE rowid_copy (a TEXT, b INTEGER);
INSERT INTO rowid_copy (rowid, a, b) SELECT rowid, a, b FROM rowid_source;
`,
  "0006_sqlite_sequence.sql": `
CREATE TABLE seq_seen AS SELECT seq FROM sqlite_sequence WHERE name = 'auto';
UPDATE sqlite_sequence SET seq = 100 WHERE name = 'auto';
INSERT INTO auto (v) VALUES ('after update');
INSERT INTO sqlite_sequence (name, seq) VALUES ('auto_other', 50);
INSERT INTO auto_other (v) VALUES ('after insert');
`,
  "0007_trigger_upper.sql": `
CREATE TRIGGER log_upper AFTER INSERT ON trigger_source BEGIN
  INSERT INTO trigger_log_upper (v) VALUES (new.v);
  INSERT INTO trigger_log_upper (v) VALUES (new.v * 10);
END;
INSERT INTO trigger_source (v) VALUES (1);
`,
  "0008_trigger_lower.sql": `
CREATE TRIGGER log_lower AFTER INSERT ON trigger_source begin
  INSERT INTO trigger_log_lower (v) VALUES (new.v);
  INSERT INTO trigger_log_lower (v) VALUES (new.v * 10);
end;
INSERT INTO trigger_source (v) VALUES (2);
`,
};

/** Only meaningful for wrangler: stripped BEGIN/COMMIT, numeric ordering, files it must skip. */
const WRANGLER_ONLY_FILES: MigrationFiles = {
  "0009_wrapped_in_begin_commit.sql": `BEGIN TRANSACTION;
INSERT INTO apply_log (entry) VALUES ('0009 wrapped in a transaction');
COMMIT;
`,
  // Lexically "0011_" < "10_", numerically 10 < 11: shows which order wrangler uses.
  "10_numerically_first.sql": `INSERT INTO apply_log (entry) VALUES ('10');\n`,
  "0011_lexically_first.sql": `INSERT INTO apply_log (entry) VALUES ('0011');\n`,
  "snapshot.json": `{ "not": "sql" }\n`,
  "migrations.sum": `h1:not-sql\n`,
  "notes.sql.txt": `INSERT INTO apply_log (entry) VALUES ('notes.sql.txt');\n`,
  "archive/0000_archived.sql": `INSERT INTO apply_log (entry) VALUES ('archive');\n`,
};

const LATE_FILE: MigrationFiles = {
  "0000_late.sql": `INSERT INTO apply_log (entry) VALUES ('0000 late');\n`,
};

const SHARED_APPLIED = Object.keys(SHARED_FILES);
const WRANGLER_APPLIED = [...SHARED_APPLIED, "0009_wrapped_in_begin_commit.sql", "10_numerically_first.sql", "0011_lexically_first.sql"];

describe("migration facts shared by local D1 and better-sqlite3", () => {
  const shared = { migrationsDir: "", workDir: "" };
  let d1: Run & { stdout: string };
  let sqlite: Run;

  beforeAll(async () => {
    const root = makeTempDir();
    shared.migrationsDir = join(root, "migrations");
    shared.workDir = join(root, "project");
    mkdirSync(shared.migrationsDir);
    writeFiles(shared.migrationsDir, { ...SHARED_FILES, ...WRANGLER_ONLY_FILES });
    d1 = await runOnLocalD1(shared.migrationsDir, shared.workDir);
    sqlite = applyFilesOnBetterSqlite(SHARED_FILES);
  }, WRANGLER_TIMEOUT_MS);

  it("applies every shared file on both engines", () => {
    expect(d1.error).toBeUndefined();
    expect(d1.applied).toEqual(WRANGLER_APPLIED);
    expect(sqlite.error).toBeUndefined();
    expect(sqlite.applied).toEqual(SHARED_APPLIED);
  });

  it("b: foreign keys are on, PRAGMA foreign_keys=OFF in the file is ignored, DROP TABLE cascades / sets NULL", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT foreign_keys FROM fk_state")).toEqual([{ foreign_keys: 1 }]);
      expect(run.tableExists("cascade_parent")).toBe(false);
      // Children 10 and 11 were deleted silently by the implicit DELETE of DROP TABLE.
      expect(run.rows("SELECT id, parent_id FROM cascade_child ORDER BY id")).toEqual([{ id: 12, parent_id: null }]);
      expect(run.rows("SELECT id, parent_id FROM setnull_child ORDER BY id")).toEqual([
        { id: 20, parent_id: null },
        { id: 21, parent_id: null },
      ]);
    }
  });

  it("c: PRAGMA defer_foreign_keys lets a child row precede its parent within one file", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT id, parent_id FROM deferred_child")).toEqual([{ id: 100, parent_id: 1 }]);
    }
  });

  it("c: with deferred keys, drop + recreate + copy back rebuilds a referenced table", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT id, name FROM deferred_parent")).toEqual([{ id: 1, name: "first" }]);
      expect(run.rows("SELECT id, parent_id FROM deferred_child")).toEqual([{ id: 100, parent_id: 1 }]);
      expect(run.tableExists("deferred_parent_backup")).toBe(false);
      const [{ sql }] = run.rows<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'deferred_parent'");
      expect(sql).toContain("NOT NULL DEFAULT ''");
    }
  });

  it("d: CREATE TABLE AS SELECT works but renumbers rowids; INSERT ... (rowid, ...) SELECT rowid keeps them", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT rowid AS r, a, b FROM rowid_backup ORDER BY r")).toEqual([
        { r: 1, a: "x", b: 1 },
        { r: 2, a: "y", b: 2 },
      ]);
      expect(run.rows("SELECT old_rowid FROM rowid_backup_with_rowid ORDER BY old_rowid")).toEqual([{ old_rowid: 5 }, { old_rowid: 9 }]);
      expect(run.rows("SELECT rowid AS r, a, b FROM rowid_copy ORDER BY r")).toEqual([
        { r: 5, a: "x", b: 1 },
        { r: 9, a: "y", b: 2 },
      ]);
    }
  });

  it("e: a migration can read, UPDATE and INSERT INTO sqlite_sequence", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT seq FROM seq_seen")).toEqual([{ seq: 3 }]);
      expect(run.rows("SELECT id, v FROM auto ORDER BY id")).toEqual([
        { id: 1, v: "a" },
        { id: 2, v: "b" },
        { id: 101, v: "after update" },
      ]);
      expect(run.rows("SELECT id, v FROM auto_other")).toEqual([{ id: 51, v: "after insert" }]);
    }
  });

  it("h: lower-case begin/end lumps the rest of the file into one statement for wrangler, with the same outcome", () => {
    for (const run of [d1, sqlite]) {
      expect(run.rows("SELECT v FROM trigger_log_upper ORDER BY rowid")).toEqual([{ v: 1 }, { v: 10 }, { v: 2 }, { v: 20 }]);
      expect(run.rows("SELECT v FROM trigger_log_lower ORDER BY rowid")).toEqual([{ v: 2 }, { v: 20 }]);
    }
    // Per file: statements + wrangler's own "INSERT INTO d1_migrations". Upper case splits into
    // CREATE TRIGGER, INSERT, bookkeeping (3); lower case never matches the case-sensitive END
    // so everything after "begin" is sent as one multi-statement query (1), which workerd runs.
    const counts = commandCounts(d1.stdout);
    expect(counts).toHaveLength(WRANGLER_APPLIED.length);
    expect(counts[WRANGLER_APPLIED.indexOf("0007_trigger_upper.sql")]).toBe(3);
    expect(counts[WRANGLER_APPLIED.indexOf("0008_trigger_lower.sql")]).toBe(1);
  });

  it("f: wrangler strips one exact 'BEGIN TRANSACTION;' + 'COMMIT;' pair; SQLite rejects the nested BEGIN", () => {
    expect(d1.rows("SELECT entry FROM apply_log WHERE entry LIKE '0009%'")).toEqual([{ entry: "0009 wrapped in a transaction" }]);
    const plain = applyFilesOnBetterSqlite({
      "0001.sql": "CREATE TABLE apply_log (entry TEXT);",
      "0002.sql": WRANGLER_ONLY_FILES["0009_wrapped_in_begin_commit.sql"],
    });
    expect(plain.applied).toEqual(["0001.sql"]);
    expect(plain.error).toBe(NESTED_TRANSACTION_ERROR);
    expect(plain.rows("SELECT entry FROM apply_log")).toEqual([]);
  });

  it(
    "g: only top-level *.sql files, numeric-prefix order, and a later lower-numbered file is applied on the next run",
    async () => {
      // Not applied: snapshot.json, migrations.sum, notes.sql.txt, archive/0000_archived.sql.
      expect(d1.rows("SELECT entry FROM apply_log ORDER BY rowid")).toEqual([{ entry: "0009 wrapped in a transaction" }, { entry: "10" }, { entry: "0011" }]);
      writeFiles(shared.migrationsDir, LATE_FILE);
      const second = await runOnLocalD1(shared.migrationsDir, shared.workDir);
      expect(second.error).toBeUndefined();
      expect(second.applied).toEqual([...WRANGLER_APPLIED, "0000_late.sql"]);
      expect(commandCounts(second.stdout)).toEqual([2]); // only the new file ran
      expect(second.rows("SELECT entry FROM apply_log ORDER BY rowid")).toEqual([
        { entry: "0009 wrapped in a transaction" },
        { entry: "10" },
        { entry: "0011" },
        { entry: "0000 late" },
      ]);
    },
    WRANGLER_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------
// Scenarios that fail: one wrangler run each, since wrangler stops at the first failing file
// ---------------------------------------------------------------------------------------------

describe("migration files that fail", () => {
  it(
    "a: a file is one transaction: its earlier statements (DML and DDL) leave no trace when a later one fails",
    async () => {
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_setup.sql": "CREATE TABLE kept (a INTEGER NOT NULL);\nINSERT INTO kept (a) VALUES (1);",
        "0002_fails.sql": "INSERT INTO kept (a) VALUES (2);\nCREATE TABLE created_first (x INTEGER);\nINSERT INTO kept (a) VALUES (NULL);",
        "0003_after.sql": "INSERT INTO kept (a) VALUES (3);",
      });
      expect(d1.error).toContain("Migration 0002_fails.sql failed");
      expect(d1.error).toContain("NOT NULL constraint failed: kept.a: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)");
      expect(sqlite.error).toBe("NOT NULL constraint failed: kept.a");
      for (const run of [d1, sqlite]) {
        // 0003 is not applied either: both stop at the first failing file.
        expect(run.applied).toEqual(["0001_setup.sql"]);
        expect(run.rows("SELECT a FROM kept")).toEqual([{ a: 1 }]);
        expect(run.tableExists("created_first")).toBe(false);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  it.each([
    { action: "RESTRICT", clause: "ON DELETE RESTRICT", d1Code: "SQLITE_CONSTRAINT_TRIGGER" },
    { action: "NO ACTION", clause: "", d1Code: "SQLITE_CONSTRAINT_FOREIGNKEY" },
  ])(
    "b: DROP TABLE of a parent with $action children fails even after PRAGMA foreign_keys=OFF",
    async ({ clause, d1Code }) => {
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_setup.sql": `CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ${clause});
INSERT INTO parent (id) VALUES (1);
INSERT INTO child (id, parent_id) VALUES (10, 1);`,
        "0002_drop_parent.sql": "PRAGMA foreign_keys = OFF;\nDROP TABLE parent;",
      });
      expect(d1.error).toContain(`FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: ${d1Code})`);
      expect(sqlite.error).toBe("FOREIGN KEY constraint failed");
      for (const run of [d1, sqlite]) {
        expect(run.applied).toEqual(["0001_setup.sql"]);
        expect(run.rows("SELECT id FROM parent")).toEqual([{ id: 1 }]);
        expect(run.rows("SELECT id, parent_id FROM child")).toEqual([{ id: 10, parent_id: 1 }]);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  const FK_SETUP = `CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id));
INSERT INTO parent (id) VALUES (7);
INSERT INTO child (id, parent_id) VALUES (70, 7);`;

  it(
    "c: without defer_foreign_keys a child row before its parent fails at once",
    async () => {
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_setup.sql": FK_SETUP,
        "0002_child_first.sql": "INSERT INTO child (id, parent_id) VALUES (100, 1);\nINSERT INTO parent (id) VALUES (1);",
      });
      expect(d1.error).toContain("FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)");
      expect(sqlite.error).toBe("FOREIGN KEY constraint failed");
      for (const run of [d1, sqlite]) {
        expect(run.applied).toEqual(["0001_setup.sql"]);
        expect(run.rows("SELECT id FROM child")).toEqual([{ id: 70 }]);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  it(
    "c: deferred violations still fail the file at its end (D1 resets the Durable Object)",
    async () => {
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_setup.sql": FK_SETUP,
        "0002_orphan.sql": "PRAGMA defer_foreign_keys = on;\nINSERT INTO child (id, parent_id) VALUES (100, 1);",
      });
      expect(d1.error).toContain(D1_DEFERRED_FK_AT_END_ERROR);
      expect(sqlite.error).toBe("FOREIGN KEY constraint failed");
      for (const run of [d1, sqlite]) {
        expect(run.applied).toEqual(["0001_setup.sql"]);
        expect(run.rows("SELECT id FROM child")).toEqual([{ id: 70 }]);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  it(
    "c: the create-new / drop / RENAME rebuild of a referenced table fails even with deferred keys",
    async () => {
      // RENAME does not re-check the orphans DROP TABLE counted, so they are still open at the end.
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_setup.sql": FK_SETUP,
        "0002_rebuild_by_rename.sql": `PRAGMA defer_foreign_keys = on;
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, note TEXT);
INSERT INTO parent_new (id) SELECT id FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;`,
      });
      expect(d1.error).toContain(D1_DEFERRED_FK_AT_END_ERROR);
      expect(sqlite.error).toBe("FOREIGN KEY constraint failed");
      for (const run of [d1, sqlite]) {
        expect(run.applied).toEqual(["0001_setup.sql"]);
        expect(run.tableExists("parent_new")).toBe(false);
        expect(run.rows("SELECT id FROM parent")).toEqual([{ id: 7 }]);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  it.each([
    { statement: "BEGIN;", file: "BEGIN;\nCREATE TABLE t (a INTEGER);\nINSERT INTO t (a) VALUES (1);\nCOMMIT;" },
    { statement: "SAVEPOINT", file: "SAVEPOINT sp;\nCREATE TABLE t (a INTEGER);\nINSERT INTO t (a) VALUES (1);\nRELEASE sp;" },
  ])(
    "f: $statement in a migration is rejected by local D1",
    async ({ statement, file }) => {
      const { d1, sqlite } = await applyFilesOnBoth({ "0001_tx.sql": file });
      expect(d1.error).toContain(D1_TRANSACTION_STATEMENT_ERROR);
      expect(d1.applied).toEqual([]);
      expect(d1.tableExists("t")).toBe(false);
      if (statement === "SAVEPOINT") {
        // Plain SQLite nests a savepoint inside the file's transaction without complaint.
        expect(sqlite.error).toBeUndefined();
        expect(sqlite.rows("SELECT a FROM t")).toEqual([{ a: 1 }]);
      } else {
        expect(sqlite.error).toBe(NESTED_TRANSACTION_ERROR);
        expect(sqlite.tableExists("t")).toBe(false);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );

  it(
    "f: two BEGIN TRANSACTION blocks in one file are refused by wrangler itself",
    async () => {
      const { d1, sqlite } = await applyFilesOnBoth({
        "0001_two_tx.sql": "BEGIN TRANSACTION;\nCREATE TABLE t (a INTEGER);\nCOMMIT;\nBEGIN TRANSACTION;\nINSERT INTO t (a) VALUES (1);\nCOMMIT;",
      });
      expect(d1.error).toContain("Wrangler could not process the provided SQL file, as it contains several transactions.");
      expect(sqlite.error).toBe(NESTED_TRANSACTION_ERROR);
      for (const run of [d1, sqlite]) {
        expect(run.applied).toEqual([]);
        expect(run.tableExists("t")).toBe(false);
      }
    },
    WRANGLER_TIMEOUT_MS,
  );
});
