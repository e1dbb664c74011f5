/**
 * The lattice-cell Service names the auth proxy only once the proxy is serving and known to the
 * daemon's registry, so the wait of `lattice install`'s admin step (daemon/admin-access-job.ts,
 * install.rs:1449-1490) always wakes on a Service change it can accept. Before the fix a
 * LatticeCluster change while the proxy's certificate was made published the address early; the
 * later publish found it already there and the install timed out ("Timeout waiting for proxy endpoint").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, registerKinds } from '../../src/apiserver/index.js';
import { waitForObject } from '../../src/lifecycle/waits.js';
import { proxyEndpoint } from '../../src/versions/v2026-04/proxy/admin-access.js';
import { createProxyRegistry, startAuthProxyAddon, type ProxyBackend } from '../../src/versions/v2026-04/proxy/index.js';

const LC_API = 'lattice.dev/v1alpha1';

test('the Service\'s ingress never names a proxy the registry does not know, and the install\'s wait is met', async () => {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  store.create({ apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name: 'e2e-mgmt' }, spec: {
    providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest', provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
    nodes: { controlPlane: { replicas: 1 }, workerPools: {} }, parentConfig: { service: { type: 'LoadBalancer' } },
  } });
  const registry = createProxyRegistry();
  const stop = new AbortController();
  const early: string[] = [];
  store.watch('v1', 'Service', { namespace: 'lattice-system' }, () => {
    const ep = proxyEndpoint(store);
    if (ep && registry.get('e2e-mgmt')?.baseUrl !== ep) early.push(ep);
  });
  const addon = await startAuthProxyAddon({ clusterName: 'e2e-mgmt', store, workDir: mkdtempSync(join(tmpdir(), 'proxy-publish-')), signal: stop.signal }, {
    is2026_04: () => true, backendFor: () => ({}) as ProxyBackend, registry, log: () => undefined,
  });
  try {
    // The operator keeps writing the cluster's status while the proxy starts (phase, conditions).
    let n = 0;
    const churn = setInterval(() => store.mergePatch(LC_API, 'LatticeCluster', 'e2e-mgmt', undefined, { status: { message: `tick ${n++}` } }, 'status'), 1);
    try {
      await waitForObject({
        store, apiVersion: 'v1', kind: 'Service', name: 'lattice-cell', namespace: 'lattice-system', timeoutMs: 5000, what: 'name the registered proxy',
        until: () => { const base = registry.get('e2e-mgmt')?.baseUrl; return !!base && proxyEndpoint(store) === base; },
      });
    } finally { clearInterval(churn); }
    assert.ok(n > 0, 'the cluster changed while the proxy started');
    assert.deepEqual(early, [], 'the Service named the proxy before the registry knew it');
  } finally {
    stop.abort();
    await addon.stop();
  }
});

test('a stopped proxy removes only its own registry entry, not a reinstalled cluster\'s of the same name', () => {
  const registry = createProxyRegistry();
  const store = createStore();
  const old = { baseUrl: 'https://127.1.1.1:8082', store };
  const fresh = { baseUrl: 'https://127.2.2.2:8082', store };
  registry.set('e2e-mgmt', old);
  registry.set('e2e-mgmt', fresh);
  registry.delete('e2e-mgmt', old);
  assert.equal(registry.get('e2e-mgmt'), fresh);
  registry.delete('e2e-mgmt', fresh);
  assert.equal(registry.get('e2e-mgmt'), undefined);
});
