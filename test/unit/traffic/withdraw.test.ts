import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster, type ClusterClient } from '../../../support/kube/clients.js';
import type { MeshCheck } from '../../../support/mesh/checks.js';
import { formatCycle } from '../../../support/mesh/probe-log-format.js';
import { withdrawAndAwaitNewTraffic, type WithdrawInput } from '../../../support/traffic/withdraw.js';
import { SecurityViolationError } from '../../../support/traffic/observe-traffic.js';
import type { MeshUnderTest } from '../../../support/traffic/mesh-under-test.js';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';
import { waitUntil } from '../../helpers/wait-until.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import { services2026_04 } from '../../../support/versions/v2026-04/service/index.js';

const NS = 'mesh-test';
const PODS = `/api/v1/namespaces/${NS}/pods`;
const SERVICES = `/apis/lattice.dev/v1alpha1/namespaces/${NS}/latticeservices`;
const check = (source: string, target: string, expected: MeshCheck['expected']): MeshCheck =>
  ({ source, target, url: `http://${target}.${NS}.svc.cluster.local/`, kind: 'service', expected, reason: 'test' });
const mesh = (adminToOrders: MeshCheck['expected']): MeshUnderTest => ({
  declarations: { namespace: NS, services: [], externals: [] },
  checks: [check('admin', 'orders', adminToOrders), check('web', 'orders', 'BLOCKED'), check('web', 'admin', 'ALLOWED')],
  sources: ['admin', 'web'], tiers: [['orders'], ['admin', 'web']],
});
const BEFORE = mesh('ALLOWED');
const AFTER = mesh('BLOCKED');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Appends one complete cycle per source; `allowed` lists the pairs that answer 200, the rest get 000. */
function cycle(server: FakeApiServer, n: number, at: number, allowed: string[]): void {
  for (const source of AFTER.sources) {
    const targets = AFTER.checks.filter((c) => c.source === source);
    server.appendPodLog(NS, `${source}-pod`, formatCycle(source, n, at, targets, (c) => (allowed.includes(`${c.source}->${c.target}`) ? '200' : '000')));
  }
}

async function setup(t: Parameters<typeof startFakeApiServer>[0], phase = 'Ready'): Promise<{ server: FakeApiServer; client: ClusterClient; input: WithdrawInput }> {
  const server = await startFakeApiServer(t);
  server.ensureCollection(PODS);
  for (const s of AFTER.sources) server.put(PODS, { metadata: { name: `${s}-pod`, namespace: NS, labels: { 'app.kubernetes.io/name': s } }, status: { phase: 'Running' } });
  // As Lattice 1236706e leaves it: a generation, a phase, and no observedGeneration (lattice-facts §0.1).
  server.put(SERVICES, {
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'orders', namespace: NS, generation: 3 },
    spec: { resources: { admin: { type: 'service', direction: 'inbound' } } }, status: { phase },
  });
  const client = openCluster(await server.writeKubeconfig('workload'));
  const input: WithdrawInput = {
    client, before: BEFORE, after: AFTER, service: 'orders', resourceKey: 'admin', newEntry: null,
    tailLines: 200, wait: { timeoutMs: 8000, intervalMs: 20 }, log: () => undefined, spelling: services2026_01,
  };
  return { server, client, input };
}

const patched = (server: FakeApiServer) => () => server.requests.some((r) => r.method === 'PATCH' && r.path.startsWith(SERVICES));
const logReads = (server: FakeApiServer): number => server.requests.filter((r) => r.path.endsWith('/log')).length;

test('a withdrawn acceptance is judged by traffic after the change, not by observedGeneration (Lattice never writes it)', async (t) => {
  const { server, input } = await setup(t);
  // A cycle from before the change already shows the new table by chance: it must not count.
  cycle(server, 1, nowSeconds() - 5, ['web->admin']);
  let settled = false;
  const wait = withdrawAndAwaitNewTraffic(input).finally(() => { settled = true; });
  await waitUntil('the PATCH', patched(server), 5000, 10);
  assert.deepEqual((server.get(SERVICES, 'orders', NS)!.spec as { resources: object }).resources, {}, 'the entry was removed');
  // Lattice has not recompiled yet: cycles after the change still show the old table.
  cycle(server, 2, nowSeconds() + 2, ['admin->orders', 'web->admin']);
  const reads = logReads(server);
  await waitUntil('two more polls of both pods\' logs', () => logReads(server) >= reads + 4, 5000, 10);
  assert.equal(settled, false, 'the old truth table after the change is not the new one');
  cycle(server, 3, nowSeconds() + 3, ['web->admin']);
  const shownAt = await wait;
  assert.ok(shownAt instanceof Date);
});

test('a connection forbidden before and after the change, seen allowed while waiting, fails at once as a security violation', async (t) => {
  const { server, input } = await setup(t);
  const wait = withdrawAndAwaitNewTraffic(input);
  await waitUntil('the PATCH', patched(server), 5000, 10);
  cycle(server, 2, nowSeconds() + 2, ['web->orders', 'web->admin']);
  await assert.rejects(wait, (e: unknown) => e instanceof SecurityViolationError && /web -> orders/.test((e as Error).message));
});

test('traffic that never shows the new table times out naming the LatticeService, the condition and the mismatch', async (t) => {
  const { server, input } = await setup(t);
  const wait = withdrawAndAwaitNewTraffic({ ...input, wait: { timeoutMs: 1500, intervalMs: 20 } });
  await waitUntil('the PATCH', patched(server), 5000, 10);
  cycle(server, 2, nowSeconds() + 2, ['admin->orders', 'web->admin']);
  await assert.rejects(wait, /^WaitTimeoutError: timed out after 1\.5s waiting for the change to LatticeService mesh-test\/orders on workload to be shown in traffic .*last seen: FAIL: 2\/3 as expected; 1 security violation.*admin -> orders expected BLOCKED/);
});

test('a LatticeService that Lattice marks Failed ends the wait at once with its message', async (t) => {
  const { server, input } = await setup(t);
  server.put(SERVICES, { ...server.get(SERVICES, 'orders', NS)!, status: { phase: 'Failed', message: 'bad resource' } });
  await assert.rejects(withdrawAndAwaitNewTraffic(input), /^SuiteError: LatticeService mesh-test\/orders on workload is Failed after the change: bad resource/);
});

test('the change is spelled by the version: spec.resources at 2026-01, spec.workload.resources (wildcard as any-caller) at 2026-04', async (t) => {
  const bodies: unknown[] = [];
  for (const [spelling, key, entry] of [[services2026_01, 'admin', null], [services2026_04, 'admin', null], [services2026_04, 'web', { type: 'service', direction: 'both', id: 'web' }], [services2026_04, '*', { type: 'service', direction: 'inbound' }]] as const) {
    const { server, input } = await setup(t, 'Failed');
    await assert.rejects(withdrawAndAwaitNewTraffic({ ...input, spelling, resourceKey: key, newEntry: entry }), /is Failed after the change/);
    bodies.push(JSON.parse(server.requests.find((r) => r.method === 'PATCH')!.body));
  }
  assert.deepEqual(bodies, [
    { spec: { resources: { admin: null } } },
    { spec: { workload: { resources: { admin: null } } } },
    { spec: { workload: { resources: { web: { type: 'service', direction: 'both' } } } } },
    { spec: { workload: { resources: { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } } } } },
  ]);
});
