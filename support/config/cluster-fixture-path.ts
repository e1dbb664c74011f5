/**
 * Turns a cluster config value into an absolute fixture path. A bare name (`docker-mgmt`,
 * `aws-workload.yaml`) is looked up in `fixtures/clusters/` first, then in the cwd; anything with
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

/** Names (without `.yaml`) of the cluster fixtures shipped in `fixtures/clusters/`. */
export function listClusterFixtureNames(): string[] {
  if (!existsSync(clusterFixturesDir)) return [];
  return readdirSync(clusterFixturesDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function resolveClusterFixture(value: string, cwd: string): FixtureResolution {
  const candidates: string[] = [];
  if (isAbsolute(value)) {
    candidates.push(value);
  } else if (isBareName(value)) {
    candidates.push(resolve(clusterFixturesDir, value));
    if (!/\.ya?ml$/i.test(value)) candidates.push(resolve(clusterFixturesDir, `${value}.yaml`));
    candidates.push(resolve(cwd, value));
  } else {
    candidates.push(resolve(cwd, value));
  }
  const found = candidates.find(isFile);
  if (found) return { ok: true, path: found };
  const tried = [...new Set(candidates)].map((c) => (c.startsWith(repoRoot) ? relative(repoRoot, c) || '.' : c)).join(', ');
  const names = listClusterFixtureNames();
  const known = names.length > 0 ? `a name from fixtures/clusters/ (${names.join(', ')})` : 'a name from fixtures/clusters/';
  return { ok: false, reason: `is not a cluster fixture (no file at ${tried}); use ${known} or a path to a LatticeCluster YAML` };
}
