// schema/ → validated models, or every error found, all at once.
import { loadSchemaFolders } from "../io/load-schema.js";
import { SchemaError, SchemaErrors } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { normalizeDatabase } from "../model/normalize.js";
import { validateDatabase } from "../model/validate.js";
import { proveSchemaInSqlite } from "../sqlite/prove.js";

export interface LoadOptions {
  /**
   * Build each schema in SQLite to prove it (default). `generate` and `check` pass false and prove only what
   * differs from the snapshot: a schema equal to its snapshot was proven when the snapshot was written, and at
   * thousands of tables a build costs seconds (SQLite re-reads its schema table after each CREATE).
   */
  prove?: boolean;
}

export async function loadModels(schemaDir: string, { prove = true }: LoadOptions = {}): Promise<Database[]> {
  const loaded = await loadSchemaFolders(schemaDir);
  const models: Database[] = [];
  const errors: SchemaError[] = [];
  for (const { folder, definition, tables } of loaded) {
    try {
      const model = normalizeDatabase(folder, definition, tables);
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
      if (other) errors.push(new SchemaError({ database: model.name }, `serves binding ${binding}, which ${other} serves too`, "give each binding to one database"));
      names.set(binding, model.name);
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return models;
}

/** Proves models loaded with `prove: false`; throws every SQLite rejection at once. */
export function proveModels(models: readonly Database[]): void {
  const errors: SchemaError[] = [];
  for (const model of models) {
    try {
      proveSchemaInSqlite(model);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
}
