import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * `<root>/<scenario>/attempt-<n>` for the first n not used yet: each attempt of a retried scenario
 * keeps its own evidence. `relative` is the folder as seen from the reports folder (root's parent),
 * with forward slashes, so links from the HTML report work wherever the reports are copied.
 */
export function attemptFolder(root: string, scenarioSlug: string): { path: string; relative: string } {
  let n = 1;
  while (existsSync(join(root, scenarioSlug, `attempt-${n}`))) n++;
  const path = join(root, scenarioSlug, `attempt-${n}`);
  return { path, relative: relative(join(root, '..'), path).split(sep).join('/') };
}
