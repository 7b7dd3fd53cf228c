// A lint finding (model/finding.ts) for a rule: its severity is the rule's.
import type { LintFinding } from "../model/finding.js";
import { lintRules, type LintRuleId } from "../model/lint-rules.js";

export function finding(rule: LintRuleId, where: { database: string; table?: string; column?: string }, message: string, fix: string): LintFinding {
  return { severity: lintRules[rule].severity, kind: rule, ...where, message, fix };
}
