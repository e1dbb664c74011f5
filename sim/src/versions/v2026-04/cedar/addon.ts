/**
 * The per-cluster parts of the 2026-04 Cedar engine the daemon runs (daemon/addons.ts): the
 * CedarPolicy status controller, the policies the infrastructure bootstrap applies, and the parent-to-child CedarPolicy sync of a cluster that has a
 * parent. A 2026-01 cluster serves no CedarPolicy kind, so both do nothing there. The gates
 * themselves need no process: they read the store when asked (index.ts).
 */
import type { ObjectStore } from '../../../apiserver/types.js';
import type { ClusterAddon, ClusterAddonContext } from '../../../lifecycle/cluster-host.js';
import { LATTICE_SYSTEM, PARENT_CONFIG_SECRET } from '../../../lifecycle/names.js';
import { secretValue } from '../../../lifecycle/objects.js';
import { CEDAR_API, CEDAR_KIND } from './policy-set.js';
import { seedBootstrapPolicies } from './bootstrap-policies.js';
import { startCedarPropagation } from './propagation.js';
import { startCedarPolicyStatus } from './status.js';

export function startCedarAddon(ctx: ClusterAddonContext): ClusterAddon {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  startCedarPolicyStatus(ctx.store, signal);
  seedBootstrapPolicies(ctx.store, ctx.clusterName, signal);
  return { stop: () => stop.abort() };
}

/**
 * Once the cluster's `lattice-parent-config` names its parent (the secret its agent reads to reach
 * the parent's cell, bootstrap manifests) and that parent runs, the parent's policies flow down
 * (propagation.ts). `parentStoreOf` finds a running cluster's store.
 */
export function startCedarInheritanceAddon(ctx: ClusterAddonContext, parentStoreOf: (name: string) => ObjectStore | undefined): ClusterAddon {
  const stop = new AbortController();
  if (!ctx.store.typeOf(CEDAR_API, CEDAR_KIND)) return { stop: () => stop.abort() };
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  let started = false;
  const tryStart = () => {
    if (started || signal.aborted) return;
    const parentName = secretValue(ctx.store.get('v1', 'Secret', PARENT_CONFIG_SECRET, LATTICE_SYSTEM), 'parent_cluster');
    const parentStore = parentName ? parentStoreOf(parentName) : undefined;
    if (!parentName || !parentStore) return;
    started = true;
    unwatch();
    startCedarPropagation({ parentName, parentStore, childStore: ctx.store, signal });
  };
  const unwatch = ctx.store.watch('v1', 'Secret', { namespace: LATTICE_SYSTEM }, tryStart);
  signal.addEventListener('abort', unwatch, { once: true });
  tryStart();
  return { stop: () => stop.abort() };
}
