import { runLint } from "../commands/lint.js";
import { renderRuleFinding } from "../model/finding.js";
import { lintRules } from "../model/lint-rules.js";
import { loadProjectPaths } from "../io/project-config.js";
import { WranglerStateError } from "../wrangler/state-error.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";
import { withWranglerState } from "./wrangler-state-options.js";

export const lintCommand = defineCommand({
  command: "lint",
  describe: `rules on the schema and the pending migration (${Object.keys(lintRules).length} rules, each with an id and a severity); exit 1 on an error`,
  options: (yargs) =>
    withWranglerState(yargs)
      .option("local", {
        type: "boolean",
        default: false,
        describe: "read the local databases: rows a rebuild copies, duplicates under a new UNIQUE index, NULLs under a new NOT NULL",
      })
      .option("show-silenced", { type: "boolean", default: false, describe: "also list what the schema's lint silencers hide, with their reasons" })
      .option("json", { type: "boolean", default: false, describe: "print the findings as JSON" }),
  run: async (args) => {
    let report;
    try {
      report = await runLint(await loadProjectPaths(args.root), { local: args.local, config: args.config, persistTo: args["persist-to"] });
    } catch (error) {
      if (error instanceof WranglerStateError) throw new UsageError(error.message);
      throw error;
    }
    const errors = report.findings.filter((item) => item.severity === "error").length;
    if (args.json) {
      console.log(JSON.stringify({ ok: errors === 0, ...report, silenced: args["show-silenced"] ? report.silenced : undefined }, null, 2));
    } else {
      const lines = [...report.refusals.map((refusal) => `refused: ${refusal}`), ...report.findings.map(renderRuleFinding)];
      if (args["show-silenced"])
        lines.push(...report.silenced.map((item) => `silenced ${item.kind}: ${[item.database, item.table].filter(Boolean).join(".")}: ${item.reason}`));
      const warnings = report.findings.length - errors;
      lines.push(`lint: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${report.silenced.length} silenced`);
      console.log(lines.join("\n"));
    }
    return errors > 0 ? exitCodes.finding : exitCodes.ok;
  },
});
