// One lint finding: which rule, where (database.table.column), what is wrong and how to fix it.
import { lintRules, type LintRuleId, type LintSeverity } from "./rule-ids.js";

export interface LintFinding {
  rule: LintRuleId;
  severity: LintSeverity;
  database: string;
  table?: string;
  column?: string;
  message: string;
  fix: string;
}

export function finding(rule: LintRuleId, where: { database: string; table?: string; column?: string }, message: string, fix: string): LintFinding {
  return { rule, severity: lintRules[rule].severity, ...where, message, fix };
}

/** `warning foreign-key-without-index: DB.sessions.user_id: ... (fix: ...)`. */
export function formatFinding(item: LintFinding): string {
  const place = [item.database, item.table, item.column].filter(Boolean).join(".");
  return `${item.severity} ${item.rule}: ${place}: ${item.message}\n    fix: ${item.fix}`;
}
