// schema/ → validated models, or every error found, all at once.
import { loadSchemaFolders, type LoadedDatabase } from "../io/load-schema.js";
import { SchemaError, SchemaErrors } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { normalizeDatabase } from "../model/normalize.js";
import { validateDatabase } from "../model/validate.js";
import { proveSchemaInSqlite } from "../sqlite/prove.js";

export interface LoadOptions {
  /**
   * Build each schema in SQLite to prove it (default). `generate` and `check` pass false: generate proves a
   * changed schema by building its squash, check reports it as changed, and a schema equal to its snapshot was
   * proven when the snapshot was written. At thousands of tables a build costs seconds (SQLite re-reads its
   * schema table after each CREATE, so a build is quadratic in statements).
   */
  prove?: boolean;
}

export async function loadModels(schemaDir: string, options: LoadOptions = {}): Promise<Database[]> {
  return (await loadSchema(schemaDir, options)).models;
}

/** The models and, per database folder, which schema file defines which tables (the audit's domains). */
export async function loadSchema(
  schemaDir: string,
  { prove = true }: LoadOptions = {},
): Promise<{ models: Database[]; files: Map<string, LoadedDatabase["files"]> }> {
  const loaded = await loadSchemaFolders(schemaDir);
  const models: Database[] = [];
  const errors: SchemaError[] = [];
  for (const { folder, definition, tables, objects } of loaded) {
    try {
      const model = normalizeDatabase(folder, definition, tables, objects);
      const problems = validateDatabase(model);
      if (problems.length === 0 && prove) proveSchemaInSqlite(model);
      errors.push(...problems);
      models.push(model);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      errors.push(error);
    }
  }
  const names = new Map<string, string>();
  for (const model of models) {
    for (const binding of model.bindings) {
      const other = names.get(binding);
      if (other)
        errors.push(new SchemaError({ database: model.name }, `serves binding ${binding}, which ${other} serves too`, "give each binding to one database"));
      names.set(binding, model.name);
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return { models, files: new Map(loaded.map((database) => [database.folder, database.files])) };
}
