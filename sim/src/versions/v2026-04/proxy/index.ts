/**
 * The auth proxy of each 2026-04 cell, as a per-cluster addon of the daemon (daemon/addons.ts).
 * Upstream the operator activates its cell servers, the auth proxy among them, once the cluster has
 * parentConfig (lattice-operator/src/main.rs:700-760, :1070-1150; startup/cell.rs:84-140): the
 * `lattice-cell` Service gets its four ports, the proxy serves on 8082 with a certificate of the
 * cell CA, and the load balancer's address becomes the base of the kubeconfigs it hands out.
 */
import type { ClusterAddon, ClusterAddonContext } from '../../../lifecycle/cluster-host.js';
import type { ObjectStore } from '../../../apiserver/types.js';
import { checkClusterAccess } from '../cedar/index.js';
import { cellCaOf } from './cell-ca.js';
import { CELL_SERVICE, LATTICE_SYSTEM, cellPorts, ensureCellService, publishIngress } from './cell-service.js';
import { listenForCell } from './listen.js';
import { createAuthProxyServer, type ProxyBackend } from './server.js';

export { rewriteChildKubeconfig } from './kubeconfig-secret.js';
export { PROXY_PORT_ANNOTATION } from './cell-service.js';
export type { ProxyBackend } from './server.js';

const LATTICE_API = 'lattice.dev/v1alpha1';

/** The proxies running in this daemon, by cluster (the uninstall job resolves proxy kubeconfigs with it). */
export interface ProxyRegistry {
  set(cluster: string, entry: { baseUrl: string; store: ObjectStore }): void;
  /** Removes the cluster's entry; with `entry`, only if it is still that one (a reinstalled cluster of the same name keeps its own). */
  delete(cluster: string, entry?: { baseUrl: string; store: ObjectStore }): void;
  get(cluster: string): { baseUrl: string; store: ObjectStore } | undefined;
  /** The cluster a proxy URL `<base>/clusters/<a>[/clusters/<b>...]` ends at, if it is one of ours. */
  clusterOf(server: string): string | undefined;
}

export function createProxyRegistry(): ProxyRegistry {
  const entries = new Map<string, { baseUrl: string; store: ObjectStore }>();
  return {
    set: (c, e) => { entries.set(c, e); },
    delete: (c, e) => { if (!e || entries.get(c) === e) entries.delete(c); },
    get: (c) => entries.get(c),
    clusterOf(server) {
      for (const e of entries.values()) {
        if (!server.startsWith(`${e.baseUrl}/clusters/`)) continue;
        const hops = server.slice(e.baseUrl.length).split('/').filter(Boolean);
        return hops.length >= 2 && hops.length % 2 === 0 ? hops[hops.length - 1] : undefined;
      }
      return undefined;
    },
  };
}

export interface AuthProxyAddonDeps {
  /** Whether this cluster serves 2026-04 (only those run the proxy). */
  is2026_04(cluster: string): boolean;
  backendFor(cluster: string): ProxyBackend;
  registry: ProxyRegistry;
  log(line: string): void;
}

export function startAuthProxyAddon(ctx: ClusterAddonContext, deps: AuthProxyAddonDeps): ClusterAddon {
  const { store, clusterName: self, signal } = ctx;
  if (!deps.is2026_04(self)) return { stop() {} };
  let started: Promise<{ stop(): Promise<void> }> | undefined;
  let address: { host: string; port: number } | undefined;

  const start = async () => {
    const ca = await cellCaOf(store, self);
    const generic = ['localhost', '127.0.0.1', `${CELL_SERVICE}.${LATTICE_SYSTEM}.svc`];
    const first = await ca.serverCert(generic);
    const proxy = createAuthProxyServer({
      cluster: self, store, backend: deps.backendFor(self), caPem: ca.caPem, ...first,
      authorize: (user, cluster) => checkClusterAccess(store, user, cluster),
      log: (l) => deps.log(`[${self}] ${l}`),
    });
    const bound = await listenForCell(proxy.server);
    // SANs localhost, 127.0.0.1, the cell Service's DNS name and the load balancer's address (main.rs:1099-1106).
    const cert = await ca.serverCert([...generic, bound.host]);
    proxy.setCertificate(cert.certPem, cert.keyPem);
    const baseUrl = `https://${bound.host}:${bound.port}`;
    proxy.setBaseUrl(baseUrl);
    const entry = { baseUrl, store };
    deps.registry.set(self, entry);
    // Only now may the Service name the address: published any earlier (a LatticeCluster change
    // while the certificate was made), the install's wait saw it before the registry knew the proxy,
    // and with the ingress already right nothing woke it again ("Timeout waiting for proxy endpoint").
    address = bound;
    reconcileService();
    deps.log(`[${self}] auth proxy: serving ${baseUrl} (/healthz, /kubeconfig, /clusters/<name>)`);
    return { stop: async () => { deps.registry.delete(self, entry); await proxy.stop(); } };
  };

  const own = () => store.get(LATTICE_API, 'LatticeCluster', self);
  const reconcileService = () => {
    const pc = own()?.spec?.parentConfig as Record<string, unknown> | undefined;
    if (!pc || signal.aborted) return;
    ensureCellService(store, cellPorts(pc));
    if (address) publishIngress(store, address.host, address.port);
  };
  const onChange = () => {
    if (signal.aborted) return;
    try {
      if (!started && own()?.spec?.parentConfig) {
        started = start();
        started.catch((e) => deps.log(`[${self}] auth proxy failed to start: ${(e as Error).message}`));
      }
      reconcileService();
    } catch (e) { deps.log(`[${self}] auth proxy: ${(e as Error).message}`); }
  };
  const unwatchLc = store.watch(LATTICE_API, 'LatticeCluster', { fieldSelector: `metadata.name=${self}` }, onChange);
  const unwatchSvc = store.watch('v1', 'Service', { namespace: LATTICE_SYSTEM, fieldSelector: `metadata.name=${CELL_SERVICE}` }, onChange);
  onChange();
  const stop = async () => {
    unwatchLc(); unwatchSvc();
    const s = await started?.catch(() => undefined);
    await s?.stop();
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  return { stop };
}
