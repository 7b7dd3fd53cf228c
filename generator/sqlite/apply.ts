// Applying SQL the way D1 applies a migration file: foreign keys on, the whole file in one transaction.
import Database from "better-sqlite3";

export type SqliteDatabase = Database.Database;

/** A new in-memory database with foreign keys on, as D1 always has them. */
export function openMemoryDatabase(): SqliteDatabase {
  const db = new Database(":memory:");
  db.pragma("foreign_keys = ON");
  return db;
}

/** Runs one migration file's SQL as D1 does: all of it or none of it, with foreign keys enforced at commit. */
export function applyLikeD1(db: SqliteDatabase, sql: string): void {
  db.transaction(() => db.exec(sql))();
}
