/**
 * The one place where per-cluster addons are wired into the daemon: each registered factory runs
 * for every cluster the daemon brings up (registerClusterAddon, lifecycle/cluster-host.ts). The
 * LatticeService runtime (compilation, pods, enforcing data plane, exec/logs, node rolls) is one.
 */
import { registerClusterAddon } from '../lifecycle/index.js';
import { startServiceRuntime } from '../services/index.js';
import { startCedarAddon } from '../versions/v2026-04/cedar/addon.js';

export async function registerDaemonAddons(): Promise<void> {
  registerClusterAddon(startCedarAddon); // 2026-04 CedarPolicy status controller (versions/v2026-04/cedar/addon.ts)
  registerClusterAddon(async ({ clusterName, store, workDir }) => {
    const runtime = await startServiceRuntime({ clusterName, store, workDir });
    return {
      hooks: runtime.hooks,
      rollNodes: (o) => runtime.rollNodes(o),
      stop: () => runtime.stop(),
    };
  });
}
