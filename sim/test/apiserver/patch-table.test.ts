/** Patch flavours, garbage collection, JSONPath printer columns and Table rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyJsonPatch, applyStrategicMergePatch } from '../../src/apiserver/patch.js';
import { applyMergePatch, createStore } from '../../src/apiserver/store.js';
import { evalJsonPath } from '../../src/apiserver/jsonpath.js';
import { humanDuration, toTable } from '../../src/apiserver/table.js';
import { parseLabelSelector, matchesLabels } from '../../src/apiserver/selectors.js';
import { registerKinds, LATTICE_CLUSTER } from '../../src/kinds/index.js';
import { StoreError, type KubeObject } from '../../src/apiserver/types.js';

test('JSON patch: add, replace, remove, move, copy, test', () => {
  const doc = { spec: { a: 1, list: ['x'] } };
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/spec/list/-', value: 'y' },
    { op: 'replace', path: '/spec/a', value: 2 },
    { op: 'copy', from: '/spec/a', path: '/spec/b' },
    { op: 'move', from: '/spec/b', path: '/spec/c' },
    { op: 'remove', path: '/spec/list/0' },
    { op: 'test', path: '/spec/c', value: 2 },
  ]);
  assert.deepEqual(out, { spec: { a: 2, list: ['y'], c: 2 } });
  assert.deepEqual(doc, { spec: { a: 1, list: ['x'] } }, 'the input is not mutated');
  assert.throws(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/a', value: 9 }]), StoreError);
  assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }]), StoreError);
});

test('strategic merge: containers merge by name, $patch directives, null deletes', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }], nodeName: 'n1' }, metadata: { labels: { x: '1', y: '2' } } };
  const out = applyStrategicMergePatch(pod, {
    spec: { containers: [{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }], $setElementOrder: undefined },
    metadata: { labels: { y: null, z: '3' } },
  }) as typeof pod;
  assert.deepEqual(out.spec.containers.map((c) => `${c.name}=${c.image}`), ['a=a:1', 'b=b:2', 'c=c:1']);
  assert.deepEqual(out.metadata.labels, { x: '1', z: '3' });
  const del = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }) as typeof pod;
  assert.deepEqual(del.spec.containers.map((c) => c.name), ['b']);
  const repl = applyStrategicMergePatch(pod, { metadata: { labels: { only: 'me', $patch: 'replace' } } }) as typeof pod;
  assert.deepEqual(repl.metadata.labels, { only: 'me' });
});

test('merge patch obeys RFC 7386 (property: patching with a document yields that document for objects)', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.boolean(), tie('object')),
    object: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  }));
  fc.assert(fc.property(json.object, json.object, (a, b) => {
    // A patch that nulls every key of a and then sets b's keys turns a into b.
    const patch: Record<string, unknown> = {};
    for (const k of Object.keys(a as object)) patch[k] = null;
    Object.assign(patch, b);
    assert.deepEqual(applyMergePatch(a, patch), b);
  }));
});

test('ownerReferences: removing an owner removes its dependents unless orphaned', () => {
  const s = createStore(); registerKinds(s);
  const owner = s.create({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'api', namespace: 'default' }, spec: { containers: { main: { image: 'x' } } } });
  const ref = [{ apiVersion: owner.apiVersion, kind: owner.kind, name: 'api', uid: owner.metadata.uid!, controller: true }];
  s.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'default', ownerReferences: ref }, spec: {} });
  s.create({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'policy-api', namespace: 'default', ownerReferences: ref }, spec: {} });
  s.delete('lattice.dev/v1alpha1', 'LatticeService', 'api', 'default');
  assert.equal(s.get('apps/v1', 'Deployment', 'api', 'default'), undefined);
  assert.equal(s.get('cilium.io/v2', 'CiliumNetworkPolicy', 'policy-api', 'default'), undefined);
  const o2 = s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } });
  s.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kept', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: o2.metadata.uid! }] } });
  s.delete('v1', 'ConfigMap', 'owner', 'default', { propagationPolicy: 'Orphan' });
  assert.ok(s.get('v1', 'Secret', 'kept', 'default'));
});

test('JSONPath subset and the LatticeCluster table', () => {
  const node = { metadata: { labels: { 'cluster.x-k8s.io/cluster-name': 'c1' } }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'False' }] } };
  assert.deepEqual(evalJsonPath(node, ".status.conditions[?(@.type==\"Ready\")].status"), ['True']);
  assert.deepEqual(evalJsonPath(node, ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']"), ['c1']);
  assert.deepEqual(evalJsonPath(node, '.status.conditions[*].type'), ['Ready', 'DiskPressure']);
  assert.deepEqual(evalJsonPath(node, '.spec.missing'), []);
  const lc: KubeObject = { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-mgmt', creationTimestamp: new Date(Date.now() - 90_000).toISOString() }, spec: { provider: { kubernetes: { version: '1.32.0' } } }, status: { phase: 'Ready' } };
  const table = toTable(LATTICE_CLUSTER, [lc], '7', null) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[]; object: { kind: string } }> };
  assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Phase', 'Provider', 'K8s', 'Age']);
  assert.deepEqual(table.rows[0].cells, ['e2e-mgmt', 'Ready', null, '1.32.0', '90s']);
  assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  assert.deepEqual([humanDuration(5_000), humanDuration(150_000), humanDuration(3 * 3600_000 + 60_000), humanDuration(50 * 3600_000)], ['5s', '2m30s', '3h1m', '2d2h']);
});

test('label selector parsing agrees with matching (property: a=v matches exactly the labels with a=v)', () => {
  fc.assert(fc.property(fc.constantFrom('a', 'b'), fc.constantFrom('x', 'y'), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y')), (k, v, labels) => {
    assert.equal(matchesLabels(parseLabelSelector(`${k}=${v}`), labels), labels[k] === v);
    assert.equal(matchesLabels(parseLabelSelector(`${k}!=${v}`), labels), labels[k] !== v);
    assert.equal(matchesLabels(parseLabelSelector(`!${k}`), labels), !(k in labels));
  }));
});
