// What `check` (the CI gate) and `apply` (before it runs wrangler) find: the committed snapshots, squashes, types and
// migrations are exactly what `generate` would produce from schema/, and replaying each migrations folder gives the
// squash's schema.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { inputsHash, stampState } from "../io/fingerprint.js";
import { derivedFiles, displayPath, snapshotPath, type ProjectPaths } from "../io/paths.js";
import { renderSnapshot } from "../model/snapshot.js";
import { inBuiltColumnOrder } from "../diff/physical-order.js";
import { reportPhase } from "../io/progress.js";
import { interruptedWriteFindings } from "../io/write-journal.js";
import { sameValue } from "../model/same-value.js";
import { replayAgainstSquash, schemaShapesAfterMigrations } from "../sqlite/prove.js";
import type { Database } from "../model/model.js";
import { describeShapeDisagreement, describeStanding, snapshotShapeDifferences, snapshotStanding } from "../project/snapshot-proof.js";
import { renderTypesIndex, typesIndexFileName } from "../types/render-index.js";
import { editedCustomMigrations, integrityFindings } from "../project/integrity.js";
import { recordCustomMigrations } from "../project/custom-migration.js";
import { transactionControlStatement } from "../sqlite/transaction-control.js";
import { loadSchema } from "../project/load-models.js";
import { auditDocumentStates } from "../audit/documents.js";
import { runLintRules } from "../lint/lint.js";
import { readMigrationFiles, readMigrationSum, type DatabaseState } from "../project/database-state.js";
import { readSnapshot } from "../project/snapshot-file.js";
import { SchemaError } from "../model/errors.js";
import type { CheckKind, Finding, GeneratedFileKind, WranglerConfigKind } from "../model/finding.js";
import type { LintRuleId } from "../model/lint-rules.js";
import { projectWranglerConfig } from "../wrangler/config.js";
import { wranglerConfigFindings } from "../wrangler/config-findings.js";

export type CheckFinding = Finding<CheckKind | WranglerConfigKind | LintRuleId>;

export interface CheckReport {
  findings: CheckFinding[];
}

const regenerate = "run `npx d1-schema generate` and commit the result";

const stampProblems = {
  missing: { kind: "file-missing", words: "is missing" },
  stale: { kind: "file-stale", words: "is out of date (the schema or the generator changed since it was written)" },
  edited: { kind: "file-edited", words: "differs from what generate writes (edited by hand?)" },
} as const satisfies Record<string, { kind: GeneratedFileKind; words: string }>;

/** A generated file that is not what generate writes: on a database, or on the project (database undefined). */
function generatedFileFinding(database: string | undefined, file: string, state: keyof typeof stampProblems): CheckFinding {
  const { kind, words } = stampProblems[state];
  return { severity: "error", kind, ...(database === undefined ? {} : { database }), message: `${file} ${words}`, fix: regenerate };
}

function found(kind: CheckKind, database: string, message: string, fix?: string): CheckFinding {
  return { severity: "error", kind, database, message, ...(fix === undefined ? {} : { fix }) };
}

const standingKinds = { missing: "snapshot-missing", otherFolder: "snapshot-of-other-folder", unproven: "snapshot-unproven" } as const;

export async function checkProject(paths: ProjectPaths): Promise<CheckReport> {
  // A schema equal to its snapshot was proven in SQLite by the generate that wrote it; one that differs is a
  // finding below either way.
  reportPhase("loading schema/");
  const { models, files } = await loadSchema(paths.schemaDir, { prove: false });
  // A write interrupted by a kill: files may be half new, half old until the next writing command completes it.
  const findings: CheckFinding[] = (await interruptedWriteFindings(paths.root)).map((message) => ({ severity: "error", kind: "interrupted-write", message }));
  for (const declared of models) {
    const { state, sumFinding } = await readCheckedState(paths, declared);
    // Columns in the order the migrations built them, as generate writes the snapshot (diff/physical-order.ts).
    const model = state.snapshot ? inBuiltColumnOrder(declared, state.snapshot.database) : declared;
    // A malformed sum cannot vouch for the folder: it is the one finding about the folder until `hash` rewrites it.
    if (sumFinding) findings.push(sumFinding);
    // Custom migrations edited since generate recorded them: the folder is mid-edit, and generate is the next step. It
    // is proved here as generate would prove it, so a refusal is known before; what else stands is checked after.
    const edited = state.sum ? editedCustomMigrations(state.migrations, state.sum) : [];
    if (edited.length > 0) {
      findings.push(...integrityFindings(model.folder, state.migrations, state.sum, model.name));
      try {
        recordCustomMigrations(declared, state.snapshot, state.migrations, state.sum!, edited);
      } catch (error) {
        if (!(error instanceof SchemaError)) throw error;
        findings.push(error.toFinding("custom-migration-refused"));
      }
      continue;
    }
    // The snapshot must describe the folder beside it (project/snapshot-proof.ts): by its digest, and a version-1
    // snapshot, which has none, fails until generate has proved it and recorded one.
    const standing = snapshotStanding(state.snapshot, state.migrations);
    if (standing.kind !== "agrees") {
      const { problem, fix } = describeStanding(model, standing);
      findings.push(found(standingKinds[standing.kind], model.name, problem, fix));
    }
    if (!state.snapshot) {
      if (standing.kind === "agrees")
        findings.push(found("no-snapshot", model.name, `no snapshot (${displayPath(paths, snapshotPath(paths, model.folder))})`, regenerate));
      continue;
    }
    if (!sameValue(state.snapshot.database, model)) {
      // generate diffs from this snapshot: when nothing above disowned it, prove its shape against the folder, so
      // that the finding is the one generate would refuse with rather than "run generate".
      if (standing.kind === "otherFolder") continue;
      const disagreement = snapshotShapeFindings(model, state.snapshot.database, state.migrations);
      findings.push(
        ...(disagreement.length > 0
          ? disagreement
          : [found("schema-changed", model.name, `schema/${model.folder}/ changed since the last generate`, regenerate)]),
      );
      continue;
    }
    const snapshotText = renderSnapshot(state.snapshot);
    if ((await readFile(snapshotPath(paths, model.folder), "utf8")) !== snapshotText) {
      findings.push(generatedFileFinding(model.name, displayPath(paths, snapshotPath(paths, model.folder)), "edited"));
    }
    let fresh = "";
    for (const derived of derivedFiles(paths, model.folder)) {
      const text = await readFile(derived.path, "utf8").catch(() => undefined);
      if (derived.kind === "fresh") fresh = text ?? "";
      const stamp = stampState(text, await inputsHash(derived.kind, snapshotText));
      if (stamp !== "current") findings.push(generatedFileFinding(model.name, displayPath(paths, derived.path), stamp));
    }
    if (!sumFinding) findings.push(...integrityFindings(model.folder, state.migrations, state.sum, model.name));
    for (const file of state.otherSqlFiles) {
      findings.push(
        found(
          "stray-sql-file",
          model.name,
          `migrations/${model.folder}/${file} is not named NNNN_name.sql, but wrangler would apply it`,
          "rename or remove it",
        ),
      );
    }
    for (const migration of state.migrations) {
      const statement = transactionControlStatement(migration.sql);
      if (statement !== undefined) {
        findings.push(
          found(
            "transaction-control",
            model.name,
            `migrations/${model.folder}/${migration.fileName} controls transactions or foreign keys (\`${statement}\`), which fails or does nothing on D1`,
            "remove those statements",
          ),
        );
      }
    }
    // Here the snapshot is schema/ and the squash's stamp says it was rendered from this snapshot's text, unedited:
    // so "the replay gives the squash's schema" is also "the replay gives the snapshot's schema", and a snapshot
    // whose digest matches but whose tables were edited by hand is caught either above (it differs from schema/)
    // or here (schema/ was edited to match it, and the squash rendered from them differs from the replay).
    reportPhase(`${model.name}: replaying migrations/${model.folder}/ and the squash in SQLite`);
    findings.push(...compareReplayWithSquash(model.name, model.folder, state.migrations, fresh));
  }
  // A project that keeps its wrangler config here gets its d1_databases entries checked too.
  const wranglerConfig = projectWranglerConfig(paths);
  if (wranglerConfig) findings.push(...(await wranglerConfigFindings(paths, models, wranglerConfig)));
  // Lint errors fail the gate; warnings are for `lint` and generate to show.
  findings.push(...runLintRules(models).findings.filter((candidate) => candidate.severity === "error"));
  // The committed audit report and diagrams, once a project has them (audit --write).
  for (const document of (await auditDocumentStates(paths, models, files)) ?? []) {
    if (document.state !== "current") findings.push(generatedFileFinding(undefined, displayPath(paths, document.path), document.state));
  }
  const index = path.join(paths.generatedDir, typesIndexFileName);
  const actualIndex = await readFile(index, "utf8").catch(() => undefined);
  if (actualIndex !== renderTypesIndex(models)) {
    findings.push(generatedFileFinding(undefined, displayPath(paths, index), actualIndex === undefined ? "missing" : "edited"));
  }
  return { findings };
}

/**
 * The database's snapshot, files and sum, as generate reads them; a malformed sum is a finding here (check lists what
 * is wrong and exits 1), where generate refuses to go on with it.
 */
async function readCheckedState(paths: ProjectPaths, model: Database): Promise<{ state: DatabaseState; sumFinding?: CheckFinding }> {
  const snapshot = await readSnapshot(snapshotPath(paths, model.folder), model.name);
  const files = await readMigrationFiles(paths, model.folder);
  try {
    return { state: { snapshot, ...files, sum: await readMigrationSum(paths, model) } };
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    return { state: { snapshot, ...files }, sumFinding: error.toFinding("sum-malformed") };
  }
}

function snapshotShapeFindings(model: Database, snapshot: Database, migrations: readonly { fileName: string; sql: string }[]): CheckFinding[] {
  try {
    const replayed = schemaShapesAfterMigrations(migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })));
    const differences = snapshotShapeDifferences(snapshot, replayed.tables, replayed.objects);
    if (differences.length === 0) return [];
    const { problem, fix } = describeShapeDisagreement(model, differences);
    return [found("snapshot-shape-differs", model.name, problem, fix)];
  } catch (error) {
    return [found("replay-fails", model.name, (error as Error).message)];
  }
}

function compareReplayWithSquash(name: string, folder: string, migrations: readonly { fileName: string; sql: string }[], fresh: string): CheckFinding[] {
  try {
    return replayAgainstSquash(
      migrations.map((migration) => ({ name: migration.fileName, sql: migration.sql })),
      fresh,
    ).same
      ? []
      : [
          found(
            "replay-differs-from-squash",
            name,
            `replaying migrations/${folder}/ does not give the schema of the squash (a migration was edited by hand?)`,
            "restore it from git",
          ),
        ];
  } catch (error) {
    return [found("replay-fails", name, (error as Error).message)];
  }
}
