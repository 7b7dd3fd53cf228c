import { runAudit } from "../commands/audit.js";
import { auditDocument, docsDir, renderAuditDocuments } from "../audit/documents.js";
import { renderAuditMarkdown } from "../audit/render-markdown.js";
import { displayPath } from "../io/paths.js";
import { loadProjectPaths } from "../io/project-config.js";
import { WranglerStateError } from "../wrangler/state-error.js";
import { writeFilesAtomically } from "../io/write-files.js";
import { defineCommand, exitCodes, UsageError } from "./command.js";
import { withRemoteStatus, withWranglerState } from "./wrangler-state-options.js";

export const auditCommand = defineCommand({
  command: "audit",
  describe: "the schema audit report: inventory, drift, numbering, tables, indexes, cross-database tables, ranked findings",
  options: (yargs) =>
    withRemoteStatus(withWranglerState(yargs))
      .option("json", { type: "boolean", default: false, describe: "print the report as JSON" })
      .option("write", {
        type: "boolean",
        default: false,
        describe: `write docs/${auditDocument} and an ER diagram a schema file under docs/diagrams/ (from schema/ and migrations/ only; generate and check keep them current from then on)`,
      })
      .option("local", {
        type: "boolean",
        default: false,
        describe: "read the local databases: applied migrations, tables without rows, shards without a database",
      }),
  writes: (args) => args.write,
  run: async (args) => {
    if (args.write && (args.local || args["remote-status"].length > 0)) {
      throw new UsageError(
        `--write makes the committed docs/${auditDocument} from schema/ and migrations/ alone, so that check can tell when it is stale; drop --local and --remote-status`,
      );
    }
    const paths = await loadProjectPaths(args.root);
    let audit;
    try {
      audit = await runAudit(paths, { local: args.local, remoteStatus: args["remote-status"], config: args.config, persistTo: args["persist-to"] });
    } catch (error) {
      if (error instanceof WranglerStateError) throw new UsageError(error.message);
      throw error;
    }
    if (args.write) {
      const writes = await renderAuditDocuments(paths, audit.report, audit.models, audit.files);
      await writeFilesAtomically(paths.root, writes);
      console.log(`wrote ${displayPath(paths, docsDir(paths))}/${auditDocument} and ${writes.length - 1} diagrams`);
    } else if (args.json) {
      console.log(JSON.stringify(audit.report, null, 2));
    } else {
      console.log(renderAuditMarkdown(audit.report).trimEnd());
    }
    return exitCodes.ok;
  },
});
