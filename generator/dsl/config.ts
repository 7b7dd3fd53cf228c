// The project's configuration, `d1-schema.config.ts` in the project root. Every field is optional: without the file,
// or without a field, the tool uses the layout this repository uses (schema/, migrations/, generated/, docs/, and the
// wrangler config wrangler itself picks). Paths are relative to the file.
export interface D1SchemaConfig {
  /** The folder holding one folder per database (`schema/<db>/database.ts` and table files). Default "schema". */
  schema?: string;
  /** The folder of wrangler's migrations_dir folders, plus `fresh/` squashes. Default "migrations". */
  migrations?: string;
  /** Where the generated row types and zod schemas go. Default "generated". */
  generated?: string;
  /** Where `audit --write` puts AUDIT.md and the ER diagrams. Default "docs". */
  docs?: string;
  /**
   * The wrangler config file the bindings are read from and written to. Default: the one wrangler picks
   * (wrangler.json, then wrangler.jsonc, then wrangler.toml).
   */
  wrangler?: string;
}

/** Types a config object (editors then complete and check its fields); returns it as it is. */
export function defineConfig(config: D1SchemaConfig): D1SchemaConfig {
  return config;
}
