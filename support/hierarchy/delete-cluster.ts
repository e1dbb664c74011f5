import { deleteLatticeCluster, getCapiCluster, waitForLatticeClusterAbsent, watchAcross, LATTICE_CLUSTERS_PATH, type LatticeCluster } from '../kube/index.js';
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
  const ownPhases: string[] = [];
  let deleting = false;
  let deleted = false;

  // The watch on the child's own copy is open (its server answered) before the delete goes out, so a
  // short Unpivoting cannot slip by unseen; the child's API may go once it was seen.
  await watchAcross<LatticeCluster>({
    client: child, path: LATTICE_CLUSTERS_PATH, name: ctx.name, resource: `LatticeCluster ${ctx.name} on its own API`,
    conditionText: 'Unpivoting', timeoutMs: wait.timeoutMs, signal: deps.signal,
    condition: (c) => c.status?.phase === 'Unpivoting',
    describe: (c) => (c ? `phase ${c.status?.phase ?? '(none)'}` : 'gone'),
    onChange: (c) => {
      const phase = c.status?.phase ?? '(none)';
      if (ownPhases.at(-1) !== phase) { ownPhases.push(phase); log(`${ctx.name} (own copy): ${phase}`); }
    },
  }, async () => {
    log(`deleting ${ctx.name} through its own API`);
    deleting = true;
    await deleteLatticeCluster(child, ctx.name);
    deleted = true;
  }).catch((err: Error) => {
    // A delete that failed is the step's failure; a missed Unpivoting is judged from ownPhases by the step.
    if (deleting && !deleted) throw err;
    log(`${ctx.name} (own copy): ${err.message.split('\n')[0]}`);
  });
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
    cluster: ctx.name, parent: parent.name, ownPhases,
    goneFromParent, parentStillHoldsCapiCluster: leftover !== undefined,
  };
}
