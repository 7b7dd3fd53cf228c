// What check mode of `wrangler-config` reports, and `check` and `apply` with it: a config that is missing or
// unreadable, and the binding problems of the databases it must serve.
import path from "node:path";
import type { ProjectPaths } from "../io/paths.js";
import type { Database } from "../model/model.js";
import type { Finding, WranglerConfigKind } from "../model/finding.js";
import { bindingProblemFinding, bindingProblems, wantedBindings, writeHint } from "./bindings.js";
import { configFormat, environmentsWithD1Databases, parseD1Databases, readWranglerConfig, type WranglerConfig } from "./config.js";

/** The config file as named in messages: relative to the project root when it is inside it. */
export function configDisplayName(paths: ProjectPaths, configPath: string): string {
  const relative = path.relative(paths.root, configPath);
  return relative.startsWith("..") || path.isAbsolute(relative) ? configPath : relative.split(path.sep).join("/");
}

export function configFindings(config: WranglerConfig, configName: string): Finding<WranglerConfigKind>[] {
  if (config.kind === "missing")
    return [{ severity: "error", kind: "config-missing", message: `${configName} does not exist, so wrangler knows none of the bindings`, fix: writeHint }];
  if (config.kind === "invalid")
    return [
      { severity: "error", kind: "config-invalid", message: `${configName} is ${config.message.startsWith("not valid") ? "" : "unusable: "}${config.message}` },
    ];
  return [];
}

/**
 * The findings of check mode for `models`: for the `check` command, and for `apply`, which needs the blocks of
 * the bindings it applies.
 */
export async function wranglerConfigFindings(paths: ProjectPaths, models: readonly Database[], configPath: string): Promise<Finding<WranglerConfigKind>[]> {
  const config = await readWranglerConfig(configPath);
  const configName = configDisplayName(paths, configPath);
  if (config.kind !== "read") return configFindings(config, configName);
  const wanted = wantedBindings(paths, models, configPath);
  const findings = bindingProblems(config.databases, wanted, configPath).map((problem) => bindingProblemFinding(problem, configName));
  // `--env` applies an environment's own entries (wrangler does not inherit d1_databases), so the bindings an
  // environment declares follow the same rules; one it leaves out may be meant (a staging Worker without shards).
  // --write edits the top level only, so these are fixed by hand.
  for (const env of environmentsWithD1Databases(config.text, configFormat(configPath))) {
    const databases = parseD1Databases(config.text, configFormat(configPath), env);
    const declared = new Set(databases.map((entry) => entry.binding));
    const declaredWanted = wanted.filter((want) => declared.has(want.binding));
    for (const problem of bindingProblems(databases, declaredWanted, configPath)) {
      const finding = bindingProblemFinding(problem, configName, env);
      findings.push(
        finding.fix === writeHint ? { ...finding, fix: `edit env.${env}'s d1_databases in ${configName} by hand (--write edits the top level)` } : finding,
      );
    }
  }
  return findings;
}
