/**
 * The seeded 2026-04 Cedar faults (sim/FAULTS.md, "API version 2026-04: Cedar"), each next to the
 * same requests without it: `cedar-forbid-ignored` lets a permit through a matching forbid (and a
 * forbid alone no longer closes a shared volume); `cedar-policies-any-namespace` counts a permit
 * written outside lattice-system.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type ObjectStore } from '../../src/apiserver/index.js';
import { setFaults } from '../../src/faults.js';
import { checkClusterAccess, checkVolumeAccess, checkWildcard } from '../../src/versions/v2026-04/cedar/index.js';

const API = 'lattice.dev/v1alpha1';
function storeWith(...objects: Array<[name: string, text: string, namespace?: string]>): ObjectStore {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  for (const ns of ['lattice-system', 'shop']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const [name, policies, namespace = 'lattice-system'] of objects) {
    store.create({ apiVersion: API, kind: 'CedarPolicy', metadata: { name, namespace }, spec: { policies } });
  }
  return store;
}
const PERMIT = 'permit(principal == Lattice::Service::"shop/catalog", action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");';
const FORBID = 'forbid(principal, action, resource) when { principal has namespace && principal.namespace == "shop" };';
const CLUSTER_PERMIT = 'permit(principal == Lattice::User::"system:serviceaccount:cedar-test:reader", action == Lattice::Action::"AccessCluster", resource == Lattice::Cluster::"child-1");';
const reader = { username: 'system:serviceaccount:cedar-test:reader', groups: [] };

afterEach(() => setFaults(new Set()));

test('cedar-forbid-ignored: without it the forbid wins over the permit; with it the permit gets through', () => {
  const store = storeWith(['allow', PERMIT], ['deny', FORBID]);
  const volume = () => checkVolumeAccess(store, 'shop', 'catalog', { namespace: 'shop', id: 'data' });
  assert.deepEqual([checkWildcard(store, 'shop', 'catalog', 'inbound').denial, volume().denial], ['ExplicitForbid', 'ExplicitForbid']);
  setFaults(new Set(['cedar-forbid-ignored']));
  assert.equal(checkWildcard(store, 'shop', 'catalog', 'inbound').allowed, true);
  assert.equal(volume().allowed, true);
});

test('cedar-policies-any-namespace: without it a permit outside lattice-system opens nothing; with it it does', () => {
  const store = storeWith(['allow', PERMIT, 'shop'], ['reader', CLUSTER_PERMIT, 'shop']);
  const cluster = () => checkClusterAccess(store, reader, { name: 'child-1', labels: {} });
  assert.deepEqual([checkWildcard(store, 'shop', 'catalog', 'inbound').denial, cluster().denial], ['NoPermitPolicy', 'NoPermitPolicy']);
  setFaults(new Set(['cedar-policies-any-namespace']));
  assert.equal(checkWildcard(store, 'shop', 'catalog', 'inbound').allowed, true);
  assert.equal(cluster().allowed, true);
});
