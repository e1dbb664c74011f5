/**
 * LatticeCluster status writes of b5d50e90: `update_status` (cluster/phases/mod.rs:72-199) merges one
 * condition by type into the list (crd/types.rs:1186-1198) and sets `status.message` to its message,
 * keeping every other field; it skips the write when phase and message are already those (unless
 * pivotComplete is newly asked for). `Deleting` and `Unpivoting` are phase-only writes
 * (controller/deletion.rs `.phase(..)`), no condition added.
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';

const LATTICE_API = 'lattice.dev/v1alpha1';
const KIND = 'LatticeCluster';

export type PhaseWrite = 'Provisioning' | 'Pivoting' | 'Pivoted' | 'Ready' | 'Failed';

// phases/mod.rs:83-131
const PHASE_CONDITION: Record<PhaseWrite, [string, string, string, string]> = {
  Provisioning: ['Provisioning', 'True', 'StartingProvisioning', 'Provisioning cluster infrastructure'],
  Pivoting: ['Pivoting', 'True', 'StartingPivot', 'Pivoting cluster to self-managed'],
  Pivoted: ['Pivoted', 'True', 'PivotComplete', 'Child cluster is self-managing'],
  Ready: ['Ready', 'True', 'ClusterReady', 'Cluster is self-managed and ready'],
  Failed: ['Ready', 'False', 'ValidationFailed', 'Unknown error'],
};

export interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime: string }

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Condition::merge_into: same type and state keeps its timestamp (message updated); otherwise replaced or appended. */
export function mergeCondition(list: Condition[], next: Condition): Condition[] {
  const i = list.findIndex((c) => c.type === next.type);
  if (i < 0) return [...list, next];
  const old = list[i];
  const same = old.status === next.status && old.reason === next.reason;
  const out = [...list];
  out[i] = same ? { ...old, message: next.message } : next;
  return out;
}

/** One `update_status` on the current object `lc` (read just before). */
export function writePhase(store: ObjectStore, lc: KubeObject, phase: PhaseWrite, extras: { message?: string; pivotComplete?: boolean } = {}): void {
  const [type, status, reason, fallback] = PHASE_CONDITION[phase];
  const message = phase === 'Failed' ? extras.message ?? fallback : fallback;
  const cur = lc.status ?? {};
  const newlyPivoted = !!extras.pivotComplete && !cur.pivotComplete;
  if (!newlyPivoted && cur.phase === phase && cur.message === message) return; // mod.rs:134-147
  const conditions = mergeCondition(cur.conditions ?? [], { type, status, reason, message, lastTransitionTime: now() });
  const patch: Record<string, unknown> = { phase, message, conditions, poolResources: cur.poolResources ?? [] };
  if (extras.pivotComplete) patch.pivotComplete = true;
  store.mergePatch(LATTICE_API, KIND, lc.metadata.name, undefined, { status: patch }, 'status');
}

/** A status patch of the listed fields only, skipped when they already hold those values (no reconcile storm). */
export function patchStatus(store: ObjectStore, lc: KubeObject, fields: Record<string, unknown>): boolean {
  const cur = lc.status ?? {};
  const changed = Object.entries(fields).some(([k, v]) => JSON.stringify(cur[k] ?? null) !== JSON.stringify(v ?? null));
  if (!changed) return false;
  store.mergePatch(LATTICE_API, KIND, lc.metadata.name, undefined, { status: { ...fields } }, 'status');
  return true;
}
