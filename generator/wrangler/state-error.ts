/** A wrangler config or a saved status file that cannot be read; the CLI reports it as bad input (exit 2). */
export class WranglerStateError extends Error {}
