/**
 * The CedarPolicy status controller (lattice-api/src/cedar/validation.rs): phase Valid with permit
 * and forbid counts, Invalid with Cedar's parse errors, "Policy is disabled", observedGeneration,
 * for CedarPolicies of any namespace; the status is merge-patched (a now-empty validationErrors
 * keeps its old value). Also the 2026-01 side: no CedarPolicy kind, nothing runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { startCedarAddon } from '../../src/versions/v2026-04/cedar/addon.js';
import { startCedarPolicyStatus } from '../../src/versions/v2026-04/cedar/status.js';
import { until } from '../helpers/until.js';

const API = 'lattice.dev/v1alpha1';
const PERMIT = 'permit(principal, action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");';
const FORBID = 'forbid(principal, action, resource) when { principal.namespace == "untrusted" };';

function running(): { store: ObjectStore; stop: AbortController } {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  for (const ns of ['lattice-system', 'shop']) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const stop = new AbortController();
  startCedarPolicyStatus(store, stop.signal);
  return { store, stop };
}
const policy = (name: string, policies: string, spec: Record<string, unknown> = {}, namespace = 'lattice-system'): KubeObject =>
  ({ apiVersion: API, kind: 'CedarPolicy', metadata: { name, namespace }, spec: { policies, ...spec } });

async function statusOf(store: ObjectStore, name: string, namespace: string, generation: number): Promise<Record<string, unknown>> {
  const o = await until(`CedarPolicy ${namespace}/${name} status for generation ${generation}`, () => {
    const cur = store.get(API, 'CedarPolicy', name, namespace);
    return cur?.status?.observedGeneration === generation ? cur : undefined;
  }, 5_000, () => store.get(API, 'CedarPolicy', name, namespace)?.status);
  return o.status;
}

test('Valid with permit and forbid counts, for any namespace; Invalid with parse errors; disabled is Valid', async () => {
  const { store, stop } = running();
  try {
    store.create(policy('two-one', `${PERMIT}\n${PERMIT}\n${FORBID}`));
    store.create(policy('elsewhere', PERMIT, {}, 'shop'));
    store.create(policy('broken', 'permit(principal, action resource);'));
    store.create(policy('off', 'not cedar at all', { enabled: false }));

    const valid = await statusOf(store, 'two-one', 'lattice-system', 1);
    assert.deepEqual({ ...valid, lastValidated: typeof valid.lastValidated },
      { phase: 'Valid', message: '2 permit, 1 forbid statements', permitCount: 2, forbidCount: 1, lastValidated: 'string', observedGeneration: 1 });
    assert.ok(!Number.isNaN(Date.parse(String(valid.lastValidated))));

    const elsewhere = await statusOf(store, 'elsewhere', 'shop', 1);
    assert.deepEqual([elsewhere.phase, elsewhere.permitCount], ['Valid', 1], 'validated though never loaded (the controller watches all namespaces)');

    const broken = await statusOf(store, 'broken', 'lattice-system', 1);
    assert.equal(broken.phase, 'Invalid');
    assert.match(String(broken.message), /^[1-9]\d* parse error\(s\)$/);
    assert.deepEqual([broken.permitCount, broken.forbidCount], [0, 0]);
    const errors = broken.validationErrors as string[];
    assert.ok(Array.isArray(errors) && errors.length === Number(String(broken.message).split(' ')[0]), JSON.stringify(broken));
    assert.match(errors[0], /unexpected token|expected/i);

    const off = await statusOf(store, 'off', 'lattice-system', 1);
    assert.deepEqual([off.phase, off.message, off.permitCount, off.forbidCount], ['Valid', 'Policy is disabled', 0, 0]);
  } finally { stop.abort(); }
});

test('a spec change is validated again (observedGeneration follows); fixing a broken policy keeps its old validationErrors (merge patch)', async () => {
  const { store, stop } = running();
  try {
    store.create(policy('p', 'permit(principal, action resource);'));
    const before = await statusOf(store, 'p', 'lattice-system', 1);
    assert.equal(before.phase, 'Invalid');
    const cur = store.get(API, 'CedarPolicy', 'p', 'lattice-system')!;
    store.update({ ...cur, spec: { ...cur.spec, policies: FORBID } });
    const after = await statusOf(store, 'p', 'lattice-system', 2);
    assert.deepEqual([after.phase, after.message, after.permitCount, after.forbidCount], ['Valid', '0 permit, 1 forbid statements', 0, 1]);
    assert.deepEqual(after.validationErrors, before.validationErrors, 'upstream patches status with Patch::Merge and omits an empty validationErrors');
  } finally { stop.abort(); }
});

test('a 2026-01 cluster has no CedarPolicy kind: the controller does not start', () => {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-01', crds: false });
  const stop = new AbortController();
  assert.doesNotThrow(() => startCedarPolicyStatus(store, stop.signal));
  assert.equal(store.typeOf(API, 'CedarPolicy'), undefined);
  stop.abort();
});

test('the daemon addon runs the controller on a 2026-04 cluster and stops it with the addon', async () => {
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04', crds: false });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lattice-system' } });
  const cluster = new AbortController();
  const addon = startCedarAddon({ clusterName: 'mgmt', store, workDir: '/nonexistent', signal: cluster.signal });
  try {
    store.create(policy('first', PERMIT));
    assert.equal((await statusOf(store, 'first', 'lattice-system', 1)).phase, 'Valid');
    await addon.stop();
    store.create(policy('after-stop', PERMIT));
    // The watch event and a reconcile run as microtasks: all of them have run before setImmediate fires.
    await new Promise((r) => setImmediate(r));
    assert.equal(store.get(API, 'CedarPolicy', 'after-stop', 'lattice-system')?.status, undefined);
  } finally { cluster.abort(); }
});
