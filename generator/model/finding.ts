// One shape for every problem a command reports (check, verify, status, drift, lint, audit, wrangler-config, apply):
// how bad it is, what kind it is, where it sits, what is wrong and how to fix it. `--json` prints these objects; the
// words people read are rendered from them here, one function an output style. A SchemaError (errors.ts) is the
// thrown counterpart, for input no command can go on with; `toFinding` turns one into a finding.
import { isLintRuleId, type LintRuleId, type LintSeverity } from "./lint-rules.js";

/** The audit ranks as ClearLift's hand-written audit ranked. */
export const auditSeverities = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export type AuditSeverity = (typeof auditSeverities)[number];

/** `error` fails the command (exit 1); a `warning` is shown; the audit ranks its findings instead (it never fails). */
export type FindingSeverity = LintSeverity | AuditSeverity;

/** A file `generate` writes, against its stamp or its expected content. */
export type GeneratedFileKind = "file-missing" | "file-stale" | "file-edited";

/** check: the committed project against what generate writes, and the migrations folder against itself. */
export type CheckKind =
  | GeneratedFileKind
  | "interrupted-write"
  | "no-snapshot"
  | "snapshot-missing"
  | "snapshot-of-other-folder"
  | "snapshot-unproven"
  | "snapshot-shape-differs"
  | "schema-changed"
  | "stray-sql-file"
  | "transaction-control"
  | "custom-migration-refused"
  | "replay-fails"
  | "replay-differs-from-squash"
  | IntegrityKind;

/** project/integrity.ts: the migrations folder against migrations.sum and against itself. */
export type IntegrityKind =
  | "duplicate-number"
  | "sum-missing"
  | "sum-malformed"
  | "sum-mismatch"
  | "migration-renamed"
  | "migration-removed"
  | "migration-edited"
  | "custom-migration-unrecorded"
  | "numbered-below"
  | "not-in-sum";

/** status: a binding's databases against its migrations folder and the wrangler config. */
export type StatusKind =
  | "duplicate-number"
  | "sum-malformed"
  | "no-wrangler-config"
  | "not-in-wrangler-config"
  | "migrations-dir-differs"
  | "no-local-database"
  | "behind-baseline"
  | "applied-renamed"
  | "applied-removed"
  | "applied-edited"
  | "pending-out-of-order"
  | "pending-fails"
  | "pending";

/** verify: a replay of the folder against the snapshot and the squash, and each migration against rows. */
export type VerifyKind = "file-missing" | "migration-fails" | "migration-loses-rows" | "replay-differs-from-snapshot" | "replay-differs-from-squash";

/** wrangler-config (and check, apply): the config file and its d1_databases blocks. */
export type WranglerConfigKind =
  | "config-missing"
  | "config-invalid"
  | "binding-missing"
  | "binding-migrations-dir"
  | "binding-duplicate"
  | "binding-shared-id"
  | "binding-without-database-id";

/** drift: a live database against the schema, from the database's point of view. */
export type DriftKind = `${"missing" | "extra" | "differs" | "renamed"}-${"table" | "column" | "index" | "constraint" | "view" | "trigger"}`;

/** audit: what the report ranks. */
export type AuditKind = "production-behind" | "diverged-copies" | "deprecated-tables" | "empty-tables" | "shards-without-local-database" | "numbering-gaps";

export type FindingKind = LintRuleId | CheckKind | StatusKind | VerifyKind | WranglerConfigKind | DriftKind | AuditKind;

export interface Finding<Kind extends FindingKind = FindingKind> {
  severity: FindingSeverity;
  kind: Kind;
  /** The schema's database; absent for what belongs to the project (the types index, the wrangler config, a journal). */
  database?: string;
  table?: string;
  column?: string;
  /** The wrangler binding (or bindings, comma-separated) it concerns, and which of its databases. */
  binding?: string;
  side?: "local" | "remote";
  /** What is wrong, naming the file when there is one. */
  message: string;
  /** What to do about it; absent when the message is all there is to say. */
  fix?: string;
}

/** Lint's findings: a rule id for a kind, always on a database. */
export type LintFinding = Finding<LintRuleId> & { severity: LintSeverity; database: string };

/** `DB.table.column`, or `BINDING (local)`, or nothing for a finding about the project. */
export function findingPlace(finding: Finding): string | undefined {
  if (finding.binding !== undefined) return finding.side ? `${finding.binding} (${finding.side})` : finding.binding;
  return [finding.database, finding.table, finding.column].filter(Boolean).join(".") || undefined;
}

/**
 * One line of a list of findings (`check failed:`, `status: 2 findings:` ...): `place: message: fix`. A lint finding
 * in such a list (check lists lint's errors) says it is one, with its severity and rule.
 */
export function renderFinding(finding: Finding): string {
  if (isLintRuleId(finding.kind)) {
    return `lint ${finding.severity} ${finding.kind}: ${[findingPlace(finding), finding.message, finding.fix && `fix: ${finding.fix}`].filter(Boolean).join(": ")}`;
  }
  return [findingPlace(finding), finding.message, finding.fix].filter(Boolean).join(": ");
}

/** lint's own style, two lines: `warning foreign-key-without-index: DB.sessions.user_id: ...` then `    fix: ...`. */
export function renderRuleFinding(finding: Finding): string {
  return `${finding.severity} ${finding.kind}: ${findingPlace(finding) ?? ""}: ${finding.message}${finding.fix ? `\n    fix: ${finding.fix}` : ""}`;
}
