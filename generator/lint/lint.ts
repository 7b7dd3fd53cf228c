// Runs the lint rules and applies the schema's silencers: a table's `lint: { rule: "reason" }` hides that rule's
// findings for the table (validation has made sure each silencer names a rule and gives a reason).
import type { Database } from "../model/model.js";
import type { LintFinding } from "../model/finding.js";
import { migrationFindings, type PendingMigration } from "./migration-rules.js";
import { schemaFindings } from "./schema-rules.js";

export interface LintResult {
  findings: LintFinding[];
  /** Findings a silencer hid, with its reason: `lint --show-silenced` lists them. */
  silenced: (LintFinding & { reason: string })[];
}

export function runLintRules(models: readonly Database[], pending: readonly PendingMigration[] = []): LintResult {
  const all = [...schemaFindings(models), ...pending.flatMap(migrationFindings)];
  const reasonFor = (item: LintFinding) => {
    const model = models.find((candidate) => candidate.name === item.database);
    const tables = (item.table ?? "").split(", ");
    return tables.map((name) => model?.tables.find((table) => table.name === name)?.lint?.[item.kind]).find((reason) => reason !== undefined);
  };
  const result: LintResult = { findings: [], silenced: [] };
  for (const item of all) {
    const reason = reasonFor(item);
    if (reason === undefined) result.findings.push(item);
    else result.silenced.push({ ...item, reason });
  }
  result.findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return result;
}
