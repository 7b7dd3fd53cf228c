// schema/ → validated models, or every error found, all at once.
import { loadSchemaFolders } from "../io/load-schema.js";
import { SchemaError, SchemaErrors } from "../model/errors.js";
import type { Database } from "../model/model.js";
import { normalizeDatabase } from "../model/normalize.js";
import { validateDatabase } from "../model/validate.js";
import { proveSchemaInSqlite } from "../sqlite/prove.js";

export async function loadModels(schemaDir: string): Promise<Database[]> {
  const loaded = await loadSchemaFolders(schemaDir);
  const models: Database[] = [];
  const errors: SchemaError[] = [];
  for (const { folder, definition, tables } of loaded) {
    try {
      const model = normalizeDatabase(folder, definition, tables);
      const problems = validateDatabase(model);
      if (problems.length === 0) proveSchemaInSqlite(model);
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
