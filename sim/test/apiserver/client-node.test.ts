/**
 * @kubernetes/client-node 1.4.0 against the embedded API server: CRUD, selectors, watch (resume,
 * 410), patches, the status subresource, finalizers, namespace cascade, Status errors, pod logs
 * and exec over the v5 websocket protocol.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { createStore, registerKinds, startApiServer, type ApiServer, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { createFakeRuntime } from '../helpers/fake-runtime.js';
import { until } from '../helpers/until.js';

const G = { group: 'lattice.dev', version: 'v1alpha1', plural: 'latticeclusters' };
let store: ObjectStore;
let server: ApiServer;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let runtime: ReturnType<typeof createFakeRuntime>;

const cluster = (name: string, workers = 1): KubeObject => ({
  apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name, labels: { 'lattice-acceptance/run-id': 'r1' } },
  spec: { provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } }, nodes: { controlPlane: 1, workers } },
});

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  try { await p; } catch (e) {
    assert.ok(e instanceof k8s.ApiException, `expected ApiException, got ${e}`);
    // client-node 1.4.0 keeps the body as raw JSON text, except for 401, where it drops it.
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : {} };
  }
  assert.fail('expected the call to fail');
}

/** Collects watch events until `enough` says so (or the timeout names what was missing). */
async function watchUntil(path: string, query: Record<string, string | boolean>, act: () => Promise<void> | void,
  enough: (events: Array<{ type: string; obj: any }>) => boolean, timeoutMs = 10_000): Promise<Array<{ type: string; obj: any }>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const events: Array<{ type: string; obj: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let controller: AbortController | undefined;
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch ${path} timed out; events seen: ${JSON.stringify(events.map((e) => [e.type, e.obj?.metadata?.name]))}`)), timeoutMs);
      new k8s.Watch(kc).watch(path, query, (type, obj) => {
        events.push({ type, obj });
        if (enough(events)) { clearTimeout(timer); resolve(events); }
      }, (err) => { if (!enough(events)) { clearTimeout(timer); reject(err ?? new Error(`watch ${path} ended early: ${JSON.stringify(events.map((e) => e.type))}`)); } })
        .then(async (c) => { controller = c; await act(); }, reject);
    });
  } finally {
    controller?.abort();
  }
}

before(async () => {
  store = createStore({ historyLimit: 50 });
  registerKinds(store);
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mesh-test' } });
  for (const [name, labels, nodeName, phase] of [
    ['frontend-0', { 'app.kubernetes.io/name': 'frontend', tier: 'web' }, 'w1', 'Running'],
    ['backend-0', { 'app.kubernetes.io/name': 'backend' }, 'w2', 'Running'],
    ['batch-0', {}, 'w1', 'Succeeded'],
  ] as const) {
    store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'mesh-test', labels: { ...labels } }, spec: { nodeName, containers: [{ name: 'main', image: 'x' }] }, status: { phase } });
  }
  runtime = createFakeRuntime({ 'mesh-test/frontend-0': { main: ['a', 'b', 'c'] } });
  server = await startApiServer({ store, clusterName: 'e2e-workload', hooks: runtime, bookmarkIntervalMs: 50 });
  kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfig());
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

after(async () => { await server?.stop(); });

test('kubeconfig names the cluster and trusts the server CA', () => {
  assert.equal(kc.getCurrentCluster()?.name, 'e2e-workload');
  assert.equal(kc.getCurrentCluster()?.server, server.url);
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(server.caPem, /BEGIN CERTIFICATE/);
});

test('custom object CRUD: create, get, list, replace, delete', async () => {
  const created = await custom.createClusterCustomObject({ ...G, body: cluster('crud') });
  assert.equal(created.metadata.name, 'crud');
  assert.equal(created.metadata.generation, 1);
  const got = await custom.getClusterCustomObject({ ...G, name: 'crud' });
  assert.equal(got.metadata.uid, created.metadata.uid);
  const list = await custom.listClusterCustomObject({ ...G, labelSelector: 'lattice-acceptance/run-id=r1' });
  assert.ok(list.items.some((i: KubeObject) => i.metadata.name === 'crud'));
  assert.ok(Number(list.metadata.resourceVersion) >= Number(created.metadata.resourceVersion));
  got.spec.nodes.workers = 2;
  const replaced = await custom.replaceClusterCustomObject({ ...G, name: 'crud', body: got });
  assert.equal(replaced.metadata.generation, 2);
  const stale = await apiError(custom.replaceClusterCustomObject({ ...G, name: 'crud', body: got }));
  assert.equal(stale.code, 409);
  assert.equal(stale.body.reason, 'Conflict');
  await custom.deleteClusterCustomObject({ ...G, name: 'crud' });
  const gone = await apiError(custom.getClusterCustomObject({ ...G, name: 'crud' }));
  assert.equal(gone.code, 404);
});

test('core list with label and field selectors', async () => {
  const names = async (q: { labelSelector?: string; fieldSelector?: string }) =>
    (await core.listNamespacedPod({ namespace: 'mesh-test', ...q })).items.map((p) => p.metadata!.name).sort();
  assert.deepEqual(await names({ labelSelector: 'app.kubernetes.io/name=frontend' }), ['frontend-0']);
  assert.deepEqual(await names({ labelSelector: 'app.kubernetes.io/name in (frontend,backend),tier!=web' }), ['backend-0']);
  assert.deepEqual(await names({ labelSelector: '!app.kubernetes.io/name' }), ['batch-0']);
  assert.deepEqual(await names({ fieldSelector: 'spec.nodeName=w1' }), ['batch-0', 'frontend-0']);
  assert.deepEqual(await names({ fieldSelector: 'status.phase=Running,spec.nodeName=w1' }), ['frontend-0']);
  const all = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=mesh-test' });
  assert.equal(all.items.length, 3);
  const bad = await apiError(core.listNamespacedPod({ namespace: 'mesh-test', fieldSelector: 'spec.image=x' }));
  assert.equal(bad.code, 400);
});

test('merge patch, JSON patch and the status subresource', async () => {
  await custom.createClusterCustomObject({ ...G, body: cluster('patchme') });
  const merged = await custom.patchClusterCustomObject({ ...G, name: 'patchme', body: { spec: { nodes: { workers: 4 } }, status: { phase: 'Ready' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  assert.equal(merged.spec.nodes.workers, 4);
  assert.equal(merged.spec.nodes.controlPlane, 1);
  assert.equal(merged.status, undefined, 'status is a subresource: a main patch cannot set it');
  const st = await custom.patchClusterCustomObjectStatus({ ...G, name: 'patchme', body: { status: { phase: 'Provisioning', conditions: [{ type: 'Provisioning', status: 'True', reason: 'StartingProvisioning' }] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  assert.equal(st.status.phase, 'Provisioning');
  assert.equal(st.metadata.generation, 2, 'status writes do not bump the generation');
  const viaJson = await custom.patchClusterCustomObject({ ...G, name: 'patchme', body: [{ op: 'replace', path: '/spec/nodes/workers', value: 5 }] });
  assert.equal(viaJson.spec.nodes.workers, 5);
  assert.equal(viaJson.status.phase, 'Provisioning');
  const current = await custom.getClusterCustomObjectStatus({ ...G, name: 'patchme' });
  current.status.phase = 'Ready';
  const replaced = await custom.replaceClusterCustomObjectStatus({ ...G, name: 'patchme', body: current });
  assert.equal(replaced.status.phase, 'Ready');
  const pod = await core.patchNamespacedPod({ namespace: 'mesh-test', name: 'backend-0', body: { metadata: { labels: { rolled: 'yes' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
  assert.equal(pod.metadata?.labels?.rolled, 'yes');
  assert.equal(pod.metadata?.labels?.['app.kubernetes.io/name'], 'backend');
});

test('watch streams ADDED/MODIFIED/DELETED, resumes from a resourceVersion and sends bookmarks', async () => {
  const path = '/apis/lattice.dev/v1alpha1/latticeclusters';
  const events = await watchUntil(path, { labelSelector: 'watch=me', allowWatchBookmarks: true }, async () => {
    await custom.createClusterCustomObject({ ...G, body: { ...cluster('watched'), metadata: { name: 'watched', labels: { watch: 'me' } } } });
    await custom.patchClusterCustomObjectStatus({ ...G, name: 'watched', body: { status: { phase: 'Ready' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await custom.deleteClusterCustomObject({ ...G, name: 'watched' });
  }, (ev) => ev.some((e) => e.type === 'DELETED') && ev.some((e) => e.type === 'BOOKMARK'));
  const typed = events.filter((e) => e.type !== 'BOOKMARK');
  assert.deepEqual(typed.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  assert.equal(typed[1].obj.status.phase, 'Ready');
  // Resume: a watch from the ADDED event's resourceVersion sees what came after it, not before.
  const from = typed[0].obj.metadata.resourceVersion;
  const resumed = await watchUntil(path, { resourceVersion: from, labelSelector: 'watch=me' }, () => undefined, (ev) => ev.length >= 2);
  assert.deepEqual(resumed.map((e) => e.type), ['MODIFIED', 'DELETED']);
});

test('a watch from a compacted resourceVersion gets an ERROR event with 410 Expired', async () => {
  const old = store.currentResourceVersion();
  for (let i = 0; i < 60; i++) store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `churn-${i}`, namespace: 'mesh-test' } });
  const events = await watchUntil('/api/v1/namespaces/mesh-test/configmaps', { resourceVersion: old }, () => undefined, (ev) => ev.length >= 1);
  assert.equal(events[0].type, 'ERROR');
  assert.equal(events[0].obj.code, 410);
  assert.equal(events[0].obj.reason, 'Expired');
});

test('finalizers: delete sets deletionTimestamp; removing the last finalizer deletes', async () => {
  await custom.createClusterCustomObject({ ...G, body: { ...cluster('held'), metadata: { name: 'held', finalizers: ['lattice.dev/unpivot'] } } });
  await custom.deleteClusterCustomObject({ ...G, name: 'held' });
  const marked = await custom.getClusterCustomObject({ ...G, name: 'held' });
  assert.ok(marked.metadata.deletionTimestamp, 'marked for deletion');
  const refused = await apiError(custom.patchClusterCustomObject({ ...G, name: 'held', body: { metadata: { finalizers: ['lattice.dev/unpivot', 'other/x'] } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch)));
  assert.equal(refused.code, 422, 'no new finalizers once deleting');
  await custom.patchClusterCustomObject({ ...G, name: 'held', body: { metadata: { finalizers: null } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  assert.equal((await apiError(custom.getClusterCustomObject({ ...G, name: 'held' }))).code, 404);
});

test('deleting a namespace removes its contents, then the namespace', async () => {
  await core.createNamespace({ body: { metadata: { name: 'capi-doomed' } } });
  await core.createNamespacedSecret({ namespace: 'capi-doomed', body: { metadata: { name: 'doomed-kubeconfig' }, data: { value: Buffer.from('x').toString('base64') } } });
  await custom.createNamespacedCustomObject({ group: 'cluster.x-k8s.io', version: 'v1beta2', namespace: 'capi-doomed', plural: 'clusters', body: { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'doomed' }, spec: {} } });
  await core.deleteNamespace({ name: 'capi-doomed' });
  assert.equal((await apiError(core.readNamespacedSecret({ namespace: 'capi-doomed', name: 'doomed-kubeconfig' }))).code, 404);
  assert.equal((await apiError(core.readNamespace({ name: 'capi-doomed' }))).code, 404);
  const late = await apiError(core.createNamespacedSecret({ namespace: 'capi-doomed', body: { metadata: { name: 'late' } } }));
  assert.equal(late.code, 404);
  assert.match(late.body.message, /namespaces "capi-doomed" not found/);
});

test('Status bodies: 404, 409 AlreadyExists, 422 Invalid with causes, 405, 401', async () => {
  const nf = await apiError(custom.getClusterCustomObject({ ...G, name: 'nope' }));
  assert.deepEqual([nf.code, nf.body.kind, nf.body.status, nf.body.reason], [404, 'Status', 'Failure', 'NotFound']);
  assert.equal(nf.body.message, 'latticeclusters.lattice.dev "nope" not found');
  assert.deepEqual(nf.body.details, { name: 'nope', group: 'lattice.dev', kind: 'latticeclusters' });
  await custom.createClusterCustomObject({ ...G, body: cluster('dup') });
  const dup = await apiError(custom.createClusterCustomObject({ ...G, body: cluster('dup') }));
  assert.deepEqual([dup.code, dup.body.reason], [409, 'AlreadyExists']);
  const invalid = await apiError(custom.createNamespacedCustomObject({
    group: 'lattice.dev', version: 'v1alpha1', namespace: 'mesh-test', plural: 'latticeservices',
    body: { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'nocontainers' }, spec: { resources: { db: { type: 'service', direction: 'up' } } } },
  }));
  assert.deepEqual([invalid.code, invalid.body.reason, invalid.body.details.kind, invalid.body.details.name], [422, 'Invalid', 'LatticeService', 'nocontainers']);
  assert.deepEqual(invalid.body.details.causes.map((c: { field: string }) => c.field).sort(), ['spec.containers', 'spec.resources.db.direction']);
  const res405 = await fetchApi('/apis/lattice.dev/v1alpha1/latticeclusters/dup', { method: 'POST', body: '{}' });
  assert.equal(res405.status, 405);
  assert.equal((await res405.json()).reason, 'MethodNotAllowed');
  const bad = new k8s.KubeConfig();
  bad.loadFromString(server.kubeconfig().replace(server.token, 'wrong'));
  const unauth = await apiError(bad.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject(G));
  assert.equal(unauth.code, 401);
  const raw = await fetchApi('/apis/lattice.dev/v1alpha1/latticeclusters', { method: 'GET' }, 'wrong');
  assert.equal(raw.status, 401);
  assert.deepEqual(await raw.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

/** A raw HTTPS request with the kubeconfig's credentials (for verbs client-node has no method for). */
async function fetchApi(path: string, init: { method: string; body?: string }, token = server.token): Promise<{ status: number; json(): Promise<any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + path, { method: init.method, ca: server.caPem, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }), text: () => Buffer.concat(chunks).toString() };
}

async function execIn(pod: string, command: string[], stdinText?: string): Promise<{ status: k8s.V1Status; stdout: string; stderr: string; protocol: string }> {
  const out = collector();
  const err = collector();
  const stdin = stdinText === undefined ? null : new PassThrough();
  let protocol = '';
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    new k8s.Exec(kc).exec('mesh-test', pod, 'main', command, out.stream, err.stream, stdin, false, resolve)
      .then((ws) => {
        protocol = ws.protocol;
        if (stdin) stdin.end(stdinText);
        ws.on('close', () => undefined);
      }, reject);
  });
  // Output frames precede the status frame on the socket.
  return { status, stdout: out.text(), stderr: err.text(), protocol };
}

test('exec via client-node speaks v5 and reports exit codes on the status channel', async () => {
  const ok = await execIn('frontend-0', ['echo', 'allowed']);
  assert.equal(ok.protocol, 'v5.channel.k8s.io');
  assert.equal(ok.status.status, 'Success');
  assert.equal(ok.stdout, 'allowed\n');
  const failed = await execIn('frontend-0', ['fail', '7', 'denied']);
  assert.equal(failed.status.status, 'Failure');
  assert.equal(failed.status.reason, 'NonZeroExitCode');
  assert.deepEqual(failed.status.details?.causes, [{ reason: 'ExitCode', message: '7' }]);
  assert.equal(failed.stderr, 'denied\n');
  const piped = await execIn('frontend-0', ['cat'], 'via stdin');
  assert.equal(piped.status.status, 'Success');
  assert.equal(piped.stdout, 'via stdin');
  await assert.rejects(execIn('missing', ['echo']), 'exec into a missing pod fails');
});

test('pod log via readNamespacedPodLog honours tailLines', async () => {
  const all = await core.readNamespacedPodLog({ namespace: 'mesh-test', name: 'frontend-0', container: 'main' });
  assert.equal(all, 'a\nb\nc\n');
  const tail = await core.readNamespacedPodLog({ namespace: 'mesh-test', name: 'frontend-0', container: 'main', tailLines: 1 });
  assert.equal(tail, 'c\n');
  const missing = await apiError(core.readNamespacedPodLog({ namespace: 'mesh-test', name: 'ghost' }));
  assert.equal(missing.code, 404);
});

test('a followed pod log (client-node Log, follow=true) streams the log so far, each new line, and ends with the container', async () => {
  let text = '';
  const sink = new Writable({ write(chunk, _enc, cb) { text += chunk.toString(); cb(); } });
  const finished = new Promise((resolve) => sink.on('finish', resolve));
  await new k8s.Log(kc).log('mesh-test', 'frontend-0', 'main', sink, { follow: true, tailLines: 1 });
  const followedIs = (want: string) => until(`the followed log to be ${JSON.stringify(want)}`, () => text === want, 5000, () => text);
  await followedIs('c\n');
  runtime.appendLog('mesh-test/frontend-0', 'main', 'd');
  runtime.appendLog('mesh-test/frontend-0', 'other', 'not this container');
  await followedIs('c\nd\n');
  runtime.endLogs('mesh-test/frontend-0');
  await finished;
  assert.equal(text, 'c\nd\n');
  const missing = await apiError(new k8s.Log(kc).log('mesh-test', 'ghost', 'main', new PassThrough(), { follow: true }));
  assert.equal(missing.code, 404);
});

test('stop closes open watches, followed logs and exec sockets so the process can exit', async () => {
  const s2 = createStore(); registerKinds(s2);
  const srv = await startApiServer({ store: s2, clusterName: 'short-lived', hooks: { podLog: () => '', podLogFollow: () => ({ cancel() {} }), podExec: () => new Promise<number>(() => undefined) } });
  const kc2 = new k8s.KubeConfig(); kc2.loadFromString(srv.kubeconfig());
  s2.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'x' }] } });
  const ended = new Promise<unknown>((resolve) => { void new k8s.Watch(kc2).watch('/api/v1/pods', {}, () => undefined, resolve); });
  const ws = await new k8s.Exec(kc2).exec('default', 'p', 'main', ['sleep'], null, null, null, false);
  const wsClosed = new Promise((resolve) => ws.on('close', resolve));
  const followed = new PassThrough();
  const followEnded = new Promise((resolve) => followed.on('end', resolve));
  followed.resume();
  await new k8s.Log(kc2).log('default', 'p', 'main', followed, { follow: true });
  while (srv.connections().watches < 2) await new Promise((r) => setImmediate(r));
  assert.deepEqual(srv.connections(), { watches: 2, execs: 1 }, 'one watch and one followed log');
  await srv.stop();
  await ended;
  await wsClosed;
  await followEnded;
  assert.deepEqual(srv.connections(), { watches: 0, execs: 0 });
});
