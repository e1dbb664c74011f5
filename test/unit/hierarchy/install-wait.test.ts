// After `lattice install` returns, the management cluster's own LatticeCluster must come to Ready
// within LATTICE_TIMEOUT_INSTALL; the timeout names the cluster and the phase it was last seen in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { WaitTimeoutError } from '../../../support/errors.js';
import { installManagementAndWait } from '../../../support/hierarchy/install.js';
import { ensureManagement } from '../../../support/hierarchy/ensure.js';
import { LATTICE_CLUSTERS_PATH } from '../../../support/kube/index.js';
import { ClusterRegistry } from '../../../support/run/cluster-registry.js';
import type { RunContext } from '../../../support/run/run-context.js';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';
import { makeFakeLatticeCli, type FakeLatticeCli } from '../../helpers/fake-lattice-cli.js';
import { NetworkPinError } from '../../../support/providers/docker/network.js';
import { REPO } from '../../integration/helpers.js';
import { spellingFor } from '../../../support/versions/index.js';

const FIXTURE = join(REPO, 'fixtures', 'clusters', 'docker-mgmt.yaml');

type ProviderStub = Partial<ReturnType<RunContext['providerFor']>>;

async function setup(t: Parameters<typeof startFakeApiServer>[0], timeout: string, provider: (fake: FakeLatticeCli) => ProviderStub = () => ({})): Promise<{ server: FakeApiServer; run: RunContext; fake: FakeLatticeCli }> {
  const server = await startFakeApiServer(t);
  const fake = await makeFakeLatticeCli(t);
  const workDir = await mkdtemp(join(tmpdir(), 'install-wait-'));
  t.after(() => rm(workDir, { recursive: true, force: true }));
  // The installer's --kubeconfig-out: here the fake API server stands for the new cluster.
  await copyFile(await server.writeKubeconfig('e2e-mgmt'), join(workDir, 'e2e-mgmt.kubeconfig'));
  const config = loadConfig({ LATTICE_CLI: fake.cli, LATTICE_E2E_WORK_DIR: workDir, LATTICE_TIMEOUT_INSTALL: timeout, LATTICE_POLL_INSTALL: '0.05', PATH: process.env.PATH });
  const run: RunContext = {
    config, clusters: new ClusterRegistry(), providerFor: () => ({ kubeconfigFor: () => assert.fail('the kubeconfig comes from the installer'), ...provider(fake) }) as unknown as ReturnType<RunContext['providerFor']>, providers: () => [],
    cliEnv: { FAKE_LATTICE_MODE: 'ok' }, startedAt: new Date(), signal: new AbortController().signal, version: '2026-01', versionHow: 'test', spelling: spellingFor('2026-01'),
  };
  server.ensureCollection(LATTICE_CLUSTERS_PATH);
  // The run confirms its Lattice API version from the CRDs the new management cluster serves.
  for (const name of ['latticeclusters.lattice.dev', 'latticeservices.lattice.dev', 'latticeexternalservices.lattice.dev']) {
    server.put('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { metadata: { name } });
  }
  return { server, run, fake };
}

const cluster = (phase: string) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-mgmt' }, status: { phase } });

test('install returns once the management cluster holds its own LatticeCluster Ready', async (t) => {
  const { server, run } = await setup(t, '5');
  server.put(LATTICE_CLUSTERS_PATH, cluster('Pivoting'));
  setTimeout(() => server.put(LATTICE_CLUSTERS_PATH, cluster('Ready')), 100);
  const ctx = await installManagementAndWait({ run, log: () => {} }, FIXTURE);
  assert.equal(ctx.name, 'e2e-mgmt');
});

test('LATTICE_TIMEOUT_INSTALL bounds the wait; the error names the cluster and its last phase', async (t) => {
  const { server, run } = await setup(t, '0.3');
  server.put(LATTICE_CLUSTERS_PATH, cluster('Pivoting'));
  await assert.rejects(installManagementAndWait({ run, log: () => {} }, FIXTURE), (e: Error) => {
    assert.ok(e instanceof WaitTimeoutError, String(e));
    assert.match(e.message, /LatticeCluster e2e-mgmt/);
    assert.match(e.message, /Ready/);
    assert.match(e.message, /Pivoting/);
    return true;
  });
});

test('a management cluster that reaches Failed fails the install at once, with its status message', async (t) => {
  const { server, run } = await setup(t, '30');
  server.put(LATTICE_CLUSTERS_PATH, { ...cluster('Failed'), status: { phase: 'Failed', message: 'pivot could not move the CAPI objects' } });
  const started = Date.now();
  await assert.rejects(installManagementAndWait({ run, log: () => {} }, FIXTURE), /phase Failed: pivot could not move the CAPI objects/);
  assert.ok(Date.now() - started < 10_000, 'well before LATTICE_TIMEOUT_INSTALL');
});

test('the provider prepares the machine (Docker pins the kind network) before `lattice install` runs, and says so', async (t) => {
  const seen: string[] = [];
  const { server, run } = await setup(t, '5', (fake) => ({
    prepareInstall: async () => { seen.push(existsSync(fake.argsFile) ? 'after the CLI' : 'before the CLI'); return 'Docker network kind: created (subnet 172.18.0.0/16, gateway 172.18.0.1)'; },
  }));
  server.put(LATTICE_CLUSTERS_PATH, cluster('Ready'));
  const log: string[] = [];
  await installManagementAndWait({ run, log: (l) => log.push(l) }, FIXTURE);
  assert.deepEqual(seen, ['before the CLI']);
  assert.ok(log.includes('Docker network kind: created (subnet 172.18.0.0/16, gateway 172.18.0.1)'), log.join('\n'));
});

test('a kind network that cannot be pinned stops the install before the CLI runs', async (t) => {
  const { run, fake } = await setup(t, '5', () => ({
    prepareInstall: () => Promise.reject(new NetworkPinError('Docker network kind has 172.19.0.0/16 gw 172.19.0.1 instead of 172.18.0.0/16 gw 172.18.0.1 and is in use by old-lb')),
  }));
  await assert.rejects(installManagementAndWait({ run, log: () => {} }, FIXTURE), /in use by old-lb/);
  assert.equal(existsSync(fake.argsFile), false, 'lattice install never ran');
});

test('a management cluster whose install failed is made anew by the next scenario, not reused without a kubeconfig', async (t) => {
  const destroyed: string[] = [];
  const { server, run } = await setup(t, '5', () => ({ canDestroyInfrastructure: true, destroyInfrastructure: async (c: { name: string }) => { destroyed.push(c.name); }, infrastructureGone: async () => {} }));
  // The first install's cluster never got a kubeconfig (its `lattice install` failed).
  run.clusters.add({ role: 'management', name: 'e2e-mgmt', fixturePath: FIXTURE, version: '1.32.0', timeline: [], state: 'live' });
  server.put(LATTICE_CLUSTERS_PATH, cluster('Ready'));
  const { ctx, reused } = await ensureManagement({ run, log: () => {} }, FIXTURE);
  assert.equal(reused, false);
  assert.deepEqual(destroyed, ['e2e-mgmt'], 'what the failed install left is removed first');
  assert.ok(ctx.kubeconfigPath);
});
