// `audit`: the schema audit report (audit/report.ts) from schema/ and migrations/, and, when asked, the local
// databases and saved production status. `--write` keeps the committed report and its diagrams in docs/
// (audit/documents.ts).
import { readAuditDatabases, type LoadedSchema } from "../audit/documents.js";
import { buildAudit, type AuditReport } from "../audit/report.js";
import type { ProjectPaths } from "../io/paths.js";
import { openLocalDatabases } from "../wrangler/local-state.js";
import { quoteIdentifier } from "../model/identifiers.js";
import type { Database as Model } from "../model/model.js";
import { loadSchema } from "../project/load-models.js";
import { readStatus } from "../status/status.js";

export interface AuditOptions {
  /** Read the local databases: applied migrations and row counts. */
  local: boolean;
  /** Saved production status files, as `status --remote-status` takes them. */
  remoteStatus: readonly string[];
  config?: string;
  persistTo?: string;
}

/** The report, with the schema it was made from (audit --write renders the documents from both). */
export async function runAudit(paths: ProjectPaths, options: AuditOptions): Promise<LoadedSchema & { report: AuditReport }> {
  const loaded = await loadSchema(paths.schemaDir, { prove: false });
  const databases = await readAuditDatabases(paths, loaded);
  const withState = options.local || options.remoteStatus.length > 0;
  const status = withState
    ? await readStatus(paths, { local: options.local, remoteStatus: options.remoteStatus, config: options.config, persistTo: options.persistTo })
    : undefined;
  const rowCounts = options.local ? await localRowCounts(paths, loaded.models, options) : undefined;
  return { report: buildAudit({ databases, status, rowCounts }), models: loaded.models, files: loaded.files };
}

/** Rows of each schema table in each binding's local database (wrangler's state), for the empty-table finding. */
async function localRowCounts(paths: ProjectPaths, models: readonly Model[], options: AuditOptions): Promise<Map<string, Map<string, number>>> {
  const counts = new Map<string, Map<string, number>>();
  for (const [binding, db] of await openLocalDatabases(paths, options)) {
    try {
      const model = models.find((candidate) => candidate.bindings.includes(binding));
      if (!model) continue;
      const present = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
      const tableCounts = new Map<string, number>();
      for (const table of model.tables.filter((candidate) => present.has(candidate.name))) {
        tableCounts.set(table.name, (db.prepare(`SELECT count(*) AS rows FROM ${quoteIdentifier(table.name)}`).get() as { rows: number }).rows);
      }
      counts.set(binding, tableCounts);
    } finally {
      db.close();
    }
  }
  return counts;
}
