// Is the migrations folder still what was generated? Compares the files with migrations.sum and with each other,
// in the order wrangler applies them, and says how to fix each finding.
import { filesSharingANumber, formatMigrationNumber, migrationNumber, type ExistingMigration } from "./migration-files.js";
import { computeSum, folderHashOf, hashContent, type MigrationSum } from "./migration-sum.js";
import type { Finding, IntegrityKind } from "../model/finding.js";

/**
 * The custom migrations that may still change: those at the end of the folder that migrations.sum marks custom (a
 * migration after one freezes it, as databases may apply both). Of these, the ones whose content is no longer what
 * the sum recorded: generate proves and records them (project/custom-migration.ts).
 */
export function editedCustomMigrations(migrations: readonly ExistingMigration[], sum: MigrationSum): ExistingMigration[] {
  const edited: ExistingMigration[] = [];
  for (const migration of [...migrations].reverse()) {
    const recorded = sum.files.get(migration.fileName);
    if (recorded === undefined || !sum.custom.has(migration.fileName)) break;
    if (hashContent(migration.sql) !== recorded) edited.unshift(migration);
  }
  return edited;
}

/** The folder hash the sum recorded, for the files the folder holds: custom migrations edited since count as recorded. */
export function recordedFolderHash(migrations: readonly ExistingMigration[], sum: MigrationSum): string {
  return folderHashOf(migrations.map((migration) => [migration.fileName, sum.files.get(migration.fileName) ?? hashContent(migration.sql)]));
}

/** The folder's findings, on `database` when given (check lists them among others; generate's refusal is per database). */
export function integrityFindings(
  folder: string,
  migrations: readonly ExistingMigration[],
  sum: MigrationSum | undefined,
  database?: string,
): Finding<IntegrityKind>[] {
  const findings: Finding<IntegrityKind>[] = [];
  const found = (kind: IntegrityKind, message: string, fix: string): Finding<IntegrityKind> => ({
    severity: "error",
    kind,
    ...(database === undefined ? {} : { database }),
    message,
    fix,
  });
  const where = (fileName: string) => `migrations/${folder}/${fileName}`;
  for (const { number, fileNames } of filesSharingANumber(migrations.map((migration) => migration.fileName))) {
    findings.push(
      found(
        "duplicate-number",
        `${fileNames.map(where).join(" and ")} share the number ${formatMigrationNumber(number!)} (two branches merged?)`,
        "keep the one that was applied, delete the other, and run generate again to renumber its change",
      ),
    );
  }
  if (!sum) {
    return migrations.length === 0
      ? findings
      : [...findings, found("sum-missing", `migrations/${folder}/ has no migrations.sum`, "run `d1-schema hash` once to record the files as they are")];
  }
  const present = new Map(migrations.map((migration) => [migration.fileName, migration]));
  // A hand-edited sum may list a name without a number: then the highest is unknown, and nothing is called lower.
  const recordedNumbers = [...sum.files.keys()].map((name) => migrationNumber(name) ?? Number.NaN);
  const highestRecorded = Math.max(0, ...recordedNumbers);
  const unrecorded = migrations.filter((migration) => !sum.files.has(migration.fileName));
  const editable = new Set(editedCustomMigrations(migrations, sum).map((migration) => migration.fileName));
  for (const [fileName, hash] of sum.files) {
    const migration = present.get(fileName);
    if (!migration) {
      const renamed = unrecorded.find((candidate) => hashContent(candidate.sql) === hash);
      findings.push(
        renamed
          ? found(
              "migration-renamed",
              `${where(fileName)} was renamed to ${renamed.fileName}`,
              "wrangler knows migrations by name and would apply it again; rename it back",
            )
          : found("migration-removed", `${where(fileName)} was removed`, "databases that applied it keep its changes; restore it from git"),
      );
    } else if (editable.has(fileName)) {
      findings.push(
        found(
          "custom-migration-unrecorded",
          `${where(fileName)}, a custom migration, was edited since generate recorded it`,
          "run `npx d1-schema generate`: it checks the file against D1's rules, proves the folder still builds the snapshot's schema, and records it",
        ),
      );
    } else if (hashContent(migration.sql) !== hash) {
      findings.push(
        found(
          "migration-edited",
          `${where(fileName)} was edited after it was generated`,
          "databases that applied it will not see the edit; restore it from git and put the change in the schema",
        ),
      );
    }
  }
  for (const migration of unrecorded) {
    if ([...sum.files.values()].includes(hashContent(migration.sql))) continue; // reported as a rename above
    findings.push(
      migration.number <= highestRecorded
        ? found(
            "numbered-below",
            `${where(migration.fileName)} is numbered below an existing migration`,
            "wrangler applies it late and out of order on databases that are ahead; give it the next number",
          )
        : found(
            "not-in-sum",
            `${where(migration.fileName)} is not in migrations.sum (written by hand?)`,
            "let generate write migrations, or run `d1-schema hash` to accept it",
          ),
    );
  }
  if (findings.length === 0 && computeSum(migrations).folderHash !== sum.folderHash) {
    findings.push(found("sum-mismatch", `migrations/${folder}/migrations.sum does not match its files`, "run `d1-schema hash`"));
  }
  return findings;
}
