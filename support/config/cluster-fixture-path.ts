/**
 * Turns a cluster config value into an absolute fixture path. A bare name (`docker-mgmt`,
 * `aws-workload.yaml`) is looked up in the run's version folder (`fixtures/clusters/` at 2026-01,
 * `fixtures/2026-04/clusters/` at 2026-04) first, then in the cwd; anything with
 * a slash is a path, absolute or relative to the cwd.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { clusterFixturesDir, repoRoot } from './repo-root.js';

export type FixtureResolution = { ok: true; path: string } | { ok: false; reason: string };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isBareName(value: string): boolean {
  return !value.includes('/') && !value.includes('\\') && value !== '.' && value !== '..';
}

/** Names (without `.yaml`) of the cluster fixtures shipped in `dir` (a version's folder; 2026-01's by default). */
export function listClusterFixtureNames(dir = clusterFixturesDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** `dir`: the folder of the run's Lattice API version (support/versions; 2026-01's fixtures/clusters/ by default). */
export function resolveClusterFixture(value: string, cwd: string, dir = clusterFixturesDir): FixtureResolution {
  const candidates: string[] = [];
  if (isAbsolute(value)) {
    candidates.push(value);
  } else if (isBareName(value)) {
    candidates.push(resolve(dir, value));
    if (!/\.ya?ml$/i.test(value)) candidates.push(resolve(dir, `${value}.yaml`));
    candidates.push(resolve(cwd, value));
  } else {
    candidates.push(resolve(cwd, value));
  }
  const found = candidates.find(isFile);
  if (found) return { ok: true, path: found };
  const tried = [...new Set(candidates)].map((c) => (c.startsWith(repoRoot) ? relative(repoRoot, c) || '.' : c)).join(', ');
  const names = listClusterFixtureNames(dir);
  const folder = `${relative(repoRoot, dir)}/`;
  const known = names.length > 0 ? `a name from ${folder} (${names.join(', ')})` : `a name from ${folder}`;
  return { ok: false, reason: `is not a cluster fixture (no file at ${tried}); use ${known} or a path to a LatticeCluster YAML` };
}
