// The options every command takes, in one table read by both parsers of the command line: yargs (cli/main.ts) and the
// run cache (run-cache.js), which decides before TypeScript loads whether a run may be answered from its record.
// Two hand-kept readings of the same words disagreed once: `generate --cache false` was answered from the cache
// while yargs read cache=false. Plain JavaScript, because the run cache runs before the TypeScript loader.

export const globalOptions = {
  root: { type: "string", default: ".", describe: "project root holding schema/, migrations/ and generated/" },
  cache: {
    type: "boolean",
    default: true,
    describe: "generate and check: answer at once when no file they read changed since their last success (--no-cache runs in full)",
  },
};
