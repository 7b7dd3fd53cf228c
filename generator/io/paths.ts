// Where everything lives, relative to the project root. One place, so that every command agrees.
import path from "node:path";

/** The squash's name: wrangler's convention for a fresh install, as ClearLift names theirs. */
export const freshFileName = "0001_complete_schema.sql";

export interface ProjectPaths {
  root: string;
  schemaDir: string;
  migrationsDir: string;
  generatedDir: string;
  /** Where `audit --write` keeps AUDIT.md and the ER diagrams. */
  docsDir: string;
  /** The wrangler config d1-schema.config.ts names; undefined: the one wrangler picks in the root. */
  wranglerConfig?: string;
}

/** The default layout under `root`; d1-schema.config.ts may move any of it (io/project-config.ts). */
export function projectPaths(root: string): ProjectPaths {
  return {
    root,
    schemaDir: path.join(root, "schema"),
    migrationsDir: path.join(root, "migrations"),
    generatedDir: path.join(root, "generated"),
    docsDir: path.join(root, "docs"),
  };
}

/** wrangler's migrations_dir for a database: numbered *.sql files, plus our snapshot (wrangler reads only *.sql). */
export function databaseMigrationsDir(paths: ProjectPaths, folder: string): string {
  return path.join(paths.migrationsDir, folder);
}

export function snapshotPath(paths: ProjectPaths, folder: string): string {
  return path.join(paths.migrationsDir, folder, "snapshot.json");
}

export function sumPath(paths: ProjectPaths, folder: string): string {
  return path.join(paths.migrationsDir, folder, "migrations.sum");
}

export function freshSchemaPath(paths: ProjectPaths, folder: string, fileName: string): string {
  return path.join(paths.migrationsDir, "fresh", folder, fileName);
}

export function generatedTypesPath(paths: ProjectPaths, folder: string): string {
  return path.join(paths.generatedDir, `${folder}.ts`);
}

/** A path as shown to users: relative to the project root, with forward slashes. */
export function displayPath(paths: ProjectPaths, file: string): string {
  return path.relative(paths.root, file).split(path.sep).join("/");
}

/** The files rendered from a database's snapshot, each stamped with what it was made from (io/fingerprint.ts). */
export function derivedFiles(paths: ProjectPaths, folder: string): { kind: "fresh" | "types"; path: string; comment: "--" | "//" }[] {
  return [
    { kind: "fresh", path: freshSchemaPath(paths, folder, freshFileName), comment: "--" },
    { kind: "types", path: generatedTypesPath(paths, folder), comment: "//" },
  ];
}
