import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { providerOf, refOf } from './cluster-ref.js';
import { deleteThroughOwnApiAndWait } from './delete-cluster.js';
import { uninstallManagementAndWait } from './uninstall.js';

const CHILDREN: Record<ClusterRole, ClusterRole[]> = { management: ['workload'], workload: ['workload2'], workload2: [] };

/**
 * Removes a cluster and everything below it, children first. Where the environment can destroy
 * infrastructure outright that is used (fast, and it works without a live parent); elsewhere the
 * cluster is deleted through its own API (unpivot) or, for the management cluster, uninstalled.
 */
export async function removeClusterAndChildren(deps: HierarchyDeps, role: ClusterRole): Promise<string[]> {
  const { run, log } = deps;
  const failures: string[] = [];
  for (const child of CHILDREN[role]) failures.push(...await removeClusterAndChildren(deps, child));
  const ctx = run.clusters.get(role);
  if (!ctx) return failures;
  const provider = providerOf(run, ctx);
  try {
    if (provider.canDestroyInfrastructure) {
      log(`teardown: destroying ${ctx.name}`);
      await provider.destroyInfrastructure(refOf(run, ctx));
      run.clusters.mark(role, 'destroyed');
    } else if (role === 'management') {
      await uninstallManagementAndWait(deps);
    } else {
      const report = await deleteThroughOwnApiAndWait(deps, role);
      if (!report.goneFromParent) failures.push(`${ctx.name} did not disappear from ${report.parent}`);
    }
  } catch (err) {
    failures.push(`teardown of ${ctx.name}: ${(err as Error).message.split('\n')[0]}`);
  }
  return failures;
}

/** Everything the run still has, then a sweep of whatever carries the run id. */
export async function teardownRun(deps: HierarchyDeps): Promise<string[]> {
  const failures = await removeClusterAndChildren(deps, 'management');
  // Orphans: children whose parent was destroyed (independence) are not below a live management.
  for (const role of ['workload2', 'workload'] as const) failures.push(...await removeClusterAndChildren(deps, role));
  for (const provider of deps.run.providers()) {
    try {
      for (const line of await provider.sweep({ runId: deps.run.config.runId })) deps.log(`sweep: ${line}`);
    } catch (err) {
      failures.push(`sweep through ${provider.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return failures;
}
