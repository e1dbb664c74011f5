/**
 * CedarPolicies a parent hands to its child (lattice-cell/src/resources.rs:101-111, :245-271;
 * lattice-agent/src/pivot.rs:384-392): enabled, propagating policies of the parent's lattice-system
 * arrive as `<parent>--<name>` labelled inherited, follow the parent's changes, are never deleted
 * by the sync, and count on the child as inherited policies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { checkClusterAccess, policySetOf } from '../../src/versions/v2026-04/cedar/index.js';
import { startCedarInheritanceAddon } from '../../src/versions/v2026-04/cedar/addon.js';
import { startCedarPropagation } from '../../src/versions/v2026-04/cedar/propagation.js';
import { until } from '../helpers/until.js';

const API = 'lattice.dev/v1alpha1';
const PERMIT = 'permit(principal in Lattice::Group::"platform", action == Lattice::Action::"AccessCluster", resource);';
function newStore(): ObjectStore {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  for (const ns of ['lattice-system', 'shop']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return store;
}
const policy = (name: string, spec: Record<string, unknown> = {}, namespace = 'lattice-system'): KubeObject =>
  ({ apiVersion: API, kind: 'CedarPolicy', metadata: { name, namespace, labels: { team: 'platform' } }, spec: { policies: PERMIT, ...spec } });
const names = (s: ObjectStore) => s.list(API, 'CedarPolicy', { namespace: 'lattice-system' }).items.map((o) => o.metadata.name).sort();

test('a parent\'s enabled, propagating lattice-system policies reach the child as inherited copies; the child\'s gates count them', async () => {
  const [parent, child] = [newStore(), newStore()];
  parent.create(policy('platform-access', { priority: 3, description: 'platform team' }));
  parent.create(policy('off', { enabled: false }));
  parent.create(policy('local-only', { propagate: false }));
  parent.create(policy('elsewhere', {}, 'shop'));
  const stop = new AbortController();
  try {
    startCedarPropagation({ parentName: 'mgmt', parentStore: parent, childStore: child, signal: stop.signal });
    await until('the copy of platform-access on the child', () => child.get(API, 'CedarPolicy', 'mgmt--platform-access', 'lattice-system'), 5_000, () => names(child));
    assert.deepEqual(names(child), ['mgmt--platform-access']);
    const copy = child.get(API, 'CedarPolicy', 'mgmt--platform-access', 'lattice-system')!;
    assert.deepEqual(copy.metadata.labels, { team: 'platform', 'lattice.dev/origin-cluster': 'mgmt', 'lattice.dev/original-name': 'platform-access', 'lattice.dev/inherited': 'true' });
    assert.deepEqual(copy.spec, { policies: PERMIT, priority: 3, description: 'platform team', enabled: true, propagate: true });
    assert.deepEqual(Object.keys(policySetOf(child).policies), ['mgmt--platform-access_policy0']);
    assert.equal(checkClusterAccess(child, { username: 'ann', groups: ['platform'] }, { name: 'child', labels: {} }).allowed, true);

    // A change on the parent is pushed; a deletion is not (the copy stays).
    const cur = parent.get(API, 'CedarPolicy', 'platform-access', 'lattice-system')!;
    parent.update({ ...cur, spec: { ...cur.spec, priority: 9 } });
    await until('the copy to follow the new priority', () => child.get(API, 'CedarPolicy', 'mgmt--platform-access', 'lattice-system')?.spec.priority === 9, 5_000);
    parent.create(policy('later'));
    await until('the copy of a policy created later', () => child.get(API, 'CedarPolicy', 'mgmt--later', 'lattice-system'), 5_000, () => names(child));
    parent.delete(API, 'CedarPolicy', 'platform-access', 'lattice-system');
    parent.create(policy('after-delete'));
    await until('the copy of after-delete', () => child.get(API, 'CedarPolicy', 'mgmt--after-delete', 'lattice-system'), 5_000, () => names(child));
    assert.deepEqual(names(child), ['mgmt--after-delete', 'mgmt--later', 'mgmt--platform-access'], 'the sync applies only, it never deletes');
  } finally { stop.abort(); }
});

test('the daemon addon starts the sync once lattice-parent-config names a running parent, and not on a 2026-01 cluster', async () => {
  const [parent, child] = [newStore(), newStore()];
  parent.create(policy('platform-access'));
  const cluster = new AbortController();
  const addon = startCedarInheritanceAddon({ clusterName: 'child', store: child, workDir: '/nonexistent', signal: cluster.signal }, (n) => (n === 'mgmt' ? parent : undefined));
  try {
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(names(child), [], 'no parent named yet');
    child.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'lattice-parent-config', namespace: 'lattice-system' }, data: { parent_cluster: Buffer.from('mgmt').toString('base64') } });
    await until('the copy of the parent\'s policy', () => child.get(API, 'CedarPolicy', 'mgmt--platform-access', 'lattice-system'), 5_000, () => names(child));
    await addon.stop();
    parent.create(policy('after-stop'));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(names(child), ['mgmt--platform-access'], 'nothing flows after the addon stopped');
  } finally { cluster.abort(); }

  const old = createStore();
  registerKinds(old, { apiVersion: '2026-01', crds: false });
  assert.doesNotThrow(() => startCedarInheritanceAddon({ clusterName: 'old', store: old, workDir: '/nonexistent', signal: cluster.signal }, () => parent).stop());
});
