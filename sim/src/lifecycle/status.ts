/**
 * LatticeCluster status writes as Lattice 1236706e makes them (lattice-cluster/src/controller.rs):
 * a phase write (update_cluster_status :2179-2246) merge-patches phase, message and one condition,
 * plus pivotComplete when asked; Unpivoting writes (handle_deletion) keep the status as it is and
 * change phase and message, adding UnpivotComplete beside the other conditions. Pending and
 * Unpivoting are never written through a phase write; observedGeneration, readyControlPlane,
 * readyWorkers and endpoint are declared (crd/cluster.rs:83-137) and never written.
 */
import type { ObjectStore } from '../apiserver/types.js';
import { LATTICE_API, LATTICE_CLUSTER_KIND } from './names.js';
import { now } from './objects.js';

export type ClusterPhase = 'Pending' | 'Provisioning' | 'Pivoting' | 'Ready' | 'Unpivoting' | 'Failed';
/** Phases written by update_cluster_status (controller.rs:1553, :1755, :1774, :2009). */
export type WrittenPhase = 'Provisioning' | 'Pivoting' | 'Ready' | 'Failed';

const PHASE_CONDITION: Record<WrittenPhase, [string, string, string, string]> = {
  Provisioning: ['Provisioning', 'True', 'StartingProvisioning', 'Provisioning cluster infrastructure'],
  Pivoting: ['Pivoting', 'True', 'StartingPivot', 'Pivoting cluster to self-managed'],
  Ready: ['Ready', 'True', 'ClusterReady', 'Cluster is self-managed and ready'],
  Failed: ['Ready', 'False', 'ValidationFailed', 'Unknown error'],
};

export interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime: string }

export function condition(type: string, status: string, reason: string, message: string): Condition {
  return { type, status, reason, message, lastTransitionTime: now() };
}

/** A phase write; `message` is the Failed phase's error. */
export function writePhase(store: ObjectStore, name: string, phase: WrittenPhase, extras: { message?: string; pivotComplete?: boolean } = {}): void {
  const [type, status, reason, defaultMessage] = PHASE_CONDITION[phase];
  const message = phase === 'Failed' ? extras.message ?? defaultMessage : defaultMessage;
  const patch: Record<string, unknown> = { phase, message, conditions: [condition(type, status, reason, message)] };
  if (extras.pivotComplete) patch.pivotComplete = true; // skip_serializing_if is_false: never written false
  store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, name, undefined, { status: patch }, 'status');
}

/** The self copy being deleted: phase Unpivoting with `message`, other conditions kept (controller.rs:2555-2665). */
export function writeUnpivoting(store: ObjectStore, name: string, message?: string, add?: Condition): void {
  const cur = store.get(LATTICE_API, LATTICE_CLUSTER_KIND, name);
  if (!cur) return;
  const kept: Condition[] = (cur.status?.conditions ?? []).filter((c: Condition) => c.type !== add?.type);
  const patch: Record<string, unknown> = { phase: 'Unpivoting', conditions: add ? [...kept, add] : kept };
  if (message !== undefined) patch.message = message;
  store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, name, undefined, { status: patch }, 'status');
}

/** Sets or clears one boolean flag without touching the phase. */
export function writeFlag(store: ObjectStore, name: string, flag: 'pivotComplete' | 'bootstrapComplete' | 'unpivotPending', value: boolean): void {
  store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, name, undefined, { status: { [flag]: value ? true : null } }, 'status');
}
