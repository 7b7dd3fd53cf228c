// The lint rules by id, with their severity: the kinds of lint's findings (finding.ts), and the one list that schema
// validation (a silencer must name a rule) and the rules themselves share. What each checks is in lint/schema-rules.ts
// and lint/migration-rules.ts.

export type LintSeverity = "error" | "warning";

export const lintRules = {
  "table-without-primary-key": { severity: "warning", summary: "a table without a primary key" },
  "foreign-key-without-index": { severity: "warning", summary: "a foreign key whose columns lead no index" },
  "foreign-key-to-non-unique": {
    severity: "error",
    summary: "a foreign key to columns that are not the parent's primary key or UNIQUE (or that it lacks): SQLite refuses writes through it",
  },
  "foreign-key-to-missing-table": { severity: "error", summary: "a foreign key to a table the database lacks: SQLite refuses every write to the table" },
  "not-null-set-null": {
    severity: "warning",
    summary: "a NOT NULL column whose foreign key is ON DELETE/UPDATE SET NULL (or SET DEFAULT without a default): parent deletes fail",
  },
  "index-prefix-of-another": { severity: "warning", summary: "an index whose columns begin another index of the table" },
  "too-many-columns": { severity: "error", summary: "more than 100 columns (D1's limit)" },
  "keyword-identifier": { severity: "warning", summary: "a table, column or index named like an SQLite keyword" },
  "table-in-two-databases": { severity: "warning", summary: "a table name two databases define differently" },
  "destructive-change": { severity: "warning", summary: "the pending migration drops a table or column or narrows a type" },
  rebuild: { severity: "warning", summary: "the pending migration rebuilds tables, and copies the rows of every table that references them" },
  "deprecated-table-written": { severity: "warning", summary: "the pending migration creates or changes a deprecated table" },
  "unique-over-duplicates": {
    severity: "error",
    readsRows: true,
    summary: "a UNIQUE index, column (.unique()) or table constraint added over rows that repeat its key (--local)",
  },
  "not-null-over-nulls": {
    severity: "error",
    readsRows: true,
    summary: "a column made or added NOT NULL, with no default or backfill, over rows without a value (--local): the migration would fail",
  },
} as const satisfies Record<string, { severity: LintSeverity; summary: string; readsRows?: true }>;

export type LintRuleId = keyof typeof lintRules;

export function isLintRuleId(id: string): id is LintRuleId {
  return Object.hasOwn(lintRules, id);
}

/** Whether the rule looks at the rows of local databases (--local): a migration those rows would make fail. */
export function readsRows(id: string): boolean {
  return isLintRuleId(id) && "readsRows" in lintRules[id];
}
