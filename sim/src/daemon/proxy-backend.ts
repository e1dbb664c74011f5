/**
 * The hierarchy as a 2026-04 cell's auth proxy sees it (upstream: the AgentRegistry routes its
 * children's agents report, lattice-cell/src/connection.rs:1090-1140; lattice-agent/src/subtree.rs:41-80):
 * the cell itself (no labels, connection.rs:331-346) and every cluster below it whose chain of
 * parents is up, each with the labels of its own LatticeCluster.
 */
import type { Infrastructure } from '../lifecycle/index.js';
import { LATTICE_API, LATTICE_CLUSTER_KIND } from '../lifecycle/names.js';
import type { ProxyBackend } from '../versions/v2026-04/proxy/index.js';

const MAX_DEPTH = 16;

export function infraProxyBackend(infra: Infrastructure, self: string): ProxyBackend {
  const isBelow = (name: string, ancestor: string): boolean => {
    let cur = name;
    for (let i = 0; i < MAX_DEPTH; i++) {
      const parent = infra.host(cur)?.parent();
      if (!parent) return false;
      if (parent === ancestor) return infra.isAlive(ancestor);
      cur = parent;
    }
    return false;
  };
  return {
    isBelow,
    routes() {
      const out = new Map([[self, { isSelf: true, labels: {} as Record<string, string> }]]);
      for (const name of infra.names()) {
        if (name === self || !isBelow(name, self)) continue;
        const labels = infra.host(name)?.store.get(LATTICE_API, LATTICE_CLUSTER_KIND, name)?.metadata.labels ?? {};
        out.set(name, { isSelf: false, labels: { ...labels } });
      }
      return out;
    },
    endpoint: (name) => {
      const ep = infra.endpoint(name);
      return ep && { url: ep.server, caPem: ep.caPem, token: ep.token };
    },
  };
}
