/**
 * The one place where per-cluster addons are wired into the daemon: each registered factory runs
 * for every cluster the daemon brings up (registerClusterAddon, lifecycle/cluster-host.ts). The
 * LatticeService runtime (compilation, pods, enforcing data plane, exec/logs, node rolls) is one.
 */
import { registerClusterAddon, type Infrastructure } from '../lifecycle/index.js';
import { startServiceRuntime } from '../services/index.js';
import { startCedarAddon, startCedarInheritanceAddon } from '../versions/v2026-04/cedar/addon.js';
import { startTokenController } from '../apiserver/tokens.js';
import { startAuthProxyAddon, type ProxyRegistry } from '../versions/v2026-04/proxy/index.js';
import { infraProxyBackend } from './proxy-backend.js';

export async function registerDaemonAddons(infra: Infrastructure, proxies: ProxyRegistry, log: (line: string) => void): Promise<void> {
  registerClusterAddon(startCedarAddon); // 2026-04 CedarPolicy status controller (versions/v2026-04/cedar/addon.ts)
  registerClusterAddon((ctx) => startCedarInheritanceAddon(ctx, (name) => infra.host(name)?.store)); // 2026-04: a child receives its parent's CedarPolicies
  // kube-controller-manager's token controller: every cluster fills its service-account-token Secrets.
  registerClusterAddon(({ clusterName, store }) => ({ stop: startTokenController(store, () => infra.endpoint(clusterName)?.caPem ?? '') }));
  // The auth proxy of each 2026-04 cell (versions/v2026-04/proxy).
  registerClusterAddon((ctx) => startAuthProxyAddon(ctx, {
    is2026_04: (name) => infra.apiVersionOf(name) === '2026-04',
    backendFor: (name) => infraProxyBackend(infra, name),
    registry: proxies, log,
  }));
  registerClusterAddon(async ({ clusterName, store, workDir }) => {
    const runtime = await startServiceRuntime({ clusterName, store, workDir });
    return {
      hooks: runtime.hooks,
      rollNodes: (o) => runtime.rollNodes(o),
      stop: () => runtime.stop(),
    };
  });
}
