/**
 * The end of `lattice install` at 2026-04 that talks to the management cluster
 * (cli/commands/install.rs:1274-1410, :1449-1490): admin ServiceAccount, token Secret and Cedar
 * policies, then the wait (≤ 60 s) for the token and (≤ 120 s) for the `lattice-cell` load balancer
 * address of the auth proxy. The CLI then fetches `/kubeconfig?format=sa` from that endpoint itself.
 */
import type { ObjectStore } from '../apiserver/types.js';
import { LifecycleTimeoutError, waitForObject } from '../lifecycle/waits.js';
import { adminToken, proxyEndpoint, setupAdminAccess } from '../versions/v2026-04/proxy/admin-access.js';
import type { ProxyRegistry } from '../versions/v2026-04/proxy/index.js';

/** wait_with_timeout's words (cli/commands/mod.rs:99-101); without parentConfig there is no lattice-cell and install ends here. */
const upstreamTimeout = (what: string) => (e: unknown): never => {
  if (e instanceof LifecycleTimeoutError) throw new Error(`Timeout waiting for ${what}`);
  throw e;
};

export async function adminAccessJob(o: { store: ObjectStore; cluster: string; proxies: ProxyRegistry; log: (l: string) => void; signal: AbortSignal }): Promise<{ adminToken: string; proxyServer: string }> {
  setupAdminAccess(o.store);
  o.log('Created lattice-admin ServiceAccount, token Secret and Cedar access policies');
  await waitForObject({
    store: o.store, apiVersion: 'v1', kind: 'Secret', name: 'lattice-admin-token', namespace: 'lattice-system',
    until: () => !!adminToken(o.store), what: 'be populated with the admin token', timeoutMs: 60_000, signal: o.signal,
  }).catch(upstreamTimeout('admin token to be populated'));
  o.log('Admin token ready (break-glass)');
  // The endpoint is the auth proxy's once its load balancer published the address it serves on.
  await waitForObject({
    store: o.store, apiVersion: 'v1', kind: 'Service', name: 'lattice-cell', namespace: 'lattice-system',
    until: () => { const base = o.proxies.get(o.cluster)?.baseUrl; return !!base && proxyEndpoint(o.store) === base; },
    what: 'get the auth proxy\'s LoadBalancer address', timeoutMs: 120_000, signal: o.signal,
  }).catch(upstreamTimeout('proxy endpoint to be available'));
  return { adminToken: adminToken(o.store)!, proxyServer: proxyEndpoint(o.store)! };
}
