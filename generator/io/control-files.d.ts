// Types for control-files.js (plain JavaScript: the run cache reads it before the TypeScript loader is registered).

export const lockFileName: string;
export const pendingJournalFileName: string;
export const journalFileName: string;
export const controlFileNames: readonly string[];
