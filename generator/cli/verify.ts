import { runVerify, type DatabaseVerification, type MigrationCheck } from "../commands/verify.js";
import { loadProjectPaths } from "../io/project-config.js";
import { defineCommand, exitCodes, findingList } from "./command.js";

export const verifyCommand = defineCommand({
  command: "verify",
  describe: "replay every migrations folder: it must give the snapshot and the fresh squash, and each migration must keep rows",
  options: (yargs) =>
    yargs
      .option("database", { type: "string", describe: "only this database (name or folder)" })
      .option("json", { type: "boolean", default: false, describe: "print the report as JSON" }),
  run: async (args) => {
    const report = await runVerify(await loadProjectPaths(args.root), args.database);
    if (args.json) {
      console.log(JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2));
    } else {
      console.log(report.databases.flatMap(describeDatabase).join("\n"));
      if (report.findings.length === 0) console.log("verify passed: every migration replays to its snapshot and squash and keeps its rows");
      else console.error(`verify failed:\n${findingList(report.findings)}`);
    }
    return report.findings.length === 0 ? exitCodes.ok : exitCodes.finding;
  },
});

const comparisonWords = { same: "matches", differs: "DIFFERS from", missing: "finds no", "not replayed": "" } as const;

function describeDatabase(database: DatabaseVerification): string[] {
  const replay =
    database.snapshot === "not replayed"
      ? "the replay stops at a failing migration"
      : `the replay of ${database.migrations.length} ${database.migrations.length === 1 ? "migration" : "migrations"} ${comparisonWords[database.snapshot]} the snapshot and ${comparisonWords[database.squash]} the fresh squash`;
  return [
    `${database.database}  migrations/${database.folder}/: ${replay}`,
    ...database.migrations.map((check) => `${database.database}  ${check.file}  ${describeCheck(check)}`),
  ];
}

function describeCheck(check: MigrationCheck): string {
  const notes = check.notes.length > 0 ? `; ${check.notes.join("; ")}` : "";
  switch (check.result) {
    case "ok":
      return `ok: ${check.tablesChecked === 0 ? "no rows before it" : `kept the rows of ${check.tablesChecked} ${check.tablesChecked === 1 ? "table" : "tables"}`}${notes}`;
    case "loses rows":
      return `LOSES ROWS: ${check.problems.join("; ")}${notes}`;
    case "fails":
      return `FAILS: ${check.problems.join("; ")}`;
    case "not checked":
      return `not checked: ${check.notes.join("; ")}`;
    default: {
      const unknown: never = check.result;
      return unknown;
    }
  }
}
