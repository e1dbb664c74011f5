/**
 * The start of a run removes what a killed (or kept) earlier run left: the embedded target's
 * clusters and daemon in its home, clusters under the suite's names and containers labelled with a
 * dead run's id (Docker), that run's marked processes, and its kubeconfigs. Returns one line per
 * thing removed, for the run log and stderr.
 */
import { dirname, join } from 'node:path';
import { loadClusterFixture } from '../fixtures/index.js';
import { BOOTSTRAP_CLUSTERS } from '../providers/docker/bootstrap-clusters.js';
import { allSpellings } from '../versions/index.js';
import { findDeadRuns, findMarkedProcesses, findUnmarkedRunDirs, killMarkedProcesses, removeRunFiles } from './leftovers.js';
import type { RunContext } from './run-context.js';

/** Cluster names of the suite's fixtures plus the installer's bootstrap clusters. */
export const SUITE_CLUSTER_NAMES = ['e2e-mgmt', 'e2e-workload', 'e2e-workload2', ...BOOTSTRAP_CLUSTERS];

/**
 * The kind clusters a dead run's install or uninstall may have left under its own run id (2026-04:
 * `lattice-bootstrap-<runId>`); every version's spelling, since a dead run's version is not recorded.
 */
export function bootstrapClustersOf(runId: string): string[] {
  const names = new Set(allSpellings().flatMap((s) => s.clusters.bootstrapClusterNames(runId)));
  return [...names].filter((n) => !(SUITE_CLUSTER_NAMES as readonly string[]).includes(n));
}

export async function sweepAtStart(run: RunContext): Promise<string[]> {
  const lines: string[] = [];
  const dead = findDeadRuns(dirname(run.config.workDir), run.config.runId);
  const provider = run.providerFor(loadClusterFixture(run.config.clusters.mgmt).provider);
  if (provider.sweepStale) {
    lines.push(...await provider.sweepStale());
  } else if (provider.canDestroyInfrastructure) {
    // Same names would collide; containers of dead runs carry their run id.
    lines.push(...await provider.sweep({ names: SUITE_CLUSTER_NAMES }));
    for (const d of dead) {
      const names = bootstrapClustersOf(d.runId);
      lines.push(...await provider.sweep({ runId: d.runId, ...(names.length ? { names } : {}) }));
    }
  }
  lines.push(...killMarkedProcesses(findMarkedProcesses(dead.map((d) => d.runId))));
  for (const d of dead) {
    const removed = removeRunFiles(d.dir);
    if (removed.length) lines.push(`${d.kept ? 'kept' : 'dead'} run ${d.runId} (pid ${d.pid}, started ${d.startedAt}): ${removed.join(', ')}`);
  }
  // Folders of runs older than the owner files, in the default work root only.
  const root = dirname(run.config.workDir);
  if (root === join(run.config.repoRoot, '.tmp', 'runs')) {
    for (const d of findUnmarkedRunDirs(root, run.config.runId)) {
      const removed = removeRunFiles(d.dir);
      if (removed.length) lines.push(`old run folder ${d.runId} (last written ${d.startedAt}): ${removed.join(', ')}`);
    }
  }
  return lines;
}
