import { test } from 'node:test';
import { scratch as scratchDir } from '../../helpers/scratch.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clusterFixturesDir } from '../../../support/config/index.js';
import type { Provider } from '../../../support/providers/types.js';
import { claimWorkDir } from '../../../support/run/leftovers.js';
import type { RunContext } from '../../../support/run/run-context.js';
import { SUITE_CLUSTER_NAMES, bootstrapClustersOf, sweepAtStart } from '../../../support/run/start-sweep.js';
import { isBootstrapClusterName } from '../../../support/providers/docker/bootstrap-clusters.js';

const scratch = (t: { after: (fn: () => void) => void }): string => scratchDir(t, 'lattice-start-sweep-');

function fakeRun(workDir: string, provider: Provider): RunContext {
  return {
    config: { workDir, runId: 'rself', repoRoot: '/nonexistent-repo', clusters: { mgmt: resolve(clusterFixturesDir, 'docker-mgmt.yaml') } },
    providerFor: () => provider,
  } as unknown as RunContext;
}

test('Docker-like provider: sweeps the suite names and every dead run id, then the dead run\'s kubeconfigs', async (t) => {
  const root = scratch(t);
  const dead = join(root, 'rdead');
  mkdirSync(dead);
  claimWorkDir(dead, { runId: 'rdead', pid: 2 ** 22 + 12345, startedAt: '2026-01-01T00:00:00Z' }); // a pid no process has
  writeFileSync(join(dead, 'e2e-mgmt-kubeconfig'), 'token: x');
  const calls: unknown[] = [];
  const provider = {
    name: 'docker', canDestroyInfrastructure: true,
    sweep: async (target: { runId?: string; names?: string[] }) => { calls.push(target); return target.runId ? [`removed container e2e-mgmt-control-plane (${target.runId})`] : ['removed container e2e-workload-lb']; },
  } as unknown as Provider;
  const lines = await sweepAtStart(fakeRun(join(root, 'rself'), provider));
  // the dead run's own kind clusters (2026-04 names them after its run id) go with its containers
  assert.deepEqual(calls, [{ names: SUITE_CLUSTER_NAMES }, { runId: 'rdead', names: ['lattice-bootstrap-rdead', 'lattice-uninstall-rdead'] }]);
  assert.equal(lines[0], 'removed container e2e-workload-lb');
  assert.equal(lines[1], 'removed container e2e-mgmt-control-plane (rdead)');
  assert.match(lines[2]!, /^dead run rdead \(pid \d+, started 2026-01-01T00:00:00Z\): removed .*e2e-mgmt-kubeconfig, removed folder/);
  assert.equal(existsSync(dead), false);
});

test('a provider that sweeps its stale state itself (the embedded target) is asked once, and nothing is removed when nothing is left', async (t) => {
  const root = scratch(t);
  let asked = 0;
  const provider = { name: 'embedded', canDestroyInfrastructure: true, sweepStale: async () => { asked++; return []; }, sweep: async () => assert.fail('no name sweep needed') } as unknown as Provider;
  assert.deepEqual(await sweepAtStart(fakeRun(join(root, 'rself'), provider)), []);
  assert.equal(asked, 1);
});

test('a dead run\'s kind clusters are those of every version\'s spelling, less the fixed names swept anyway', () => {
  assert.deepEqual(bootstrapClustersOf('r1'), ['lattice-bootstrap-r1', 'lattice-uninstall-r1']);
});

test('the Docker provider counts kind clusters with and without a run id as bootstrap clusters, and nothing else', () => {
  for (const n of ['lattice-bootstrap', 'lattice-uninstall', 'lattice-bootstrap-rmx7v5t9jti']) assert.equal(isBootstrapClusterName(n), true, n);
  for (const n of ['e2e-mgmt', 'lattice-bootstrapper', 'my-lattice-bootstrap', 'lattice-bootstrap-']) assert.equal(isBootstrapClusterName(n), false, n);
});
