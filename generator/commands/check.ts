// `check`, the CI gate: everything check/check-project.ts finds, which `apply` runs first too.
import { checkProject, type CheckReport } from "../check/check-project.js";
import type { ProjectPaths } from "../io/paths.js";

export async function runCheck(paths: ProjectPaths): Promise<CheckReport> {
  return checkProject(paths);
}
