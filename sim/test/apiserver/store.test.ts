import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../src/apiserver/store.js';
import { registerKinds } from '../../src/kinds/index.js';
import { StoreError, type KubeObject, type WatchEvent } from '../../src/apiserver/types.js';

const cluster = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name },
  spec: { provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } }, nodes: { controlPlane: 1, workers: 1 } },
  ...extra,
});
const pod = (name: string, ns: string, labels: Record<string, string> = {}, nodeName?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
});

function expectStoreError(fn: () => unknown, code: number, reason: string): StoreError {
  try { fn(); } catch (e) {
    assert.ok(e instanceof StoreError, `expected StoreError, got ${e}`);
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    return e;
  }
  assert.fail(`expected ${code} ${reason}`);
}

test('create assigns uid, resourceVersion, creationTimestamp and generation; duplicates are 409', () => {
  const s = createStore(); registerKinds(s);
  const c = s.create(cluster('a'));
  assert.match(c.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.ok(Number(c.metadata.resourceVersion) > 0);
  assert.equal(c.metadata.generation, 1);
  assert.ok(c.metadata.creationTimestamp);
  expectStoreError(() => s.create(cluster('a')), 409, 'AlreadyExists');
});

test('generation bumps on spec change only; status subresource is separate; stale resourceVersion conflicts', () => {
  const s = createStore(); registerKinds(s);
  const c = s.create(cluster('a'));
  const withStatus = s.updateStatus({ ...c, status: { phase: 'Pending' } });
  assert.equal(withStatus.metadata.generation, 1);
  assert.equal(withStatus.status.phase, 'Pending');
  const changed = s.update({ ...withStatus, spec: { ...withStatus.spec, nodes: { controlPlane: 1, workers: 3 } }, status: { phase: 'Ready' } });
  assert.equal(changed.metadata.generation, 2);
  assert.equal(changed.status.phase, 'Pending', 'a main write ignores status');
  expectStoreError(() => s.update(c), 409, 'Conflict');
  const patched = s.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'a', undefined, { status: { phase: 'Ready' } }, 'status');
  assert.equal(patched.status.phase, 'Ready');
  assert.equal(patched.metadata.generation, 2);
});

test('validation rejects bad Lattice specs with 422 and causes', () => {
  const s = createStore(); registerKinds(s);
  const e = expectStoreError(() => s.create(cluster('bad', { spec: { provider: { kubernetes: { version: '1.32.0' }, config: {} } } })), 422, 'Invalid');
  assert.ok(e.causes.some((c) => c.field === 'spec.nodes'), JSON.stringify(e.causes));
  const svc = { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 's', namespace: 'default' }, spec: { containers: { main: {} }, resources: { b: { type: 'service', direction: 'sideways' } } } };
  const e2 = expectStoreError(() => s.create(svc), 422, 'Invalid');
  assert.deepEqual(e2.causes.map((c) => c.field).sort(), ['spec.containers.main.image', 'spec.resources.b.direction']);
  // No container at all passes the schema (a plain map upstream); the operator reports it as Failed.
  s.create({ ...svc, metadata: { name: 'empty', namespace: 'default' }, spec: { containers: {} } });
  // Semantic errors (even control planes) are the operator's to report, not the API's.
  s.create(cluster('even', { spec: { ...cluster('x').spec, nodes: { controlPlane: 2, workers: 0 } } }));
});

test('label and field selectors', () => {
  const s = createStore(); registerKinds(s);
  s.create(pod('p1', 'default', { app: 'a', tier: 'web' }, 'n1'));
  s.create(pod('p2', 'default', { app: 'b' }, 'n2'));
  s.create(pod('p3', 'default', {}, 'n1'));
  const names = (sel: { labelSelector?: string; fieldSelector?: string }) => s.list('v1', 'Pod', sel).items.map((p) => p.metadata.name);
  assert.deepEqual(names({ labelSelector: 'app=a' }), ['p1']);
  assert.deepEqual(names({ labelSelector: 'app!=a' }), ['p2', 'p3']);
  assert.deepEqual(names({ labelSelector: 'app in (a,b)' }), ['p1', 'p2']);
  assert.deepEqual(names({ labelSelector: 'app notin (a)' }), ['p2', 'p3']);
  assert.deepEqual(names({ labelSelector: 'app' }), ['p1', 'p2']);
  assert.deepEqual(names({ labelSelector: '!app' }), ['p3']);
  assert.deepEqual(names({ labelSelector: 'app,tier=web' }), ['p1']);
  assert.deepEqual(names({ fieldSelector: 'spec.nodeName=n1' }), ['p1', 'p3']);
  assert.deepEqual(names({ fieldSelector: 'metadata.name!=p1,spec.nodeName=n1' }), ['p3']);
  expectStoreError(() => names({ fieldSelector: 'spec.bogus=1' }), 400, 'BadRequest');
  expectStoreError(() => names({ labelSelector: 'a in b' }), 400, 'BadRequest');
});

test('watch resumes from a resourceVersion, filters by selector and answers 410 when too old', async () => {
  const s = createStore({ historyLimit: 3 }); registerKinds(s);
  const start = s.currentResourceVersion();
  s.create(pod('p1', 'default', { app: 'a' }));
  const events: WatchEvent[] = [];
  const stop = s.watch('v1', 'Pod', { resourceVersion: start, labelSelector: 'app=a' }, (e) => events.push(e));
  s.mergePatch('v1', 'Pod', 'p1', 'default', { metadata: { labels: { app: 'b' } } });
  await new Promise((r) => setImmediate(r));
  stop();
  assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED'], 'leaving the selector is a DELETED');
  for (let i = 0; i < 5; i++) s.create(pod(`q${i}`, 'default'));
  expectStoreError(() => s.watch('v1', 'Pod', { resourceVersion: start }, () => undefined), 410, 'Gone');
});

test('finalizers hold a deletion until removed; namespaces take their contents', () => {
  const s = createStore(); registerKinds(s);
  s.create(cluster('f', { metadata: { name: 'f', finalizers: ['lattice.dev/unpivot'] } }));
  const marked = s.delete('lattice.dev/v1alpha1', 'LatticeCluster', 'f');
  assert.ok(marked?.metadata.deletionTimestamp);
  assert.ok(s.get('lattice.dev/v1alpha1', 'LatticeCluster', 'f'));
  s.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'f', undefined, { metadata: { finalizers: null } });
  assert.equal(s.get('lattice.dev/v1alpha1', 'LatticeCluster', 'f'), undefined);

  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capi-x' } });
  s.create(pod('p', 'capi-x'));
  s.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'held', namespace: 'capi-x', finalizers: ['x/y'] } });
  s.delete('v1', 'Namespace', 'capi-x');
  assert.equal(s.get('v1', 'Pod', 'p', 'capi-x'), undefined);
  assert.equal(s.get('v1', 'Namespace', 'capi-x')?.status.phase, 'Terminating');
  expectStoreError(() => s.create(pod('late', 'capi-x')), 403, 'Forbidden');
  s.mergePatch('v1', 'Secret', 'held', 'capi-x', { metadata: { finalizers: [] } });
  assert.equal(s.get('v1', 'Namespace', 'capi-x'), undefined);
  expectStoreError(() => s.create(pod('p', 'nowhere')), 404, 'NotFound');
});

test('one storage serves every version of a kind', () => {
  const s = createStore(); registerKinds(s);
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capi-r' } });
  s.create({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DockerCluster', metadata: { name: 'r', namespace: 'capi-r' }, spec: {} });
  const seen = s.get('infrastructure.cluster.x-k8s.io/v1beta2', 'DockerCluster', 'r', 'capi-r');
  assert.equal(seen?.apiVersion, 'infrastructure.cluster.x-k8s.io/v1beta2');
});

test('secrets: stringData is folded into base64 data and type defaults to Opaque', () => {
  const s = createStore(); registerKinds(s);
  s.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'e2e-workload-kubeconfig', namespace: 'default' }, data: { a: 'eA==' }, stringData: { value: 'apiVersion: v1' } });
  const got = s.get('v1', 'Secret', 'e2e-workload-kubeconfig', 'default')!;
  assert.deepEqual(got.data, { a: 'eA==', value: Buffer.from('apiVersion: v1').toString('base64') });
  assert.equal(got.stringData, undefined);
  assert.equal(got.type, 'Opaque');
  const patched = s.mergePatch('v1', 'Secret', 'e2e-workload-kubeconfig', 'default', { stringData: { value: 'rewritten' } });
  assert.equal(Buffer.from((patched.data as Record<string, string>).value, 'base64').toString(), 'rewritten');
});
