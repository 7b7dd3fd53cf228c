// The files d1-schema keeps in a project root while a command writes (io/project-lock.ts, io/write-journal.ts).
// Plain JavaScript because the run cache (run-cache.js, which runs before TypeScript is loaded) looks for them too:
// a project holding one has a write under way or interrupted, and must never be answered from a record.

/** Held for a writing command's whole run: {pid, hostname, command, startedAt}. */
export const lockFileName = ".d1-schema.lock";
/** A commit's list of changes, before its temporary files are all written (nothing has changed yet). */
export const pendingJournalFileName = ".d1-schema-journal.pending.json";
/** The same list once every temporary file is written: the commit point. Its changes are rolled forward. */
export const journalFileName = ".d1-schema-journal.json";

export const controlFileNames = [lockFileName, pendingJournalFileName, journalFileName];
