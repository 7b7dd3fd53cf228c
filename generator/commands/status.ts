// `status`: for every binding (each shard on its own), which migrations its databases have applied and which are
// pending, locally and in production, with what each pending file does (the work is status/status.ts, which the
// audit reads too).
import type { ProjectPaths } from "../io/paths.js";
import { readStatus, type StatusOptions, type StatusReport } from "../status/status.js";

export async function runStatus(paths: ProjectPaths, options: StatusOptions): Promise<StatusReport> {
  return readStatus(paths, options);
}
