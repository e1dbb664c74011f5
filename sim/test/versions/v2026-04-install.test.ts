/**
 * `lattice install` at 2026-04 (in process): the management cluster and its bootstrap cluster serve
 * b5d50e90's CRDs, a b5d50e90 LatticeCluster (controlPlane.replicas, workerPools) is provisioned
 * with those node counts, and a child created on it inherits the version from its parent; a
 * 2026-01 install next to it keeps 2026-01. The phases are b5d50e90's (the parent's copy of a child says Pivoted).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apiserver/types.js';
import { install } from '../../src/lifecycle/index.js';
import { clusterManifest, LC_API, newHarness, storeOf, waitForPhase, waitUntil, workerNodes } from '../lifecycle/harness.js';

const h = newHarness();
after(() => h.dispose());

const v0404 = (name: string, workers: Record<string, number>, parent = false): KubeObject => ({
  apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name },
  spec: {
    providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
    provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
    nodes: { controlPlane: { replicas: 1 }, workerPools: Object.fromEntries(Object.entries(workers).map(([id, replicas]) => [id, { replicas }])) },
    ...(parent ? { parentConfig: { service: { type: 'LoadBalancer' } } } : {}),
  },
});

const serves = (store: ReturnType<typeof storeOf>, kind: string) => !!store.typeOf(LC_API, kind);

test('install at 2026-04 with an aws block: the InfraProvider names its region and credentials secret', async () => {
  const lc = v0404('e2e-aws', { default: 1 });
  lc.spec.providerRef = 'aws-prod';
  lc.spec.provider.config = { aws: { region: 'eu-west-1', sshKeyName: 'lattice' } };
  await install({ infra: h.infra, cluster: lc, log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04' });
  const ip = storeOf(h, 'e2e-aws').get(LC_API, 'InfraProvider', 'aws-prod', 'lattice-system');
  assert.deepEqual(ip?.spec, { type: 'aws', region: 'eu-west-1', credentials: { id: 'aws-credentials', provider: 'lattice-local' } });
});

test('install at 2026-04 provisions a b5d50e90 cluster that serves 2026-04; its child inherits 2026-04', async () => {
  await install({ infra: h.infra, cluster: v0404('e2e-mgmt', { default: 1, extra: 1 }, true), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04' });
  const mgmt = storeOf(h, 'e2e-mgmt');
  assert.equal(h.infra.apiVersionOf('e2e-mgmt'), '2026-04');
  assert.ok(serves(mgmt, 'InfraProvider') && !serves(mgmt, 'LatticeExternalService'));
  assert.equal(mgmt.get(LC_API, 'LatticeCluster', 'e2e-mgmt')?.status?.phase, 'Ready');
  // install.rs:885-1044: the InfraProvider named by providerRef, copied to the management cluster.
  const ip = mgmt.get(LC_API, 'InfraProvider', 'docker', 'lattice-system');
  assert.deepEqual(ip?.spec, { type: 'docker' });
  // Workers join after Ready (the own copy is Ready once the control plane is up).
  await waitUntil(mgmt, 'v1', 'Node', () => workerNodes(mgmt).length === 2, 'one worker node per pool replica (1 + 1)');

  mgmt.create(v0404('e2e-workload', { default: 1 }));
  await waitForPhase(mgmt, 'e2e-workload', 'Pivoted'); // phases/pivoting.rs:107-120
  assert.equal(h.infra.apiVersionOf('e2e-workload'), '2026-04');
  const child = storeOf(h, 'e2e-workload');
  assert.ok(serves(child, 'CedarPolicy') && !serves(child, 'LatticeExternalService'));
});

test('install at 2026-01 next to it keeps 2026-01 (a 2026-01 manifest, the three CRDs)', async () => {
  await install({ infra: h.infra, cluster: clusterManifest('e2e-old', { parent: true, host: '172.18.255.30' }), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-01' });
  const old = storeOf(h, 'e2e-old');
  assert.equal(h.infra.apiVersionOf('e2e-old'), '2026-01');
  assert.ok(serves(old, 'LatticeExternalService') && !serves(old, 'InfraProvider'));
  assert.equal(old.list(LC_API, 'LatticeCluster').items.length, 1);
});
