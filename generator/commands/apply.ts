// `apply`: `check` first, then `wrangler d1 migrations apply <BINDING>` for every binding of the selected
// databases, each shard on its own, one binding after the other, stopping at the first failure. wrangler applies
// and records (d1_migrations); we only choose the bindings, read what it printed and sum it up. --local and
// --remote take the same path and differ only in the flag passed on (and --remote's need for real database ids).
import path from "node:path";
import { listMigrationFolder } from "../project/migration-files.js";
import { selectBindings, type BindingTarget } from "../project/select-databases.js";
import { databaseMigrationsDir, type ProjectPaths } from "../io/paths.js";
import { checkProject } from "../check/check-project.js";
import { loadModels } from "../project/load-models.js";
import { bindingProblemFinding, bindingProblems, wantedBindings } from "../wrangler/bindings.js";
import { readWranglerConfig } from "../wrangler/config.js";
import { configDisplayName, configFindings } from "../wrangler/config-findings.js";
import type { Finding, WranglerConfigKind } from "../model/finding.js";
import { isPlaceholderDatabaseId } from "../wrangler/placeholder-id.js";
import type { WranglerResult, WranglerRunner } from "../wrangler/run-wrangler.js";
import { readMigrationsOutput, wranglerErrors } from "../wrangler/wrangler-output.js";

export interface ApplyOptions {
  target: "local" | "remote";
  /** A database (name or folder) or one binding (SHARD_2); default: every database. */
  only?: string;
  /** wrangler's --persist-to for --local (default: its .wrangler/state beside the config). */
  persistTo?: string;
  /** A wrangler environment: its d1_databases are checked, and wrangler gets --env. */
  env?: string;
  configPath: string;
  runner: WranglerRunner;
}

export interface BindingOutcome {
  binding: string;
  /** Files wrangler applied in this run, in order. */
  appliedNow: string[];
  /** Files of the folder now recorded as applied; undefined when wrangler's output was not understood. */
  applied?: number;
  /** Migration files in the folder. */
  total: number;
  failure?: { migration?: string; errors: string[] };
}

export interface ApplyReport {
  /** Why nothing was applied: check's findings, or bindings the wrangler config does not declare as it must. */
  blocked?: { by: "check" | "config"; findings: Finding[] };
  outcomes: BindingOutcome[];
  /** Bindings not applied because an earlier one failed. */
  notReached: string[];
}

export async function runApply(paths: ProjectPaths, options: ApplyOptions): Promise<ApplyReport> {
  // An unknown --database is a usage error (exit 2), found before check's findings (exit 1).
  const targets = selectBindings(await loadModels(paths.schemaDir), options.only);
  const check = await checkProject(paths);
  if (check.findings.length > 0) return { blocked: { by: "check", findings: check.findings }, outcomes: [], notReached: [] };

  const configFindings = await configProblems(paths, targets, options);
  if (configFindings.length > 0) return { blocked: { by: "config", findings: configFindings }, outcomes: [], notReached: [] };

  const outcomes: BindingOutcome[] = [];
  for (const [index, target] of targets.entries()) {
    const total = (await listMigrationFolder(databaseMigrationsDir(paths, target.model.folder))).migrations.length;
    const result = await options.runner(applyArguments(target.binding, options), { cwd: paths.root });
    const outcome = readOutcome(target.binding, total, result);
    outcomes.push(outcome);
    if (outcome.failure) return { outcomes, notReached: targets.slice(index + 1).map((next) => next.binding) };
  }
  return { outcomes, notReached: [] };
}

/** The wrangler command line for one binding. */
export function applyArguments(binding: string, options: Pick<ApplyOptions, "target" | "persistTo" | "configPath" | "env">): string[] {
  return [
    "d1",
    "migrations",
    "apply",
    binding,
    `--${options.target}`,
    ...(options.target === "local" && options.persistTo !== undefined ? [`--persist-to=${path.resolve(options.persistTo)}`] : []),
    `--config=${path.resolve(options.configPath)}`,
    ...(options.env !== undefined ? [`--env=${options.env}`] : []),
  ];
}

/** The selected bindings must be declared as wrangler-config writes them; --remote also needs their real ids. */
async function configProblems(paths: ProjectPaths, targets: readonly BindingTarget[], options: ApplyOptions): Promise<Finding<WranglerConfigKind>[]> {
  const configName = configDisplayName(paths, options.configPath);
  const config = await readWranglerConfig(options.configPath, options.env);
  if (config.kind === "missing") return configFindings(config, configName);
  if (config.kind === "invalid") return [{ severity: "error", kind: "config-invalid", message: `${configName}: ${config.message}` }];
  const selected = new Set(targets.map((target) => target.binding));
  const models = [...new Set(targets.map((target) => target.model))];
  const wanted = wantedBindings(paths, models, options.configPath).filter((want) => selected.has(want.binding));
  const findings = bindingProblems(config.databases, wanted, options.configPath).map((problem) => bindingProblemFinding(problem, configName, options.env));
  if (options.target === "remote") {
    for (const binding of selected) {
      const id = config.databases.find((entry) => entry.binding === binding)?.database_id;
      if (id === undefined || isPlaceholderDatabaseId(id)) {
        findings.push({
          severity: "error",
          kind: "binding-without-database-id",
          binding,
          message: `${id === undefined ? "has no database_id" : `database_id "${id}" is the placeholder wrangler-config wrote`} in ${configName}, and --remote needs the id of the real D1 database`,
          fix: "copy it from `wrangler d1 list` (or create one with `wrangler d1 create`)",
        });
      }
    }
  }
  return findings;
}

function readOutcome(binding: string, total: number, result: WranglerResult): BindingOutcome {
  const output = readMigrationsOutput(result.stdout);
  const appliedNow = [...output.status].filter(([, status]) => status === "applied").map(([name]) => name);
  const applied = output.nothingToApply ? total : output.pending.length > 0 ? total - output.pending.length + appliedNow.length : undefined;
  if (result.code === 0 && !result.timedOut) return { binding, appliedNow, applied, total };
  const migration = [...output.status].find(([, status]) => status === "failed")?.[0];
  const errors = result.timedOut
    ? ["wrangler did not finish in time and was stopped"]
    : wranglerErrors(result).filter((line) => !/^Migration \S+ failed with the following errors:$/.test(line));
  return { binding, appliedNow, applied, total, failure: { migration, errors } };
}

/** One line per binding, e.g. `SHARD_2  applied 1 (0003_production_baseline.sql), 1/1`. */
export function describeApply(report: ApplyReport): string[] {
  const width = Math.max(0, ...report.outcomes.map((outcome) => outcome.binding.length));
  const lines = report.outcomes.map((outcome) => {
    const files = outcome.appliedNow.length > 0 ? ` (${outcome.appliedNow.join(", ")})` : "";
    const count = `applied ${outcome.appliedNow.length}${files}, ${outcome.applied ?? "?"}/${outcome.total}`;
    const name = outcome.binding.padEnd(width);
    if (!outcome.failure)
      return `${name}  ${count}${outcome.applied === undefined ? " (wrangler's output was not understood: see `wrangler d1 migrations list`)" : ""}`;
    return `${name}  failed${outcome.failure.migration ? ` at ${outcome.failure.migration}` : ""}: ${outcome.failure.errors.join(" ")}; ${count}`;
  });
  if (report.notReached.length > 0) lines.push(`not applied (stopped at the first failure): ${report.notReached.join(", ")}`);
  return lines;
}
