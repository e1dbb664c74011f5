import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { sourcesWithNewCycles, watchRollFailClosed } from '../../../support/traffic/upgrade-watch.js';
import type { MeshUnderTest } from '../../../support/traffic/mesh-under-test.js';
import type { ServiceLogFollower } from '../../../support/workloads/log-follower.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { formatCycle } from '../../../support/mesh/probe-log-format.js';
import type { MeshCheck } from '../../../support/mesh/checks.js';

const NODES = '/api/v1/nodes';
const node = (name: string, version: string, ready = true, cordoned = false) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name },
  spec: cordoned ? { unschedulable: true } : {},
  status: { nodeInfo: { kubeletVersion: `v${version}` }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const { checks } = buildFixedMesh();
const sources = ['frontend-web', 'frontend-admin'];
const mesh = { sources, checks: checks.filter((c) => sources.includes(c.source)) } as unknown as MeshUnderTest;
const honest = (c: MeshCheck): string => (c.expected === 'ALLOWED' ? '200' : '000');
const cycle = (src: string, n: number, at: number) => formatCycle(src, n, at, mesh.checks.filter((c) => c.source === src), honest);

test('sources with new complete cycles: those whose count grew, sorted', () => {
  assert.deepEqual(sourcesWithNewCycles(new Map([['a', 1], ['b', 2]]), new Map([['a', 1], ['b', 3], ['c', 1]])), ['b', 'c']);
  assert.deepEqual(sourcesWithNewCycles(new Map([['a', 1]]), new Map([['a', 1]])), []);
});

test('a roll is done only with as many nodes as before, all Ready at the version; cycles completed while it ran are named', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(NODES);
  server.put(NODES, node('cp', '1.31.0'));
  server.put(NODES, node('w1', '1.31.0'));
  const client = openCluster(await server.writeKubeconfig('wl'));
  const at = Math.floor(Date.now() / 1000);
  let logs = { web: cycle('frontend-web', 1, at), admin: cycle('frontend-admin', 1, at) };
  const followed = { texts: () => Object.values(logs) } as unknown as ServiceLogFollower;
  const since = new Date();
  const watching = watchRollFailClosed({ client, mesh, toVersion: '1.32.0', since, nodes: 2, followed, log: () => {}, wait: { timeoutMs: 10_000, intervalMs: 30 } });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await server.waitForWatch();
  // cp is replaced; for a moment the cluster has one node, Ready at... the old version only
  server.put(NODES, node('cp', '1.31.0', false, true));
  await pause(100);
  server.remove(NODES, 'cp');
  server.put(NODES, node('w1', '1.32.0'));
  await pause(100); // one node, Ready at the version: not done, a node is missing
  logs = { web: logs.web + cycle('frontend-web', 2, at + 1), admin: logs.admin };
  await pause(100);
  logs = { web: logs.web + cycle('frontend-web', 3, at + 2), admin: logs.admin + cycle('frontend-admin', 2, at + 2) };
  await pause(100);
  server.put(NODES, node('cp', '1.32.0'));
  const result = await watching;
  assert.deepEqual(result.judgedDuringRoll, ['frontend-admin', 'frontend-web']);
  assert.deepEqual(result.failClosed.violations, []);
});

test('a roll that no probe cycle overlaps names no source', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(NODES);
  server.put(NODES, node('cp', '1.31.0'));
  const client = openCluster(await server.writeKubeconfig('wl'));
  const at = Math.floor(Date.now() / 1000);
  let logs = { web: cycle('frontend-web', 1, at), admin: cycle('frontend-admin', 1, at) };
  const followed = { texts: () => Object.values(logs) } as unknown as ServiceLogFollower;
  const watching = watchRollFailClosed({ client, mesh, toVersion: '1.32.0', since: new Date(), nodes: 1, followed, log: () => {}, wait: { timeoutMs: 10_000, intervalMs: 30 } });
  await server.waitForWatch();
  server.put(NODES, node('cp', '1.32.0'));
  // the cycles after the roll are evidence after the change, not during it
  await new Promise((r) => setTimeout(r, 50));
  logs = { web: logs.web + cycle('frontend-web', 2, at + 2), admin: logs.admin + cycle('frontend-admin', 2, at + 2) };
  const result = await watching;
  assert.deepEqual(result.judgedDuringRoll, []);
  assert.equal(result.evidenceAfterChange, true);
});
