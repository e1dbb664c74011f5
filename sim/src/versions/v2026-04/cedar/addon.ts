/**
 * The per-cluster part of the 2026-04 Cedar engine the daemon runs (daemon/addons.ts): the
 * CedarPolicy status controller. A 2026-01 cluster serves no CedarPolicy kind, so it does nothing
 * there. The gates themselves need no process: they read the store when asked (index.ts).
 */
import type { ClusterAddon, ClusterAddonContext } from '../../../lifecycle/cluster-host.js';
import { startCedarPolicyStatus } from './status.js';

export function startCedarAddon(ctx: ClusterAddonContext): ClusterAddon {
  const stop = new AbortController();
  startCedarPolicyStatus(ctx.store, AbortSignal.any([ctx.signal, stop.signal]));
  return { stop: () => stop.abort() };
}
