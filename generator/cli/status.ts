import { runStatus } from "../commands/status.js";
import type { BindingStatus, DatabaseStatus } from "../status/status.js";
import { loadProjectPaths } from "../io/project-config.js";
import { WranglerStateError } from "../wrangler/state-error.js";
import { renderMigrationEffect } from "../sqlite/migration-effects.js";
import { defineCommand, exitCodes, findingList, UsageError } from "./command.js";
import { withRemoteStatus, withWranglerState } from "./wrangler-state-options.js";

export const statusCommand = defineCommand({
  command: "status",
  describe: "which migrations each binding's local and production databases have applied, and what the pending ones do",
  options: (yargs) =>
    withRemoteStatus(withWranglerState(yargs))
      .option("local", { type: "boolean", default: true, describe: "read the local databases (--no-local to skip them)" })
      .option("json", { type: "boolean", default: false, describe: "print the report as JSON" }),
  run: async (args) => {
    let report;
    try {
      report = await runStatus(await loadProjectPaths(args.root), {
        config: args.config,
        persistTo: args["persist-to"],
        local: args.local,
        remoteStatus: args["remote-status"],
      });
    } catch (error) {
      if (error instanceof WranglerStateError) throw new UsageError(error.message);
      throw error;
    }
    if (args.json) {
      console.log(JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2));
    } else {
      console.log(renderStatus(report.bindings, report.unmatchedLocalFiles));
      if (report.findings.length === 0) console.log("status: every database has every migration");
      else console.error(`status: ${report.findings.length} ${report.findings.length === 1 ? "finding" : "findings"}:\n${findingList(report.findings)}`);
    }
    return report.findings.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});

/** The inventory table (binding, database, folder, local, remote), then each pending file with its effects. */
function renderStatus(bindings: readonly BindingStatus[], unmatchedLocalFiles: readonly string[]): string {
  const withLocal = bindings.some((binding) => binding.local);
  const withRemote = bindings.some((binding) => binding.remote);
  const header = ["binding", "database", "migrations", ...(withLocal ? ["local"] : []), ...(withRemote ? ["remote"] : [])];
  const rows = bindings.map((binding) => [
    binding.binding,
    binding.database ?? "—",
    binding.migrationsDir,
    ...(withLocal ? [binding.local?.summary ?? "—"] : []),
    ...(withRemote ? [binding.remote?.summary ?? "—"] : []),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const lines = [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
  const pending = bindings.flatMap((binding) => [
    ...pendingLines(binding.binding, "local", binding.local),
    ...pendingLines(binding.binding, "remote", binding.remote),
  ]);
  if (pending.length > 0) lines.push("", "pending:", ...pending);
  if (unmatchedLocalFiles.length > 0) lines.push("", `local databases no binding maps to (a database_id changed?): ${unmatchedLocalFiles.join(", ")}`);
  return lines.join("\n");
}

function pendingLines(binding: string, side: string, status: DatabaseStatus | undefined): string[] {
  if (status?.state !== "found") return [];
  const adopted = status.adoptedBaseline
    ? [
        `  ${binding} ${side}: ${status.adoptedBaseline}: not counted: a no-op here (IF NOT EXISTS; it adopts the history this database applied), which wrangler runs and records`,
      ]
    : [];
  return [
    ...adopted,
    ...status.pendingEffects.map((migration) => `  ${binding} ${side}: ${migration.file}: ${migration.effects.map(renderMigrationEffect).join("; ")}`),
  ];
}
