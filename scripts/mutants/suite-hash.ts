/**
 * A fingerprint of the test side of a mutant run: the features, step definitions, support code,
 * fixtures and Cucumber config. Stryker's command runner reports no coverage, and without coverage
 * Stryker reuses every earlier result in incremental mode, so a survivor would stay a survivor after
 * a new scenario was written. The incremental file is therefore named by this fingerprint: a changed
 * suite starts a fresh one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SUITE_PATHS: readonly string[] = Object.freeze(['features', 'step-definitions', 'support', 'fixtures', 'cucumber.js']);

function filesUnder(root: string, path: string): string[] {
  let st;
  try { st = statSync(join(root, path)); } catch { return []; }
  if (!st.isDirectory()) return [path];
  return readdirSync(join(root, path)).sort().flatMap((n) => filesUnder(root, join(path, n)));
}

/** 16 hex digits over the paths and contents of the suite's files under `root`. */
export function suiteHash(root: string, paths: readonly string[] = SUITE_PATHS): string {
  const h = createHash('sha256');
  for (const f of paths.flatMap((p) => filesUnder(root, p))) h.update(relative(root, join(root, f))).update('\0').update(readFileSync(join(root, f))).update('\0');
  return h.digest('hex').slice(0, 16);
}
