// A custom migration: a numbered file `generate --custom <name>` writes empty, for SQL a person writes (a backfill, a
// data fix, seed rows). wrangler applies it like any other file.
//
// How a file is known to be custom, and why in two places. migrations.sum marks the file (`NNNN_name.sql h1:... custom`):
// the sum is what decides which files may still change, and it is written only by generate and hash, so adding the
// header below to a generated migration does not make that migration editable (its new hash is still an edit). The
// file's first line carries the same mark: it is what `hash` (which records the folder as it is, from the files
// alone) and any reader of the file go by, so the mark survives `hash`, `snapshot` (which never writes the sum) and a
// merge of the sum. Both are written together, from the header, by computeSum (migration-sum.ts).

/** The first line of every custom migration starts with this comment. */
export const customMigrationMarker = "-- d1-schema: custom migration";

/** Whether the file's text starts with the custom migration's first line. */
export function startsAsCustomMigration(sql: string): boolean {
  return sql.startsWith(customMigrationMarker);
}

/** The empty file `generate --custom` writes: the mark, then what to write in it and what happens next. */
export function renderCustomMigration(database: { name: string; bindings: readonly string[]; folder: string }, fileName: string): string {
  return [
    `${customMigrationMarker} (hand-written SQL: a backfill, a data fix, seed rows). Keep this first line.`,
    `-- ${fileName}: ${database.name} (${database.bindings.join(", ")})`,
    "-- Write the SQL below. D1 applies this file as one transaction with foreign keys on, so it must not control",
    "-- transactions (BEGIN, COMMIT, ROLLBACK, SAVEPOINT) or switch foreign key enforcement.",
    `-- Schema changes belong in schema/${database.folder}/, not here: the next \`npx d1-schema generate\` replays the folder,`,
    "-- proves it still builds the snapshot's schema, and records this file in migrations.sum.",
    "-- Edit it only until a later migration follows it, and never once a database has applied it (wrangler applies a",
    "-- file once, by name). The fresh squash holds the schema only: statements here are not in it.",
    "",
  ].join("\n");
}
