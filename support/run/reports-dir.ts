import { isAbsolute, resolve } from 'node:path';
import { folderProblem } from '../config/writable-folder.js';

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

/**
 * The one line a run stops with when its reports folder cannot be written (a file, read-only,
 * under /proc), or undefined when it can. Checked before Cucumber opens its report files, which
 * would otherwise fail with raw multi-line errors (or, under /proc, loop in mkdir for ever).
 */
export function reportsDirProblem(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  const dir = reportsDir(env, cwd);
  const problem = folderProblem(dir);
  if (!problem) return undefined;
  const named = env.LATTICE_E2E_REPORTS_DIR?.trim() ? `LATTICE_E2E_REPORTS_DIR=${JSON.stringify(env.LATTICE_E2E_REPORTS_DIR)}` : `the reports folder ${dir}`;
  return `${named} ${problem}; give a folder you can write in LATTICE_E2E_REPORTS_DIR (it is created if missing)`;
}
