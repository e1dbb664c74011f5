/**
 * The probes' log follower against a fake API server: it keeps what an evicted pod printed after
 * the pod (and its log) are gone, follows pods that start later, ignores other services' pods,
 * and stops its streams.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { followServiceLogs } from '../../../support/workloads/log-follower.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';
import { waitUntil } from '../../helpers/wait-until.js';

const NS = 'mesh-test';
const PODS = `/api/v1/namespaces/${NS}/pods`;
const pod = (name: string, service: string, phase = 'Running') => ({
  metadata: { name, namespace: NS, uid: `uid-${name}`, labels: { 'app.kubernetes.io/name': service } },
  status: { phase },
});

const until = (what: string, cond: () => boolean, seen: () => unknown) =>
  waitUntil(what, cond, 5000, 10, () => `last seen ${JSON.stringify(seen())}`);

test('a followed pod keeps its lines after eviction; pods started later are followed too', async (t) => {
  const server = await startFakeApiServer(t);
  const client = openCluster(await server.writeKubeconfig('e2e-workload'));
  server.ensureCollection(PODS);
  server.put(PODS, pod('web-1', 'frontend-web'));
  server.put(PODS, pod('db-1', 'db-users'));
  server.appendPodLog(NS, 'web-1', 'cycle=1 start\n');
  server.appendPodLog(NS, 'db-1', 'not a source\n');
  const f = followServiceLogs(client, { namespace: NS, services: ['frontend-web', 'frontend-admin'], intervalMs: 50, lifetimeMs: 10_000 });
  t.after(() => f.stop());

  await f.ready(5000);
  assert.equal(server.openLogFollowers(), 1, 'once ready, the running pod of a followed service has its log open');
  await until('web-1 followed', () => f.texts().join('').includes('cycle=1 start'), () => f.texts());
  server.appendPodLog(NS, 'web-1', 'cycle=1 src=frontend-web tgt=db-users verdict=ALLOWED\n');
  await until('the line web-1 printed while its node rolled', () => f.texts().join('').includes('verdict=ALLOWED'), () => f.texts());
  // The roll evicts web-1: its log ends and is gone from the API.
  server.endPodLog(NS, 'web-1');
  server.remove(PODS, 'web-1', NS);
  server.put(PODS, pod('admin-2', 'frontend-admin', 'Pending'));
  server.appendPodLog(NS, 'admin-2', 'starting\n');
  server.put(PODS, pod('admin-2', 'frontend-admin'));
  await until('admin-2 followed once Running', () => f.texts().some((x) => x.includes('starting')), () => f.texts());

  const all = f.texts().join('');
  assert.match(all, /cycle=1 src=frontend-web tgt=db-users verdict=ALLOWED/, 'what the evicted pod printed is kept');
  assert.doesNotMatch(all, /not a source/, 'pods of other services are not followed');
  assert.deepEqual(f.stats(), { pods: 2, streams: 2, problems: [], watchFailed: false });
  f.stop();
  await until('every followed stream closed on the server', () => server.openLogFollowers() === 0, () => server.openLogFollowers());
  server.appendPodLog(NS, 'admin-2', 'after stop\n');
  assert.doesNotMatch(f.texts().join(''), /after stop/, 'nothing is read after stop');
});

test('an interrupted run stops the follower: its streams close', async (t) => {
  const server = await startFakeApiServer(t);
  const client = openCluster(await server.writeKubeconfig('e2e-workload'));
  server.ensureCollection(PODS);
  server.put(PODS, pod('web-1', 'frontend-web'));
  server.appendPodLog(NS, 'web-1', 'starting\n');
  const interrupt = new AbortController();
  const f = followServiceLogs(client, { namespace: NS, services: ['frontend-web'], intervalMs: 50, lifetimeMs: 10_000, signal: interrupt.signal });
  t.after(() => f.stop());
  await f.ready(5000);
  assert.equal(server.openLogFollowers(), 1);
  interrupt.abort();
  await until('the stream closed after the interrupt', () => server.openLogFollowers() === 0, () => server.openLogFollowers());
});

test('a pod watch the API refuses makes ready() fail with what to check', async (t) => {
  const server = await startFakeApiServer(t);
  const client = openCluster(await server.writeKubeconfig('e2e-workload'));
  server.addFault({ match: (r) => r.path === PODS, status: 403, message: 'pods is forbidden: User cannot list resource "pods"' });
  const f = followServiceLogs(client, { namespace: NS, services: ['frontend-web'], intervalMs: 50, lifetimeMs: 10_000 });
  t.after(() => f.stop());
  await assert.rejects(f.ready(5000), /cannot follow the logs of the frontend-web pods in mesh-test on e2e-workload: LIST pods: 403 Forbidden: pods is forbidden.*use the cluster's admin kubeconfig$/);
  assert.equal(f.stats().watchFailed, true);
});

test('a pod whose log cannot be read is reported as a problem, not thrown', async (t) => {
  const server = await startFakeApiServer(t);
  const client = openCluster(await server.writeKubeconfig('e2e-workload'));
  server.ensureCollection(PODS);
  server.put(PODS, pod('web-1', 'frontend-web')); // Running, but its log is already gone
  const f = followServiceLogs(client, { namespace: NS, services: ['frontend-web'], intervalMs: 50, lifetimeMs: 10_000 });
  t.after(() => f.stop());
  await f.ready(5000); // a stream that ended (404) counts as settled
  await until('the 404 reported', () => f.stats().problems.length > 0, () => f.stats());
  assert.match(f.stats().problems[0]!, /^log of web-1: 404 NotFound: pods "web-1" not found$/);
  assert.deepEqual(f.texts(), []);
});
