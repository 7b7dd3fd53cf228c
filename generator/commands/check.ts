// `check`, the CI gate: the committed snapshots, squashes, types and migrations are exactly what `generate`
// would produce from schema/, and replaying each migrations folder gives the squash's schema.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { inputsHash, stampState } from "../io/fingerprint.js";
import { derivedFiles, displayPath, snapshotPath, type ProjectPaths } from "../io/paths.js";
import { renderSnapshot } from "../io/snapshot.js";
import { reportPhase } from "../io/progress.js";
import { sameValue } from "../model/same-value.js";
import { shapeAfterMigrations, shapeOfSquash } from "../sqlite/prove.js";
import { renderTypesIndex, typesIndexFileName } from "../types/render-index.js";
import { integrityFindings } from "./integrity.js";
import { defaultWranglerConfig, wranglerConfigFindings } from "./wrangler-config.js";
import { loadSchema } from "./load-models.js";
import { auditDocumentStates } from "./audit.js";
import { formatFinding } from "../lint/finding.js";
import { runLintRules } from "../lint/lint.js";
import { readDatabaseState } from "./read-database-state.js";

export interface CheckReport {
  findings: string[];
}

const stampProblems = {
  missing: "is missing",
  stale: "is out of date (the schema or the generator changed since it was written)",
  edited: "differs from what generate writes (edited by hand?)",
} as const;

const forbiddenInMigrations = /^\s*(BEGIN|COMMIT|END\s+TRANSACTION|ROLLBACK|SAVEPOINT|RELEASE)\b|PRAGMA\s+foreign_keys\b/im;

export async function runCheck(paths: ProjectPaths): Promise<CheckReport> {
  // A schema equal to its snapshot was proven in SQLite by the generate that wrote it; one that differs is a
  // finding below either way.
  reportPhase("loading schema/");
  const { models, files } = await loadSchema(paths.schemaDir, { prove: false });
  const findings: string[] = [];
  for (const model of models) {
    const state = await readDatabaseState(paths, model);
    const regenerate = "run `npm run generate` and commit the result";
    if (!state.snapshot) {
      findings.push(`${model.name}: no snapshot (${displayPath(paths, snapshotPath(paths, model.folder))}): ${regenerate}`);
      continue;
    }
    if (!sameValue(state.snapshot.database, model)) {
      findings.push(`${model.name}: schema/${model.folder}/ changed since the last generate: ${regenerate}`);
      continue;
    }
    const snapshotText = renderSnapshot(state.snapshot);
    if ((await readFile(snapshotPath(paths, model.folder), "utf8")) !== snapshotText) {
      findings.push(`${model.name}: ${displayPath(paths, snapshotPath(paths, model.folder))} differs from what generate writes (edited by hand?): ${regenerate}`);
    }
    let fresh = "";
    for (const derived of derivedFiles(paths, model.folder)) {
      const text = await readFile(derived.path, "utf8").catch(() => undefined);
      if (derived.kind === "fresh") fresh = text ?? "";
      const stamp = stampState(text, await inputsHash(derived.kind, snapshotText));
      if (stamp !== "current") findings.push(`${model.name}: ${displayPath(paths, derived.path)} ${stampProblems[stamp]}: ${regenerate}`);
    }
    findings.push(...integrityFindings(model.folder, state.migrations, state.sum).map((finding) => `${model.name}: ${finding}`));
    for (const file of state.otherSqlFiles) {
      findings.push(`${model.name}: migrations/${model.folder}/${file} is not named NNNN_name.sql, but wrangler would apply it: rename or remove it`);
    }
    for (const migration of state.migrations) {
      if (forbiddenInMigrations.test(migration.sql)) {
        findings.push(`${model.name}: migrations/${model.folder}/${migration.fileName} controls transactions or foreign keys, which fails or does nothing on D1: remove those statements`);
      }
    }
    reportPhase(`${model.name}: replaying migrations/${model.folder}/ and the squash in SQLite`);
    findings.push(...compareReplayWithSquash(model.name, model.folder, state.migrations, fresh));
  }
  // A project that keeps its wrangler.toml here gets its [[d1_databases]] blocks checked too.
  const wranglerConfig = defaultWranglerConfig(paths);
  if (existsSync(wranglerConfig)) findings.push(...(await wranglerConfigFindings(paths, models, wranglerConfig)));
  // Lint errors fail the gate; warnings are for `lint` and generate to show.
  for (const item of runLintRules(models).findings.filter((candidate) => candidate.severity === "error")) {
    findings.push(`lint ${formatFinding(item).replace(/\n\s+/, ": ")}`);
  }
  // The committed audit report and diagrams, once a project has them (audit --write).
  for (const document of (await auditDocumentStates(paths, models, files)) ?? []) {
    if (document.state !== "current") findings.push(`${displayPath(paths, document.path)} ${stampProblems[document.state]}: run \`npm run generate\` and commit the result`);
  }
  const index = path.join(paths.generatedDir, typesIndexFileName);
  const actualIndex = await readFile(index, "utf8").catch(() => undefined);
  if (actualIndex !== renderTypesIndex(models)) {
    findings.push(`${displayPath(paths, index)} ${actualIndex === undefined ? "is missing" : "differs from what generate writes (edited by hand?)"}: run \`npm run generate\` and commit the result`);
  }
  return { findings };
}

function compareReplayWithSquash(
  name: string,
  folder: string,
  migrations: readonly { fileName: string; sql: string }[],
  fresh: string,
): string[] {
  try {
    const replayed = shapeAfterMigrations(migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })));
    const squashed = shapeOfSquash(fresh);
    return replayed === squashed
      ? []
      : [`${name}: replaying migrations/${folder}/ does not give the schema of the squash (a migration was edited by hand?): restore it from git`];
  } catch (error) {
    return [`${name}: ${(error as Error).message}`];
  }
}
