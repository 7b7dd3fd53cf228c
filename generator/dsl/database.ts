// `database({...})`: the default export of `schema/<folder>/database.ts`. The folder name is the database's
// folder under migrations/; every other file in that folder contributes tables through its exports.

export interface DatabaseOptions {
  /** The wrangler binding, e.g. "ANALYTICS_DB"; for shards a name for the shared schema, e.g. "SHARD". */
  name: string;
  /** Every binding served by this schema; defaults to [name]. Shards: ["SHARD_0", "SHARD_1", ...]. */
  bindings?: string[];
  /** The last migration number already used (by hand-written history); new migrations continue after it. */
  continueFrom?: number;
  /** Write CREATE TABLE/INDEX IF NOT EXISTS (ClearLift's convention). Default true. */
  ifNotExists?: boolean;
}

export class DatabaseDefinition {
  readonly kind = "database" as const;

  constructor(readonly options: DatabaseOptions) {}
}

export function database(options: DatabaseOptions): DatabaseDefinition {
  return new DatabaseDefinition(options);
}
