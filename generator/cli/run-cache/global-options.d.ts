// Types for global-options.js (plain JavaScript: the run cache reads it before the TypeScript loader is registered).

export declare const globalOptions: {
  readonly root: { readonly type: "string"; readonly default: string; readonly describe: string };
  readonly cache: { readonly type: "boolean"; readonly default: boolean; readonly describe: string };
};
