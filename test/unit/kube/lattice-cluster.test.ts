import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaitAbortedError } from '../../../support/errors.js';
import { openCluster, type ClusterClient } from '../../../support/kube/clients.js';
import {
  createLatticeCluster, deleteLatticeCluster, getLatticeCluster, LATTICE_CLUSTERS_PATH as PATH, patchLatticeCluster,
  RUN_ID_LABEL, waitForClusterPhaseAmong, waitForLatticeClusterAbsent, watchClusterPhase, type PhaseTransition,
} from '../../../support/kube/lattice-cluster.js';
import { KubeApiError } from '../../../support/kube/retry.js';
import { FAKE_TOKEN, startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };
const cond = (type: string, status: string, reason: string) => ({ type, status, reason, message: '' });
const lc = (status?: object) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-workload' }, spec: { nodes: { controlPlane: 1, workers: 2 } }, ...(status ? { status } : {}) });

async function setup(t: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; client: ClusterClient }> {
  const server = await startFakeApiServer(t);
  server.ensureCollection(PATH);
  return { server, client: openCluster(await server.writeKubeconfig('e2e-mgmt')) };
}

test('phase watching records Pending → Provisioning → Pivoting → Ready in order, with conditions', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc()); // no status yet: counts as Pending
  const told: PhaseTransition[] = [];
  const wait = watchClusterPhase({ client, name: 'e2e-workload', timeoutMs: 5000, intervalMs: 60_000, onTransition: (tr) => told.push(tr) });
  await server.waitForWatch();
  server.put(PATH, lc({ phase: 'Provisioning', conditions: [cond('Provisioning', 'True', 'StartingProvisioning')] }));
  server.put(PATH, lc({ phase: 'Provisioning', conditions: [cond('Provisioning', 'True', 'StartingProvisioning')], message: 'still' }));
  server.put(PATH, lc({ phase: 'Pivoting', conditions: [cond('Pivoting', 'True', 'StartingPivot')] }));
  server.put(PATH, lc({ phase: 'Ready', conditions: [cond('Ready', 'True', 'ClusterReady')], pivotComplete: true }));
  const timeline = await wait;
  assert.deepEqual(timeline.map((x) => x.phase), ['Pending', 'Provisioning', 'Pivoting', 'Ready']);
  assert.deepEqual(told, timeline);
  assert.deepEqual(timeline[0]!.conditions, []);
  assert.equal(timeline[2]!.conditions[0]!.reason, 'StartingPivot');
  for (let i = 1; i < timeline.length; i++) assert.ok(timeline[i]!.at >= timeline[i - 1]!.at);
  assert.equal(server.requestsTo(PATH, false).length, 1, 'followed by watch, not polling');
});

test('phase Failed ends the wait at once with status.message, well before the timeout', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc({ phase: 'Pending' }));
  const started = Date.now();
  const phases: string[] = [];
  const wait = watchClusterPhase({ client, name: 'e2e-workload', timeoutMs: 30_000, intervalMs: 60_000, onTransition: (tr) => phases.push(tr.phase) });
  await server.waitForWatch();
  server.put(PATH, lc({ phase: 'Failed', message: 'control plane count must be odd, got 2', conditions: [cond('Ready', 'False', 'ValidationFailed')] }));
  await assert.rejects(wait, (err: unknown) => {
    assert.ok(err instanceof WaitAbortedError, String(err));
    assert.match(err.message, /LatticeCluster e2e-workload on e2e-mgmt can no longer become phase Ready: phase Failed: control plane count must be odd, got 2/);
    return true;
  });
  assert.ok(Date.now() - started < 10_000, 'failed fast, well before the 30 s timeout');
  assert.deepEqual(phases, ['Pending', 'Failed']);
  await server.waitForNoOpenWatches();
});

test('waitForClusterPhaseAmong accepts any of the listed phases', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc({ phase: 'Pending' }));
  const wait = waitForClusterPhaseAmong({ client, name: 'e2e-workload', phases: ['Provisioning', 'Pivoting'], timeoutMs: 5000, intervalMs: 60_000 });
  await server.waitForWatch();
  server.put(PATH, lc({ phase: 'Pivoting' }));
  const result = await wait;
  assert.equal(result.phase, 'Pivoting');
  assert.deepEqual(result.timeline.map((x) => x.phase), ['Pending', 'Pivoting']);
});

test('createLatticeCluster labels the cluster with the run id and posts it', async (t) => {
  const { server, client } = await setup(t);
  const created = await createLatticeCluster(client, lc() as never, { runId: 'rtest1' });
  assert.equal(created.metadata.labels?.[RUN_ID_LABEL], 'rtest1');
  const post = server.requests.find((r) => r.method === 'POST')!;
  assert.equal(post.path, PATH);
  assert.equal((JSON.parse(post.body) as { metadata: { labels: Record<string, string> } }).metadata.labels[RUN_ID_LABEL], 'rtest1');
  assert.equal(server.get(PATH, 'e2e-workload')?.metadata.labels?.[RUN_ID_LABEL], 'rtest1');
});

test('a create whose lost reply is retried and then conflicts with its own object succeeds', async (t) => {
  const { server, client } = await setup(t);
  // the first POST "succeeds" on the server but the client sees a 503
  server.addFault({ match: (r) => { if (r.method === 'POST') { server.put(PATH, { ...JSON.parse(r.body) }); return true; } return false; }, status: 503, times: 1 });
  const created = await createLatticeCluster(client, lc() as never, { runId: 'rtest2' }, fast);
  assert.equal(created.metadata.labels?.[RUN_ID_LABEL], 'rtest2');
});

test('patchLatticeCluster sends a merge patch (application/merge-patch+json)', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc());
  const patched = await patchLatticeCluster(client, 'e2e-workload', { spec: { nodes: { workers: 3 } } });
  const patch = server.requests.find((r) => r.method === 'PATCH')!;
  assert.equal(patch.path, `${PATH}/e2e-workload`);
  assert.match(String(patch.headers['content-type']), /^application\/merge-patch\+json/);
  assert.deepEqual(JSON.parse(patch.body), { spec: { nodes: { workers: 3 } } });
  assert.deepEqual((patched.spec as { nodes: object }).nodes, { controlPlane: 1, workers: 3 });
});

test('getLatticeCluster returns undefined for a missing cluster; delete reports whether it existed', async (t) => {
  const { server, client } = await setup(t);
  assert.equal(await getLatticeCluster(client, 'e2e-workload'), undefined);
  server.put(PATH, lc({ phase: 'Ready' }));
  assert.equal((await getLatticeCluster(client, 'e2e-workload'))?.status?.phase, 'Ready');
  assert.equal(await deleteLatticeCluster(client, 'e2e-workload'), true);
  assert.equal(await deleteLatticeCluster(client, 'e2e-workload'), false);
  await waitForLatticeClusterAbsent({ client, name: 'e2e-workload', timeoutMs: 2000, intervalMs: 50 });
});

test('transient 503s are retried until the call succeeds', async (t) => {
  const { server, client } = await setup(t);
  server.put(PATH, lc({ phase: 'Ready' }));
  server.addFault({ match: (r) => r.method === 'GET', status: 503, times: 2 });
  const retries: string[] = [];
  const got = await getLatticeCluster(client, 'e2e-workload', { retry: { ...fast.retry, onRetry: (m) => retries.push(m) } });
  assert.equal(got?.status?.phase, 'Ready');
  assert.equal(server.requestsTo(`${PATH}/e2e-workload`).length, 3);
  assert.equal(retries.length, 2);
  assert.match(retries[0]!, /^GET latticeclusters\/e2e-workload: 503 ServiceUnavailable: injected 503$/);
});

test('a 403 is not retried and becomes a concise message without the token', async (t) => {
  const { server, client } = await setup(t);
  server.addFault({ match: (r) => r.method === 'GET', status: 403, message: 'latticeclusters.lattice.dev "e2e-workload" is forbidden: User "ci" cannot get resource' });
  await assert.rejects(getLatticeCluster(client, 'e2e-workload', fast), (err: unknown) => {
    assert.ok(err instanceof KubeApiError, String(err));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'GET latticeclusters/e2e-workload: 403 Forbidden: latticeclusters.lattice.dev "e2e-workload" is forbidden: User "ci" cannot get resource; the kubeconfig\'s user may not do this: use the cluster\'s admin kubeconfig');
    assert.doesNotMatch(err.message, new RegExp(FAKE_TOKEN));
    return true;
  });
  assert.equal(server.requestsTo(`${PATH}/e2e-workload`).length, 1);
});

test('retries stop after the configured attempts and say so', async (t) => {
  const { server, client } = await setup(t);
  server.addFault({ match: (r) => r.method === 'GET', status: 500 });
  await assert.rejects(getLatticeCluster(client, 'e2e-workload', { retry: { ...fast.retry, attempts: 3 } }), /500 InternalError: injected 500 \(after 3 attempts\)/);
  assert.equal(server.requestsTo(`${PATH}/e2e-workload`).length, 3);
});
