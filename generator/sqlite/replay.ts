// The one loop that replays a migrations folder: each file in order, the D1 way (sqlite/apply.ts), stopping at the
// first file SQLite rejects and naming it. Callers that need to look between files (the shape after each, which
// pending file fixes a difference, whether sample rows survived) pass `afterEach` instead of keeping a loop of their own.
import { applyLikeD1, type SqliteDatabase } from "./apply.js";

export interface MigrationFile {
  name: string;
  sql: string;
}

/** A file SQLite rejected during a replay: which one (and its position), and SQLite's own message. */
export class MigrationReplayError extends Error {
  constructor(
    readonly file: string,
    readonly index: number,
    readonly reason: string,
    cause: unknown,
  ) {
    super(`${file} fails on SQLite: ${reason}`, { cause });
  }
}

/**
 * Applies each file in order on `db`, the D1 way; `afterEach` runs once a file has applied, before the next.
 * Throws a MigrationReplayError naming the first file that fails (errors from `afterEach` pass through as they are).
 */
export function replayMigrations(db: SqliteDatabase, files: readonly MigrationFile[], afterEach?: (file: MigrationFile, index: number) => void): void {
  for (const [index, file] of files.entries()) {
    try {
      applyLikeD1(db, file.sql);
    } catch (error) {
      throw new MigrationReplayError(file.name, index, (error as Error).message, error);
    }
    afterEach?.(file, index);
  }
}
