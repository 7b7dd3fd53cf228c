// `lint`: the rules of lint/ on the schema and on the pending migration (what generate would write next), with
// the local databases when asked (row counts of a rebuild, duplicates under a new UNIQUE index, NULLs under a new
// NOT NULL).
import { inBuiltColumnOrder } from "../diff/physical-order.js";
import { diffSchemas } from "../diff/diff.js";
import type { ProjectPaths } from "../io/paths.js";
import { emptyDatabase } from "../model/snapshot.js";
import { bindingDatabases, openLocalDatabases } from "../wrangler/local-state.js";
import { runLintRules, type LintResult } from "../lint/lint.js";
import type { PendingMigration } from "../lint/migration-rules.js";
import { SchemaError } from "../model/errors.js";
import { planMigration } from "../plan/plan.js";
import type { SqliteDatabase } from "../sqlite/apply.js";
import { loadModels } from "../project/load-models.js";
import { readDatabaseState } from "../project/database-state.js";

export interface LintOptions {
  local: boolean;
  config?: string;
  persistTo?: string;
}

export interface LintReport extends LintResult {
  /** Changes the planner refuses (generate would say the same). */
  refusals: string[];
}

export async function runLint(paths: ProjectPaths, options: LintOptions): Promise<LintReport> {
  const models = await loadModels(paths.schemaDir, { prove: false });
  const locals = options.local ? await openLocalDatabases(paths, options) : new Map<string, SqliteDatabase>();
  try {
    const pending: PendingMigration[] = [];
    const refusals: string[] = [];
    for (const model of models) {
      const state = await readDatabaseState(paths, model);
      const previous = state.snapshot?.database ?? emptyDatabase(model);
      // As generate plans it: columns in the order the migrations built them (diff/physical-order.ts).
      const diff = diffSchemas(previous, inBuiltColumnOrder(model, previous));
      const changes = diff.changes;
      if (changes.length === 0) continue;
      let plan;
      try {
        plan = planMigration(diff);
      } catch (error) {
        if (!(error instanceof SchemaError)) throw error;
        refusals.push(error.message);
      }
      pending.push({ model, previous, changes, plan, local: bindingDatabases(model, locals) });
    }
    return { ...runLintRules(models, pending), refusals };
  } finally {
    for (const db of locals.values()) db.close();
  }
}
