import { isAbsolute, resolve } from 'node:path';

/**
 * Where the run writes its reports, run log and diagnostics: `LATTICE_E2E_REPORTS_DIR` (relative
 * to the cwd) or `<cwd>/reports`. cucumber.js reads the same variable for the formatters, so
 * parallel runs (tests, the faults run) keep their reports apart.
 */
export function reportsDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const given = env.LATTICE_E2E_REPORTS_DIR?.trim();
  if (!given) return resolve(cwd, 'reports');
  return isAbsolute(given) ? given : resolve(cwd, given);
}
