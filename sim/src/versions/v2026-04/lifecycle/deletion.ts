/**
 * LatticeCluster deletion at b5d50e90 (cluster/controller/deletion.rs). On the parent, a child's copy
 * goes `Deleting`; a pivoted child (pivotComplete, not unpivotImportComplete) is told to delete itself
 * (gRPC DeleteCluster, retried every 10 s while its agent is away), otherwise the CAPI Cluster is
 * deleted (after CAPI is stable, before the first delete only) and the finalizer goes once it is gone.
 * On a cluster's own copy: a cell (`parentConfig`) with other LatticeClusters refuses with a message;
 * a root drops its finalizer; a child waits for CAPI stable and its workers, deletes the cell
 * Service and goes `Unpivoting` (its agent ships the CAPI objects to the parent).
 */
import type { KubeObject } from '../../../apiserver/types.js';
import { faultOn } from '../../../faults.js';
import type { ClusterContext } from '../../../lifecycle/context.js';
import { CELL_SERVICE, LATTICE_API, LATTICE_CLUSTER_KIND, LATTICE_SYSTEM, PARENT_CONFIG_SECRET, UNPIVOT_FINALIZER, capiNamespace } from '../../../lifecycle/names.js';
import { readyNodeCounts } from './ready.js';
import { isCapiStable } from './stability.js';

const CAPI_API = 'cluster.x-k8s.io/v1beta2';

export interface DeletionPorts {
  /** Sends DeleteCluster to the child's agent; false when it is not connected. */
  sendDeleteCluster(child: string): boolean;
  removeFinalizer(lc: KubeObject): void;
  /** The parent's CAPI copy is no longer paused (moved away) once it is deleted here. */
  resumeCapi(name: string): void;
}

/** `.phase(p)` / `.message(m)` on the status as it is (no condition added). */
function patchPhase(ctx: ClusterContext, lc: KubeObject, fields: { phase?: string; message?: string }): void {
  const s = lc.status ?? {};
  if ((fields.phase === undefined || s.phase === fields.phase) && (fields.message === undefined || s.message === fields.message)) return;
  ctx.store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, lc.metadata.name, undefined, { status: { ...fields } }, 'status');
}

/** handle_non_self_deletion (deletion.rs:100-191); returns the requeue delay. */
export function deleteChildCopy(ctx: ClusterContext, lc: KubeObject, ports: DeletionPorts): number | void {
  const name = lc.metadata.name;
  const ns = capiNamespace(name);
  const before = lc.status?.phase;
  patchPhase(ctx, lc, { phase: 'Deleting' });
  const pivoted = !!lc.status?.pivotComplete && !lc.status?.unpivotImportComplete;
  if (pivoted && !faultOn('parent-delete-leaves-infrastructure')) {
    // handle_pivoted_child_deletion (:199-232): the CAPI objects live on the child.
    if (!ports.sendDeleteCluster(name)) ctx.log(`operator: agent of ${name} not connected, waiting to send DeleteCluster`);
    return 1000;
  }
  const c = ctx.store.get(CAPI_API, 'Cluster', name, ns);
  if (c) {
    if (before !== 'Deleting' && !isCapiStable(ctx.store, name)) {
      patchPhase(ctx, ctx.store.get(LATTICE_API, LATTICE_CLUSTER_KIND, name) ?? lc, { message: 'Waiting for CAPI to stabilize before cleanup' });
      return 1000;
    }
    ports.resumeCapi(name);
    if (!c.metadata.deletionTimestamp) ctx.store.delete(CAPI_API, 'Cluster', name, ns);
    return 200;
  }
  ports.removeFinalizer(lc);
}

/** handle_self_deletion (deletion.rs:241-380); returns the requeue delay. */
export function deleteOwnCopy(ctx: ClusterContext, lc: KubeObject, ports: DeletionPorts): number | void {
  const { store } = ctx;
  const name = lc.metadata.name;
  if (lc.spec?.parentConfig != null && !faultOn('deletion-not-blocked-by-children')) {
    const children = store.list(LATTICE_API, LATTICE_CLUSTER_KIND).items.map((c) => c.metadata.name).filter((n) => n !== name);
    if (children.length) {
      patchPhase(ctx, lc, { message: `Deletion blocked: ${children.length} child cluster(s) exist: ${children.join(', ')}. Delete children first or remove finalizer for break-glass.` });
      return 3000;
    }
  }
  if (!store.get('v1', 'Secret', PARENT_CONFIG_SECRET, LATTICE_SYSTEM)) { ports.removeFinalizer(lc); return; }
  if (!isCapiStable(store, name)) { patchPhase(ctx, lc, { message: 'Deletion pending: waiting for CAPI to stabilize' }); return 1000; }
  const desired = Object.values(lc.spec?.nodes?.workerPools ?? {}).reduce((n: number, p: any) => n + Number(p?.replicas ?? 0), 0); // eslint-disable-line @typescript-eslint/no-explicit-any
  const ready = readyNodeCounts(ctx).readyWorkers;
  if (ready < desired) { patchPhase(ctx, lc, { message: `Deletion pending: waiting for workers (${ready}/${desired})` }); return 1000; }
  if (lc.status?.phase !== 'Unpivoting') {
    if (store.get('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM)) store.delete('v1', 'Service', CELL_SERVICE, LATTICE_SYSTEM);
    patchPhase(ctx, lc, { phase: 'Unpivoting', message: 'Agent sending CAPI resources to parent' });
  }
  // The finalizer stays until the parent's CAPI deletes this cluster's infrastructure.
  return 3000;
}

export const hasUnpivotFinalizer = (lc: KubeObject): boolean => !!lc.metadata.finalizers?.includes(UNPIVOT_FINALIZER);
