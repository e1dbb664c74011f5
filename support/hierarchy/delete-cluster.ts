import { deleteLatticeCluster, getCapiCluster, waitForClusterPhaseAmong, waitForLatticeClusterAbsent, type PhaseTransition } from '../kube/index.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import { clientOf } from './cluster-ref.js';

/** What deleting a child through its own API showed. */
export interface UnpivotReport {
  cluster: string;
  parent: string;
  /** Phases the child's own copy went through after the delete. */
  ownPhases: string[];
  /** The parent's LatticeCluster copy is gone (a failing read never counts as gone). */
  goneFromParent: boolean;
  /** The parent still holds a CAPI Cluster for the child after the unpivot (it must not). */
  parentStillHoldsCapiCluster: boolean;
}

/**
 * Deletes a child through its own API (facts §2.6): the child goes Unpivoting, hands its CAPI
 * resources back, the parent tears the infrastructure down and removes its copy.
 */
export async function deleteThroughOwnApiAndWait(deps: HierarchyDeps, role: ClusterRole): Promise<UnpivotReport> {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const parent = run.clusters.require(ctx.parentRole!);
  const child = clientOf(ctx);
  const parentClient = clientOf(parent);
  const wait = run.config.waits.deletion;
  const ownPhases: PhaseTransition[] = [];

  // Watch the child's own copy from before the delete so Unpivoting cannot slip by unseen.
  const unpivoting = waitForClusterPhaseAmong({
    client: child, name: ctx.name, phases: ['Unpivoting'], timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, signal: deps.signal,
    onTransition: (t) => { ownPhases.push(t); log(`${ctx.name} (own copy): ${t.phase}`); },
  }).then(() => true, (err: Error) => { log(`${ctx.name} (own copy): ${err.message.split('\n')[0]}`); return false; });

  log(`deleting ${ctx.name} through its own API`);
  await deleteLatticeCluster(child, ctx.name);
  await unpivoting;
  let goneFromParent = false;
  try {
    await waitForLatticeClusterAbsent({ client: parentClient, name: ctx.name, timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, signal: deps.signal });
    goneFromParent = true;
    run.clusters.mark(role, 'gone');
  } catch (err) {
    log(`${ctx.name} on ${parent.name}: ${(err as Error).message}`);
  }
  const leftover = await getCapiCluster(parentClient, ctx.name);
  return {
    cluster: ctx.name, parent: parent.name, ownPhases: ownPhases.map((t) => t.phase),
    goneFromParent, parentStillHoldsCapiCluster: leftover !== undefined,
  };
}
