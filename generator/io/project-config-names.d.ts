// Types for project-config-names.js (plain JavaScript: the run cache reads it before the CLI is loaded).

export const projectConfigFileNames: readonly string[];
