// `wrangler-config`: every binding of every database has a d1_databases entry in the wrangler config
// (wrangler.json, wrangler.jsonc or wrangler.toml) whose migrations_dir is its database's migrations folder, so that
// the four shards apply the one shard folder. Check mode lists what is missing or wrong; --write adds the missing
// entries and fixes migrations_dir, and leaves database ids, other keys and the rest of the file as they are.
import type { ProjectPaths } from "../io/paths.js";
import { writeFilesAtomically } from "../io/write-files.js";
import { SchemaError } from "../model/errors.js";
import { bindingProblemFinding, bindingProblems, d1EntryWords, wantedBindings, type WantedBinding } from "../wrangler/bindings.js";
import { renderFinding, type Finding, type WranglerConfigKind } from "../model/finding.js";
import { configFormat, readWranglerConfig, type D1DatabaseEntry } from "../wrangler/config.js";
import { configDisplayName, wranglerConfigFindings } from "../wrangler/config-findings.js";
import { editD1Databases, type D1DatabasesEdit, type D1KeyLine } from "../wrangler/edit.js";
import { placeholderDatabaseId } from "../wrangler/placeholder-id.js";
import { loadModels } from "../project/load-models.js";

export interface WranglerConfigReport {
  /** Check mode: what is missing or wrong (empty when the file is right). */
  findings: Finding<WranglerConfigKind>[];
  /** What was checked or written, for people. */
  lines: string[];
}

export async function runWranglerConfig(paths: ProjectPaths, options: { configPath: string; write: boolean }): Promise<WranglerConfigReport> {
  const models = await loadModels(paths.schemaDir);
  const configName = configDisplayName(paths, options.configPath);
  const wanted = wantedBindings(paths, models, options.configPath);
  if (!options.write) {
    const findings = await wranglerConfigFindings(paths, models, options.configPath);
    return { findings, lines: findings.length === 0 ? [`${configName}: all ${wanted.length} bindings point at their migrations folders`] : [] };
  }
  const config = await readWranglerConfig(options.configPath);
  if (config.kind === "invalid") throw new SchemaError({ database: configName }, config.message, "fix the file, then run wrangler-config --write again");
  const text = config.kind === "read" ? config.text : "";
  const databases = config.kind === "read" ? config.databases : [];
  const { edit, lines } = planEdit(databases, wanted, options.configPath, configName);
  if (lines.length === 0) return { findings: [], lines: ["no changes"] };
  let edited: string;
  try {
    edited = editD1Databases(text, edit, configFormat(options.configPath));
  } catch (error) {
    throw new SchemaError(
      { database: configName },
      (error as Error).message,
      `add or fix the ${d1EntryWords(configName, 2)} by hand (wrangler-config without --write lists them)`,
    );
  }
  await writeFilesAtomically(paths.root, [{ path: options.configPath, content: edited }]);
  return { findings: [], lines };
}

/** The edit that fixes what can be fixed; problems that need a person (duplicates, shared ids) are errors. */
function planEdit(
  databases: readonly D1DatabaseEntry[],
  wanted: readonly WantedBinding[],
  configPath: string,
  configName: string,
): { edit: D1DatabasesEdit; lines: string[] } {
  const edit: D1DatabasesEdit = { set: [], append: [] };
  const lines: string[] = [];
  const appended: D1DatabaseEntry[] = [];
  for (const problem of bindingProblems(databases, wanted, configPath)) {
    if (problem.kind === "missing") {
      const want = wanted.find((candidate) => candidate.binding === problem.binding);
      if (!want) continue;
      const block = newBlock(want);
      edit.append.push(block);
      appended.push(Object.fromEntries(block.map((line) => [line.key, line.value])) as D1DatabaseEntry);
      lines.push(`${configName}: added ${want.binding} (migrations_dir = "${want.migrationsDir}", a placeholder database_id)`);
    } else if (problem.kind === "migrations-dir") {
      edit.set.push({ block: databases.findIndex((entry) => entry.binding === problem.binding), key: "migrations_dir", value: problem.expected });
      lines.push(`${configName}: ${problem.binding} migrations_dir ${problem.actual === undefined ? "added" : `"${problem.actual}" →`} "${problem.expected}"`);
    }
  }
  const unfixable = bindingProblems([...databases, ...appended], wanted, configPath).filter(
    (problem) => problem.kind === "duplicate" || problem.kind === "shared-id",
  );
  if (unfixable.length > 0) {
    throw new SchemaError(
      { database: configName },
      `cannot be fixed automatically:\n${unfixable.map((problem) => `    - ${renderFinding(bindingProblemFinding(problem, configName))}`).join("\n")}`,
      "fix these blocks by hand, then run wrangler-config --write again",
    );
  }
  return { edit, lines };
}

function newBlock(want: WantedBinding): D1KeyLine[] {
  return [
    { key: "binding", value: want.binding },
    { key: "database_name", value: want.binding.toLowerCase().replaceAll("_", "-") },
    { key: "database_id", value: placeholderDatabaseId(want.binding), comment: "placeholder for --local: set the real id (wrangler d1 list) before --remote" },
    { key: "migrations_dir", value: want.migrationsDir },
  ];
}
