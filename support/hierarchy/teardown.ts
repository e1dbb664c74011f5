import { existsSync } from 'node:fs';
import type { ClusterContext } from '../run/cluster-registry.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { providerOf, refOf } from './cluster-ref.js';
import { deleteLatticeCluster, getLatticeCluster, waitForLatticeClusterAbsent } from '../kube/index.js';
import { apiAnswers, askTimeoutMs } from '../providers/root-gone.js';
import { WaitTimeoutError } from '../errors.js';
import { clientOf } from './cluster-ref.js';
import { uninstallManagementAndWait } from './uninstall.js';

const CHILDREN: Record<ClusterRole, ClusterRole[]> = { management: ['workload'], workload: ['workload2'], workload2: [] };

/**
 * Removes a cluster and everything below it, children first: a child through Lattice (see
 * `removeChild`); an orphan or a root by destroying its infrastructure where the environment can,
 * else a root by uninstalling it.
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
      failures.push(...await removeChild(childRemovalOps(deps, ctx, parent), log));
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

/** What removing a child needs from its parent, its own API and its provider. */
export interface ChildRemovalOps {
  child: string;
  parent: string;
  /** Whether the parent's copy says the child runs its own CAPI objects; undefined when the copy is gone. */
  pivotedOnParent(): Promise<boolean | undefined>;
  /** Whether the child's own API gives any reply, and what was seen. */
  ownApi(): Promise<{ answers: boolean; seen: string }>;
  deleteOnOwnApi(): Promise<void>;
  deleteOnParent(): Promise<void>;
  goneFromParent(): Promise<void>;
  infrastructureGone(): Promise<void>;
}

/**
 * A pivoted child owns its CAPI objects; the parent keeps only a copy from before the pivot, which
 * does not know the workers the child made afterwards (handle_deletion, controller.rs:2511-2536,
 * deletes only that copy). So a live, pivoted child is deleted through its own API: it unpivots,
 * hands everything back and the parent removes it all (controller.rs:2498-2670, as the pivot
 * feature does). Deleting on the parent is the fallback when the child was never pivoted (the
 * parent's copy knows everything) or its API is gone; then machines may remain and are named.
 */
export async function removeChild(ops: ChildRemovalOps, log: (line: string) => void): Promise<string[]> {
  const pivoted = await ops.pivotedOnParent();
  const own = pivoted ? await ops.ownApi() : undefined;
  if (own?.answers) {
    log(`teardown: deleting ${ops.child} through its own API (unpivot into ${ops.parent})`);
    await ops.deleteOnOwnApi();
  } else {
    const why = pivoted === undefined ? 'its copy is gone from the parent' : pivoted ? `its own API is gone: ${own!.seen}` : 'it was never pivoted';
    log(`teardown: deleting ${ops.child} on its parent ${ops.parent} (${why})`);
    await ops.deleteOnParent();
  }
  await ops.goneFromParent();
  try {
    await ops.infrastructureGone();
  } catch (err) {
    if (!(err instanceof WaitTimeoutError) || !pivoted || own?.answers) throw err;
    // Lattice removed what the parent's CAPI copy knew; the rest runs on with nobody managing it.
    return [`${ops.child} was deleted on its parent ${ops.parent} because its own API is gone (${own!.seen}); `
      + `Lattice removes only what the parent's pre-pivot CAPI copy knew, and machines remain: ${err.lastSeen}. Remove them by hand (or let the run's sweep do it)`];
  }
  return [];
}

function childRemovalOps(deps: HierarchyDeps, ctx: ClusterContext, parent: ClusterContext): ChildRemovalOps {
  const { run, signal } = deps;
  const wait = run.config.waits.deletion;
  const parentClient = clientOf(parent);
  const provider = providerOf(run, ctx);
  return {
    child: ctx.name, parent: parent.name,
    pivotedOnParent: async () => {
      const lc = await getLatticeCluster(parentClient, ctx.name);
      return lc ? lc.status?.pivotComplete === true : undefined;
    },
    ownApi: async () => (ctx.kubeconfigPath && existsSync(ctx.kubeconfigPath)
      ? apiAnswers(ctx.kubeconfigPath, askTimeoutMs(wait.timeoutMs))
      : { answers: false, seen: 'the run has no kubeconfig for it' }),
    deleteOnOwnApi: async () => { await deleteLatticeCluster(clientOf(ctx), ctx.name); },
    deleteOnParent: async () => { await deleteLatticeCluster(parentClient, ctx.name); },
    goneFromParent: () => waitForLatticeClusterAbsent({ client: parentClient, name: ctx.name, timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, signal }),
    infrastructureGone: () => provider.infrastructureGone(refOf(run, ctx), run.config.waits.infrastructureGone.timeoutMs),
  };
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
