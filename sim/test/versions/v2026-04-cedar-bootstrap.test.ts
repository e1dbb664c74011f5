/**
 * The CedarPolicies upstream's infrastructure bootstrap applies on every 2026-04 cluster with
 * services (lattice-infra bootstrap/mod.rs:470-490, :527-540, :948-1062): kthena's wildcards, the
 * lattice-operator's AccessCluster, vmagent's wildcard with monitoring on. What they allow, and that
 * they allow nobody else (a ServiceAccount without a permit is still refused AccessCluster).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type ObjectStore } from '../../src/apiserver/index.js';
import { checkClusterAccess, checkWildcard } from '../../src/versions/v2026-04/cedar/index.js';
import { startCedarAddon } from '../../src/versions/v2026-04/cedar/addon.js';
import { until } from '../helpers/until.js';

const API = 'lattice.dev/v1alpha1';
const names = (s: ObjectStore) => s.list(API, 'CedarPolicy', { namespace: 'lattice-system' }).items.map((o) => o.metadata.name).sort();

async function clusterWith(spec: Record<string, unknown>): Promise<{ store: ObjectStore; stop: () => void }> {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lattice-system' } });
  const signal = new AbortController();
  const addon = startCedarAddon({ clusterName: 'wl', store, workDir: '/tmp', signal: signal.signal });
  // The cluster's own LatticeCluster arrives after the operator started (the pivot).
  store.create({ apiVersion: API, kind: 'LatticeCluster', metadata: { name: 'wl' }, spec: {
    providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest', provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
    nodes: { controlPlane: { replicas: 1 } }, ...spec,
  } });
  return { store, stop: () => { addon.stop?.(); signal.abort(); } };
}

test('a cluster with services gets kthena-router-wildcard, kthena-autoscaler-wildcard-outbound, proxy-cluster-access and vmagent-wildcard-outbound', async () => {
  const { store, stop } = await clusterWith({});
  try {
    await until('the bootstrap CedarPolicies', () => names(store).length === 4, 5_000, () => names(store));
    assert.deepEqual(names(store), ['kthena-autoscaler-wildcard-outbound', 'kthena-router-wildcard', 'proxy-cluster-access', 'vmagent-wildcard-outbound']);
    assert.equal(checkWildcard(store, 'kthena-system', 'kthena-router', 'inbound').allowed, true);
    assert.equal(checkWildcard(store, 'kthena-system', 'kthena-router', 'outbound').allowed, true);
    assert.equal(checkWildcard(store, 'kthena-system', 'kthena-autoscaler', 'outbound').allowed, true);
    assert.equal(checkWildcard(store, 'kthena-system', 'kthena-autoscaler', 'inbound').allowed, false);
    assert.equal(checkWildcard(store, 'monitoring', 'vmagent-lattice-metrics', 'outbound').allowed, true);
    assert.equal(checkWildcard(store, 'shop', 'catalog', 'inbound').allowed, false, 'nobody else gets a wildcard');
    const cluster = { name: 'wl', labels: {} };
    const operator = { username: 'system:serviceaccount:lattice-system:lattice-operator', groups: ['system:serviceaccounts', 'system:serviceaccounts:lattice-system', 'system:authenticated'] };
    assert.equal(checkClusterAccess(store, operator, cluster).allowed, true);
    const denied = { username: 'system:serviceaccount:lattice-system:proxy-denied', groups: ['system:serviceaccounts', 'system:serviceaccounts:lattice-system', 'system:authenticated'] };
    assert.equal(checkClusterAccess(store, denied, cluster).allowed, false, 'another ServiceAccount of lattice-system is still refused');
  } finally { stop(); }
});

test('monitoring off: no vmagent policy; services off: none', async () => {
  const noMonitoring = await clusterWith({ monitoring: { enabled: false } });
  const noServices = await clusterWith({ services: false });
  try {
    await until('the core CedarPolicies', () => names(noMonitoring.store).length === 3, 5_000, () => names(noMonitoring.store));
    assert.ok(!names(noMonitoring.store).includes('vmagent-wildcard-outbound'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(names(noServices.store), []);
  } finally { noMonitoring.stop(); noServices.stop(); }
});
