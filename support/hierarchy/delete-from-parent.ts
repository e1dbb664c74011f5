/**
 * Deletion as Lattice 2026-04 runs it from both ends (docs/LATTICE-2026-04.md §3.3):
 * - a cluster with a parent that still has children refuses to delete itself: its own copy keeps
 *   its phase and says `Deletion blocked: <n> child cluster(s) exist: <names>. ...` in
 *   status.message, and goes ahead once they are gone (cluster/controller/deletion.rs:241-265);
 * - a parent deleting a pivoted child shows it `Deleting`, has the child's agent delete the child's
 *   own copy, takes its CAPI objects back (`unpivotImportComplete`), tears the infrastructure down
 *   and removes the copy (deletion.rs:100-128, :199-232).
 */
import {
  deleteLatticeCluster, getCapiCluster, getLatticeCluster, waitFor, waitForClusterPhaseAmong, waitForLatticeClusterAbsent,
  LATTICE_CLUSTERS_PATH, type LatticeCluster,
} from '../kube/index.js';
import { CAPI_GROUP, CAPI_VERSION, capiNamespace } from '../kube/capi.js';
import type { ClusterRole } from '../run/roles.js';
import type { HierarchyDeps } from './deps.js';
import type { UnpivotReport } from './delete-cluster.js';
import { clientOf } from './cluster-ref.js';

/** What a cluster says when its own deletion waits for its children (deletion.rs:241-265). */
export const DELETION_BLOCKED = /^Deletion blocked: (\d+) child cluster\(s\) exist: (.*)\. Delete children first or remove finalizer for break-glass\.$/;

export interface BlockedDeletion {
  cluster: string;
  /** Its own copy's phase and message while blocked. */
  phase: string;
  message: string;
  /** The children the message names. */
  children: string[];
  /** Settles once the deletion, no longer blocked, has run its course; never rejects (`error` says what went wrong). */
  completion: Promise<UnpivotReport & { error?: string }>;
}

/**
 * Deletes the cluster through its own API while it has children; resolves once its own copy says
 * the deletion is blocked, or fails at once should it start unpivoting instead.
 */
export async function deleteWhileChildrenRun(deps: HierarchyDeps, role: ClusterRole): Promise<BlockedDeletion> {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const parent = run.clusters.require(ctx.parentRole!);
  const own = clientOf(ctx);
  const wait = run.config.waits.deletion;
  const ownPhases: string[] = [];
  // Watched from before the delete so the later Unpivoting cannot slip by; the children's deletion comes first, hence the longer bound.
  const unpivoting = waitForClusterPhaseAmong({
    client: own, name: ctx.name, phases: ['Unpivoting'], timeoutMs: wait.timeoutMs * 3, intervalMs: wait.intervalMs, signal: deps.signal,
    onTransition: (t) => { ownPhases.push(t.phase); log(`${ctx.name} (own copy): ${t.phase}${t.message ? `: ${t.message}` : ''}`); },
  });
  unpivoting.catch(() => undefined); // judged by `completion`
  log(`deleting ${ctx.name} through its own API while it has children`);
  await deleteLatticeCluster(own, ctx.name);
  const blocked = await waitFor<LatticeCluster>({
    client: own, path: LATTICE_CLUSTERS_PATH, name: ctx.name, resource: `LatticeCluster ${ctx.name} on its own API`,
    conditionText: 'saying its deletion is blocked', ...wait, signal: deps.signal,
    condition: (c) => DELETION_BLOCKED.test(c.status?.message ?? ''),
    failIf: (c) => (c.status?.phase === 'Unpivoting' ? 'it is Unpivoting: its deletion went ahead with children still on it' : undefined),
    describe: (c) => (c ? `phase ${c.status?.phase ?? '(none)'}: ${c.status?.message ?? '(no message)'}` : 'gone'),
  });
  const message = blocked.status?.message ?? '';
  const parentClient = clientOf(parent);
  const completion = (async (): Promise<UnpivotReport & { error?: string }> => {
    await unpivoting;
    let goneFromParent = false;
    try {
      await waitForLatticeClusterAbsent({ client: parentClient, name: ctx.name, ...wait, signal: deps.signal });
      goneFromParent = true;
      run.clusters.mark(role, 'gone');
    } catch (err) {
      log(`${ctx.name} on ${parent.name}: ${(err as Error).message}`);
    }
    const leftover = await getCapiCluster(parentClient, ctx.name);
    return { cluster: ctx.name, parent: parent.name, ownPhases, goneFromParent, parentStillHoldsCapiCluster: leftover !== undefined };
  })().catch(async (err: unknown) => ({
    cluster: ctx.name, parent: parent.name, ownPhases, goneFromParent: false,
    parentStillHoldsCapiCluster: (await getCapiCluster(parentClient, ctx.name).catch(() => undefined)) !== undefined,
    error: err instanceof Error ? err.message : String(err),
  }));
  return {
    cluster: ctx.name, phase: blocked.status?.phase ?? '', message,
    children: (DELETION_BLOCKED.exec(message)?.[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    completion,
  };
}

/** What deleting a child on its parent showed. */
export interface ParentDeletionReport {
  cluster: string;
  parent: string;
  /** Phases the parent's copy showed after the delete, in order. */
  parentPhases: string[];
  /** The parent's copy said its CAPI objects were imported back (status.unpivotImportComplete). */
  importComplete: boolean;
  /** A CAPI Cluster of the child appeared on the parent during the deletion. */
  capiReturned: boolean;
  goneFromParent: boolean;
  parentStillHoldsCapiCluster: boolean;
}

/** Deletes a pivoted child on its parent and follows the parent's copy until it is gone. */
export async function deleteOnParentAndWait(deps: HierarchyDeps, role: ClusterRole): Promise<ParentDeletionReport> {
  const { run, log } = deps;
  const ctx = run.clusters.require(role);
  const parent = run.clusters.require(ctx.parentRole!);
  const parentClient = clientOf(parent);
  const wait = run.config.waits.deletion;
  const parentPhases: string[] = [];
  let importComplete = false;
  const before = await getLatticeCluster(parentClient, ctx.name);
  if (!before) throw new Error(`${parent.name} holds no LatticeCluster ${ctx.name} to delete`);
  // Both watches start before the delete: the CAPI objects come back and go again within moments.
  const returned = waitFor<{ metadata?: { name?: string } }>({
    client: parentClient, path: `/apis/${CAPI_GROUP}/${CAPI_VERSION}/namespaces/${capiNamespace(ctx.name)}/clusters`,
    resource: `CAPI Clusters in ${capiNamespace(ctx.name)} on ${parent.name}`, conditionText: `holding ${ctx.name}`, ...wait, signal: deps.signal,
    condition: (items) => items.some((c) => c.metadata?.name === ctx.name),
    describe: (items) => (items ? `${items.length} CAPI Cluster(s)` : 'not listed yet'),
  }).then(() => true, () => false);
  const gone = waitFor<LatticeCluster>({
    client: parentClient, path: LATTICE_CLUSTERS_PATH, fieldSelector: `metadata.name=${ctx.name}`,
    resource: `LatticeCluster ${ctx.name} on ${parent.name}`, conditionText: 'gone', ...wait, signal: deps.signal,
    condition: (items) => items.length === 0,
    onChange: (items) => {
      const c = items[0];
      if (!c) return;
      const phase = c.status?.phase ?? '(none)';
      if (parentPhases.at(-1) !== phase) { parentPhases.push(phase); log(`${ctx.name} on ${parent.name}: ${phase}`); }
      if ((c.status as { unpivotImportComplete?: boolean } | undefined)?.unpivotImportComplete) importComplete = true;
    },
    describe: (items) => (items?.[0] ? `phase ${items[0].status?.phase ?? '(none)'}` : 'gone'),
  }).then(() => true, (err: Error) => { log(`${ctx.name} on ${parent.name}: ${err.message}`); return false; });
  log(`deleting ${ctx.name} on its parent ${parent.name}`);
  await deleteLatticeCluster(parentClient, ctx.name);
  const [capiReturned, goneFromParent] = await Promise.all([returned, gone]);
  if (goneFromParent) run.clusters.mark(role, 'gone');
  const leftover = await getCapiCluster(parentClient, ctx.name);
  return { cluster: ctx.name, parent: parent.name, parentPhases, importComplete, capiReturned, goneFromParent, parentStillHoldsCapiCluster: leftover !== undefined };
}
