import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { providerOf, refOf } from './cluster-ref.js';
import { deleteLatticeCluster, waitForLatticeClusterAbsent } from '../kube/index.js';
import { clientOf } from './cluster-ref.js';
import { uninstallManagementAndWait } from './uninstall.js';

const CHILDREN: Record<ClusterRole, ClusterRole[]> = { management: ['workload'], workload: ['workload2'], workload2: [] };

/**
 * Removes a cluster and everything below it, children first: a child through its live parent
 * (which tears its infrastructure down); an orphan or a root by destroying its infrastructure
 * where the environment can, else a root by uninstalling it.
 */
export async function removeClusterAndChildren(deps: HierarchyDeps, role: ClusterRole): Promise<string[]> {
  const { run, log } = deps;
  const failures: string[] = [];
  for (const child of CHILDREN[role]) failures.push(...await removeClusterAndChildren(deps, child));
  const ctx = run.clusters.get(role);
  if (!ctx) return failures;
  const provider = providerOf(run, ctx);
  const parent = ctx.parentRole ? run.clusters.get(ctx.parentRole) : undefined;
  try {
    if (parent?.kubeconfigPath) {
      // A live parent owns the child's object: deleting it there tears the infrastructure down
      // and frees the name for a new cluster (destroying the machines alone would leave the object).
      log(`teardown: deleting ${ctx.name} on its parent ${parent.name}`);
      const wait = run.config.waits.deletion;
      const parentClient = clientOf(parent);
      await deleteLatticeCluster(parentClient, ctx.name);
      await waitForLatticeClusterAbsent({ client: parentClient, name: ctx.name, timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs });
      await provider.infrastructureGone(refOf(run, ctx), run.config.waits.infrastructureGone.timeoutMs);
      run.clusters.mark(role, 'gone');
    } else if (provider.canDestroyInfrastructure) {
      log(`teardown: destroying ${ctx.name}`);
      await provider.destroyInfrastructure(refOf(run, ctx));
      run.clusters.mark(role, 'destroyed');
    } else if (role === 'management') {
      await uninstallManagementAndWait(deps);
    } else {
      failures.push(`${ctx.name} has no live parent and ${provider.name} cannot destroy infrastructure: remove it by hand`);
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
