// The names d1-schema.config may have (io/project-config.ts reads the file), in the order they are looked for.
// Plain JavaScript because the run cache (cli/run-cache/run-cache.js, which runs before the CLI is loaded) hashes
// the file too: a config created, edited or removed changes what every command reads.
export const projectConfigFileNames = ["d1-schema.config.ts", "d1-schema.config.mts", "d1-schema.config.js", "d1-schema.config.mjs"];
