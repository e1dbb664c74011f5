import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaitAbortedError, WaitTimeoutError } from '../../../support/errors.js';
import { openCluster } from '../../../support/kube/clients.js';
import { waitFor, waitForAbsent, type WaitForObjectInput } from '../../../support/kube/wait-for.js';
import { FAKE_TOKEN, startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';
import { waitUntil } from '../../helpers/wait-until.js';

const PATH = '/apis/lattice.dev/v1alpha1/latticeclusters';
interface Lc { metadata: { name: string; resourceVersion?: string }; status?: { phase?: string } }
const lc = (name: string, phase?: string) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name }, ...(phase ? { status: { phase } } : {}) });
const phase = (o: Lc | undefined) => (o ? `phase=${o.status?.phase ?? 'Pending'}` : 'absent');

async function setup(t: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; client: ReturnType<typeof openCluster> }> {
  const server = await startFakeApiServer(t);
  server.ensureCollection(PATH);
  const client = openCluster(await server.writeKubeconfig('mgmt'));
  return { server, client };
}

function waitReady(client: ReturnType<typeof openCluster>, over: Partial<WaitForObjectInput<Lc>> = {}): Promise<Lc> {
  return waitFor<Lc>({
    client, path: PATH, name: 'e2e-workload', resource: 'LatticeCluster e2e-workload', conditionText: 'phase Ready',
    timeoutMs: 5000, intervalMs: 60_000, condition: (o) => o.status?.phase === 'Ready', describe: phase, ...over,
  });
}

test('a condition reached while watching resolves without any polling and closes the watch', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Pending'));
  const seen: string[] = [];
  const wait = waitReady(client, { onChange: (o: Lc) => seen.push(o.status?.phase ?? '') });
  await server.waitForWatch();
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  server.put(PATH, lc('e2e-workload', 'Ready'));
  const got = await wait;
  assert.equal(got.status?.phase, 'Ready');
  assert.deepEqual(seen, ['Pending', 'Provisioning', 'Ready']);
  assert.equal(server.requestsTo(PATH, false).length, 1, 'one initial list, no polling');
  assert.equal(server.requestsTo(PATH, true).length, 1, 'one watch');
  const watchReq = server.requestsTo(PATH, true)[0]!;
  assert.equal(watchReq.query.get('fieldSelector'), 'metadata.name=e2e-workload');
  assert.equal(watchReq.headers.authorization, `Bearer ${FAKE_TOKEN}`);
  await server.waitForNoOpenWatches();
});

test('over https with the CA from the kubeconfig, the list and the watch both verify the server', async (t) => {
  const server = await startFakeApiServer(t, { tls: true });
  server.ensureCollection(PATH);
  assert.match(server.url, /^https:/);
  const client = openCluster(await server.writeKubeconfig('tls'));
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const wait = waitReady(client);
  await server.waitForWatch();
  server.put(PATH, lc('e2e-workload', 'Ready'));
  assert.equal((await wait).status?.phase, 'Ready');
  assert.equal(server.requestsTo(PATH, false).length, 1);
  await server.waitForNoOpenWatches();
});

test('an object that does not exist yet is waited for until it appears', async (t) => {
  const { server, client } = await setup(t);
  const wait = waitReady(client);
  await server.waitForWatch();
  server.put(PATH, lc('e2e-workload', 'Ready'));
  assert.equal((await wait).metadata.name, 'e2e-workload');
});

test('a timeout names the resource, the condition and the last state seen, and closes the watch', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const started = Date.now();
  const wait = waitReady(client, { timeoutMs: 1500 });
  await server.waitForWatch(); // the state has been read by now
  await assert.rejects(wait, (err: unknown) => {
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /LatticeCluster e2e-workload/);
    assert.match(err.message, /phase Ready/);
    assert.match(err.message, /last seen: phase=Provisioning/);
    assert.match(err.message, /timed out after 1\.5s/);
    return true;
  });
  assert.ok(Date.now() - started < 6000);
  await server.waitForNoOpenWatches();
});

test('a dropped watch resumes from the last resourceVersion seen, without listing again', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Pending'));
  const seen: string[] = [];
  const wait = waitReady(client, { onChange: (o) => seen.push(phase(o)) });
  await server.waitForWatch();
  const provisioning = server.put(PATH, lc('e2e-workload', 'Provisioning'));
  await waitUntil('the client to see Provisioning before the drop', () => seen.some((s) => s.includes('Provisioning')), 5000, 5, () => seen.join(', '));
  server.dropWatches();
  await server.waitForWatch(undefined, 2);
  const resumed = server.requestsTo(PATH, true)[1]!;
  assert.equal(resumed.query.get('resourceVersion'), provisioning.metadata.resourceVersion);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  assert.equal((await wait).status?.phase, 'Ready');
  assert.equal(server.requestsTo(PATH, false).length, 1, 'no second list');
});

for (const goneAs of ['event', 'status'] as const) {
  test(`410 Gone (as ${goneAs === 'event' ? 'an ERROR event' : 'an HTTP status'}) makes the wait list again and watch from the new resourceVersion`, async (t) => {
    const { server, client } = await setup(t);
    server.goneAs = goneAs;
    server.put(PATH, lc('e2e-workload', 'Pending'));
    const seen: string[] = [];
    const wait = waitReady(client, { onChange: (o) => seen.push(phase(o)) });
    await server.waitForWatch();
    server.put(PATH, lc('e2e-workload', 'Provisioning'));
    server.put(PATH, lc('unrelated', 'Ready')); // moves the server on; the client's watch filters it out
    await waitUntil('the client to see Provisioning', () => seen.some((s) => s.includes('Provisioning')), 5000, 5, () => seen.join(', '));
    server.compactHistory();
    server.dropWatches();
    await server.waitForWatch((r) => r.query.get('resourceVersion') === server.currentResourceVersion());
    assert.equal(server.requestsTo(PATH, false).length, 2, 're-listed after 410');
    server.put(PATH, lc('e2e-workload', 'Ready'));
    assert.equal((await wait).status?.phase, 'Ready');
  });
}

test('a server that refuses watches is polled every intervalMs instead', async (t) => {
  const { server, client } = await setup(t);
  server.rejectWatches(405);
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const wait = waitReady(client, { intervalMs: 20 });
  await waitUntil('a second read by polling', () => server.requestsTo(PATH, false).length >= 2, 5000, 5, () => `${server.requestsTo(PATH, false).length} reads`);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  assert.equal((await wait).status?.phase, 'Ready');
  assert.equal(server.requestsTo(PATH, true).length, 1, 'watch tried once');
  assert.ok(server.requestsTo(PATH, false).length >= 2, `polled (${server.requestsTo(PATH, false).length} reads)`);
});

test('watches that keep failing with 5xx give way to polling after three tries', async (t) => {
  const { server, client } = await setup(t);
  server.addFault({ match: (r) => r.watch, status: 500 });
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const wait = waitReady(client, { intervalMs: 20 });
  await waitUntil('three watch tries, then polling', () => server.requestsTo(PATH, true).length >= 3 && server.requestsTo(PATH, false).length >= 2, 5000, 5,
    () => `${server.requestsTo(PATH, true).length} watches, ${server.requestsTo(PATH, false).length} reads`);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  assert.equal((await wait).status?.phase, 'Ready');
  assert.equal(server.requestsTo(PATH, true).length, 3);
  assert.ok(server.requestsTo(PATH, false).length >= 2);
});

test('watches ask the server to end them after a while (the wait then resumes)', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  await waitReady(client);
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const wait = waitReady(client);
  await server.waitForWatch();
  assert.equal(server.requestsTo(PATH, true)[0]!.query.get('timeoutSeconds'), '300');
  assert.equal(server.requestsTo(PATH, true)[0]!.query.get('allowWatchBookmarks'), 'true');
  server.put(PATH, lc('e2e-workload', 'Ready'));
  await wait;
});

test('failIf ends the wait at once with its reason', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const started = Date.now();
  const wait = waitReady(client, { timeoutMs: 10_000, failIf: (o: Lc) => (o.status?.phase === 'Failed' ? 'phase Failed' : undefined) });
  await server.waitForWatch();
  server.put(PATH, lc('e2e-workload', 'Failed'));
  await assert.rejects(wait, (err: unknown) => err instanceof WaitAbortedError && /can no longer become phase Ready: phase Failed/.test(err.message));
  assert.ok(Date.now() - started < 5000, 'well before the 10 s timeout');
  await server.waitForNoOpenWatches();
});

test('an aborted signal cancels the wait and closes the watch', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Provisioning'));
  const ctl = new AbortController();
  const wait = waitReady(client, { signal: ctl.signal });
  await server.waitForWatch();
  ctl.abort();
  await assert.rejects(wait, (err: unknown) => err instanceof WaitAbortedError && /cancelled; last seen: phase=Provisioning/.test(err.message));
  await server.waitForNoOpenWatches();
});

test('a list wait applies the label selector and resolves with the matching items', async (t) => {
  const { server, client } = await setup(t);
  const nodes = '/api/v1/nodes';
  server.ensureCollection(nodes);
  const wait = waitFor<Lc>({
    client, path: nodes, labelSelector: 'pool=a', resource: 'nodes in pool a', conditionText: '2 present',
    timeoutMs: 3000, intervalMs: 60_000, condition: (items) => items.length >= 2, describe: (items) => `${items?.length ?? 0} nodes`,
  });
  await server.waitForWatch();
  server.put(nodes, { metadata: { name: 'n1', labels: { pool: 'a' } } });
  server.put(nodes, { metadata: { name: 'n2', labels: { pool: 'b' } } });
  server.put(nodes, { metadata: { name: 'n3', labels: { pool: 'a' } } });
  const items = await wait;
  assert.deepEqual(items.map((i) => i.metadata.name).sort(), ['n1', 'n3']);
  assert.equal(server.requestsTo(nodes, true)[0]!.query.get('labelSelector'), 'pool=a');
});

test('waitForAbsent resolves on the DELETED event', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  const wait = waitForAbsent({ client, path: PATH, name: 'e2e-workload', resource: 'LatticeCluster e2e-workload', timeoutMs: 3000, intervalMs: 60_000 });
  await server.waitForWatch();
  server.remove(PATH, 'e2e-workload');
  await wait;
  await server.waitForNoOpenWatches();
});

test('waitForAbsent counts a 404 as gone', async (t) => {
  const { server, client } = await setup(t);
  server.rejectWatches(405);
  server.addFault({ match: (r) => !r.watch && r.path === PATH, status: 404 });
  await waitForAbsent({ client, path: PATH, name: 'e2e-workload', resource: 'LatticeCluster e2e-workload', timeoutMs: 3000, intervalMs: 20 });
  assert.equal(server.requestsTo(PATH, false).length, 1);
});

test('waitForAbsent does not count a 500 as gone: it times out naming the error', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc('e2e-workload', 'Ready'));
  const wait = waitForAbsent({ client, path: PATH, name: 'e2e-workload', resource: 'LatticeCluster e2e-workload', timeoutMs: 2500, intervalMs: 20 });
  await server.waitForWatch();
  // from now on every request fails; the object really goes, but no watch is open to tell
  server.addFault({ match: () => true, status: 500, message: 'etcdserver: leader changed' });
  server.dropWatches();
  server.remove(PATH, 'e2e-workload');
  await assert.rejects(wait, (err: unknown) => {
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.match(err.message, /to be gone/);
    assert.match(err.message, /last seen: present .*last error: GET latticeclusters\/e2e-workload: 500 InternalError: etcdserver: leader changed/);
    assert.doesNotMatch(err.message, new RegExp(FAKE_TOKEN));
    return true;
  });
  assert.ok(server.requestsTo(PATH, false).length >= 2, 'kept reading');
});

test('waitFor rejects inputs without a timeout or an interval', async (t) => {
  const { client } = await setup(t);
  assert.throws(() => waitReady(client, { timeoutMs: 0 }), /timeoutMs must be > 0/);
  assert.throws(() => waitReady(client, { intervalMs: 0 }), /intervalMs must be > 0/);
});

test('onFirstRead comes once the starting state is read: an object that appears and goes right after it is still seen', async (t) => {
  const { server, client } = await setup(t);
  let calls = 0;
  const wait = waitReady(client, {
    onFirstRead: () => {
      calls++;
      // before any watch is open: only a watch from the read's resourceVersion sees these
      server.put(PATH, lc('e2e-workload', 'Ready'));
      server.remove(PATH, 'e2e-workload');
    },
  });
  assert.equal((await wait).status?.phase, 'Ready');
  assert.equal(calls, 1);
  assert.equal(server.requestsTo(PATH, true)[0]!.query.get('resourceVersion') !== null, true, 'the watch starts from the read');
  await server.waitForNoOpenWatches();
});
