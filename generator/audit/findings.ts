// The audit's findings, ranked as ClearLift ranks theirs (CRITICAL, HIGH, MEDIUM, LOW), each with its fix: the one
// Finding shape (model/finding.ts), the message a title and `detail` the lines under it.
import { auditSeverities, type AuditKind, type AuditSeverity, type Finding } from "../model/finding.js";
import type { StatusReport } from "../status/status.js";
import { formatRange } from "./numbering.js";
import { renderImpact } from "./impact.js";
import type { AuditReport } from "./report.js";

export interface AuditFinding extends Finding<AuditKind> {
  severity: AuditSeverity;
  detail: string;
  fix: string;
}

export function findingsOf(report: Omit<AuditReport, "findings">, status: StatusReport | undefined): AuditFinding[] {
  const findings: AuditFinding[] = [
    ...productionBehind(report),
    ...divergedCopies(report),
    ...deprecatedStillPresent(report),
    ...emptyTables(report),
    ...shardsWithoutLocalDatabase(report, status),
    ...numberingGaps(report),
  ];
  return findings.sort((a, b) => auditSeverities.indexOf(a.severity) - auditSeverities.indexOf(b.severity));
}

function productionBehind(report: Omit<AuditReport, "findings">): AuditFinding[] {
  const byBinding = new Map<string, AuditReport["pending"]>();
  for (const row of report.pending.filter((candidate) => candidate.where === "production"))
    byBinding.set(row.binding, [...(byBinding.get(row.binding) ?? []), row]);
  return [...byBinding].map(([binding, rows]) => {
    const breaking = rows.filter((row) => row.impact === "fails" || row.impact === "createsWhatCodeUses");
    return {
      severity: breaking.length > 0 ? "CRITICAL" : "LOW",
      kind: "production-behind",
      binding,
      message: `Production ${binding} is ${rows.length} migration${rows.length > 1 ? "s" : ""} behind`,
      detail: rows.map((row) => `${row.file}: ${row.effects.join("; ") || "no schema change"} (${renderImpact(row.impact)})`).join("\n"),
      fix: `npx wrangler d1 migrations apply ${binding} --remote (then save its status again and re-run the audit)`,
    } satisfies AuditFinding;
  });
}

function divergedCopies(report: Omit<AuditReport, "findings">): AuditFinding[] {
  return report.crossDatabase
    .filter((entry) => !entry.identical)
    .map((entry) => {
      const dead = entry.copies.filter((copy) => copy.deprecated || copy.where === "production");
      const live = entry.copies.filter((copy) => !dead.includes(copy));
      const describe = (copy: (typeof entry.copies)[number]) =>
        `${copy.database} (${copy.where === "production" ? "still in production, dropped by a pending migration" : copy.deprecated ? `deprecated: ${copy.deprecated}` : `${copy.columns.length} columns`})`;
      return {
        severity: dead.length > 0 && live.length === 1 ? "MEDIUM" : "HIGH",
        kind: "diverged-copies",
        table: entry.table,
        message: `\`${entry.table}\` exists in ${entry.copies.length} databases with different definitions`,
        detail: `Copies: ${entry.copies.map(describe).join(", ")}. Code that reads the wrong copy sees other rows.`,
        fix:
          live.length === 1
            ? `keep ${live[0].database}.${entry.table}; ${dead.some((copy) => copy.where === "production") ? "apply the pending migration that drops the other copy" : "remove the other copy from schema/ and run generate --allow-destructive"}`
            : 'choose the canonical copy, mark the others deprecated: "why" in schema/, move their readers, then drop them',
      } satisfies AuditFinding;
    });
}

function deprecatedStillPresent(report: Omit<AuditReport, "findings">): AuditFinding[] {
  if (report.deprecatedTables.length === 0) return [];
  return [
    {
      severity: "MEDIUM",
      kind: "deprecated-tables",
      message: `${report.deprecatedTables.length} deprecated table${report.deprecatedTables.length > 1 ? "s are" : " is"} still in the schema`,
      detail: report.deprecatedTables.map((entry) => `${entry.database}.${entry.table}: ${entry.reason}`).join("\n"),
      fix: "once nothing reads or writes a table, remove it from schema/ and run generate --allow-destructive",
    },
  ];
}

function emptyTables(report: Omit<AuditReport, "findings">): AuditFinding[] {
  return report.emptyTables.map((entry) => ({
    severity: "MEDIUM",
    kind: "empty-tables",
    binding: entry.binding,
    message: `${entry.tables.length} table${entry.tables.length > 1 ? "s" : ""} of ${entry.binding} ${entry.tables.length > 1 ? "have" : "has"} no rows locally`,
    detail: entry.tables.join(", "),
    fix: "confirm each has a writer; scaffolding nobody writes to is schema to maintain for nothing: deprecate and drop it",
  }));
}

function shardsWithoutLocalDatabase(report: Omit<AuditReport, "findings">, status: StatusReport | undefined): AuditFinding[] {
  const missing = (status?.bindings ?? []).filter((binding) => binding.local?.state === "no local database");
  const shared = new Set(report.databases.filter((database) => database.bindings.length > 1).flatMap((database) => database.bindings));
  const shards = missing.filter((binding) => shared.has(binding.binding)).map((binding) => binding.binding);
  if (shards.length === 0) return [];
  return [
    {
      severity: "MEDIUM",
      kind: "shards-without-local-database",
      message: `Shards with no local database: ${shards.join(", ")}`,
      detail: "Local runs cannot exercise the shard paths.",
      fix: "d1-schema apply --local (or wrangler d1 migrations apply <BINDING> --local for each shard)",
    },
  ];
}

function numberingGaps(report: Omit<AuditReport, "findings">): AuditFinding[] {
  return report.databases.flatMap((database) => {
    const gaps = database.numbering.filter((range) => range.kind === "gap");
    if (gaps.length === 0) return [];
    return [
      {
        severity: "LOW",
        kind: "numbering-gaps",
        database: database.name,
        message: `${database.name} migration numbering has gaps: ${gaps.map(formatRange).join(", ")}`,
        detail: "wrangler applies files in name order, so gaps are harmless; numbers taken by another folder or skipped on purpose look the same.",
        fix: "nothing to do; generate numbers the next migration after the highest",
      } satisfies AuditFinding,
    ];
  });
}
