/**
 * Which CedarPolicy objects the 2026-04 gates load (cedar/engine.rs:476-526): only lattice-system,
 * enabled ones, an unparsable one skipped while the rest load, inherited before local and higher
 * priority first; the loaded set is reused until a CedarPolicy changes, and reloaded a watch
 * round-trip after the change (lattice-operator/src/main.rs:590-640), not at once. The CRD's schema defaults
 * and prunes as kube-derive's would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { checkWildcard, policySetOf } from '../../src/versions/v2026-04/cedar/index.js';
import { until } from '../helpers/until.js';

const API = 'lattice.dev/v1alpha1';
const PERMIT = 'permit(principal == Lattice::Service::"shop/catalog", action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");';
const FORBID = 'forbid(principal, action == Lattice::Action::"AllowWildcard", resource);';

function newStore(): ObjectStore {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  for (const ns of ['lattice-system', 'shop']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return store;
}
const policy = (name: string, policies: string, spec: Record<string, unknown> = {}, namespace = 'lattice-system', labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: API, kind: 'CedarPolicy', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { policies, ...spec } });
const wildcard = (s: ObjectStore) => checkWildcard(s, 'shop', 'catalog', 'inbound');

test('a permit outside lattice-system opens nothing; the same permit in lattice-system does once the engine reloaded', async () => {
  const store = newStore();
  store.create(policy('elsewhere', PERMIT, {}, 'shop'));
  assert.deepEqual([wildcard(store).allowed, wildcard(store).denial], [false, 'NoPermitPolicy']);
  store.create(policy('here', PERMIT));
  assert.equal(wildcard(store).allowed, false, 'right after the write the engine still has the old set');
  await until('the permit in lattice-system to count', () => wildcard(store).allowed, 5_000, () => wildcard(store));
});

test('a disabled policy is skipped: its permit opens nothing, its forbid closes nothing', async () => {
  const store = newStore();
  store.create(policy('allow', PERMIT, { enabled: false }));
  assert.equal(wildcard(store).allowed, false);
  const allow = store.get(API, 'CedarPolicy', 'allow', 'lattice-system')!;
  store.update({ ...allow, spec: { ...allow.spec, enabled: true } });
  await until('the enabled permit to count after the reload', () => wildcard(store).allowed, 5_000, () => wildcard(store));
  store.create(policy('deny', FORBID, { enabled: false }));
  const reloaded = policySetOf(store);
  await until('the reload after the disabled forbid', () => policySetOf(store) !== reloaded, 5_000);
  assert.equal(wildcard(store).allowed, true);
});

test('an unparsable policy is skipped and the others still load', () => {
  const store = newStore();
  store.create(policy('broken', 'permit(principal, action resource);', { priority: 5 })); // loaded first
  store.create(policy('allow', PERMIT));
  assert.equal(wildcard(store).allowed, true);
  const set = policySetOf(store);
  assert.deepEqual(set.skipped.map((s) => s.name), ['broken']);
  assert.deepEqual(Object.keys(set.policies), ['allow_policy0']);
});

test('load order: inherited (lattice.dev/inherited=true) before local, each by descending priority, default 0; ids <name>_policy<i>', () => {
  const store = newStore();
  store.create(policy('low', `${PERMIT}\n${FORBID}`, { priority: -5 }));
  store.create(policy('mid', PERMIT));
  store.create(policy('high', PERMIT, { priority: 10 }));
  store.create(policy('parent--rule', PERMIT, { priority: 1 }, 'lattice-system', { 'lattice.dev/inherited': 'true' }));
  store.create(policy('parent--top', PERMIT, { priority: 7 }, 'lattice-system', { 'lattice.dev/inherited': 'true' }));
  store.create(policy('not-inherited', PERMIT, { priority: 100 }, 'lattice-system', { 'lattice.dev/inherited': 'false' }));
  assert.deepEqual(Object.keys(policySetOf(store).policies), [
    'parent--top_policy0', 'parent--rule_policy0', 'not-inherited_policy0', 'high_policy0', 'mid_policy0', 'low_policy0', 'low_policy1',
  ]);
  // Cedar's decision does not depend on order: the forbid of the lowest-priority policy still wins.
  assert.deepEqual([wildcard(store).allowed, wildcard(store).denial], [false, 'ExplicitForbid']);
});

test('the loaded set is reused while no CedarPolicy changes, and reloaded a watch round-trip after one does', async () => {
  const store = newStore();
  store.create(policy('allow', PERMIT));
  const first = policySetOf(store);
  store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'shop' }, data: {} });
  assert.equal(policySetOf(store), first);
  store.delete(API, 'CedarPolicy', 'allow', 'lattice-system');
  assert.equal(policySetOf(store), first, 'not at once: the reload is a task of its own (main.rs:590-640)');
  assert.equal(wildcard(store).allowed, true, 'the deleted permit still counts until the reload');
  await until('the reload after the delete', () => policySetOf(store) !== first, 5_000);
  assert.equal(wildcard(store).allowed, false, 'a deleted permit no longer counts');
});

test('schema: policies required; priority 0, enabled and propagate true by default; unknown fields pruned; wrong types refused', () => {
  const store = newStore();
  const created = store.create({ ...policy('p', PERMIT, { description: 'catalog wildcard', bogus: 1 }), status: { phase: 'Valid', extra: true } });
  assert.deepEqual(created.spec, { description: 'catalog wildcard', policies: PERMIT, priority: 0, enabled: true, propagate: true });
  assert.throws(() => store.create({ apiVersion: API, kind: 'CedarPolicy', metadata: { name: 'q', namespace: 'lattice-system' }, spec: { priority: 1 } }),
    (e: Error) => /spec\.policies: Required value/.test(e.message));
  assert.throws(() => store.create(policy('r', PERMIT, { priority: 'high' })),
    (e: Error) => /spec\.priority: Invalid value: "string": spec\.priority in body must be of type integer/.test(e.message));
  assert.throws(() => store.create(policy('s', PERMIT, { enabled: 'yes' })), (e: Error) => /spec\.enabled/.test(e.message));
});
