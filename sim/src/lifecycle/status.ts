/** LatticeCluster status writes: every phase write replaces the conditions with one (facts §1.2). */
import type { ObjectStore } from '../apiserver/types.js';
import { LATTICE_API, LATTICE_CLUSTER_KIND } from './names.js';
import { now } from './objects.js';

export type ClusterPhase = 'Pending' | 'Provisioning' | 'Pivoting' | 'Ready' | 'Unpivoting' | 'Failed';

const PHASE_CONDITION: Record<ClusterPhase, [string, string, string, string]> = {
  Pending: ['Pending', 'Unknown', 'AwaitingProvisioning', 'Waiting for provisioning to start'],
  Provisioning: ['Provisioning', 'True', 'StartingProvisioning', 'Provisioning cluster infrastructure'],
  Pivoting: ['Pivoting', 'True', 'StartingPivot', 'Moving CAPI resources into the cluster'],
  Ready: ['Ready', 'True', 'ClusterReady', 'Cluster is ready and self-managing'],
  Unpivoting: ['Unpivoting', 'True', 'StartingUnpivot', 'Handing CAPI resources back to the parent'],
  Failed: ['Ready', 'False', 'ValidationFailed', ''],
};

export interface PhaseExtras {
  message?: string;
  pivotComplete?: boolean;
  bootstrapComplete?: boolean;
  unpivotPending?: boolean;
  /** Extra conditions after the phase's own (self-deletion's UnpivotComplete). */
  conditions?: Array<{ type: string; status: string; reason: string; message?: string }>;
}

export function condition(type: string, status: string, reason: string, message = '') {
  return { type, status, reason, message, lastTransitionTime: now() };
}

export function writePhase(store: ObjectStore, name: string, phase: ClusterPhase, extras: PhaseExtras = {}): void {
  const [type, status, reason, defaultMessage] = PHASE_CONDITION[phase];
  const message = extras.message ?? defaultMessage;
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? true : null);
  const patch: Record<string, unknown> = {
    phase, message,
    conditions: [condition(type, status, reason, message), ...(extras.conditions ?? []).map((c) => condition(c.type, c.status, c.reason, c.message))],
  };
  for (const k of ['pivotComplete', 'bootstrapComplete', 'unpivotPending'] as const) {
    const v = flag(extras[k]);
    if (v !== undefined) patch[k] = v;
  }
  store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, name, undefined, { status: patch }, 'status');
}

/** Sets or clears one boolean flag without touching the phase. */
export function writeFlag(store: ObjectStore, name: string, flag: 'pivotComplete' | 'bootstrapComplete' | 'unpivotPending', value: boolean): void {
  store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, name, undefined, { status: { [flag]: value ? true : null } }, 'status');
}
