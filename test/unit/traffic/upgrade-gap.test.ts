// Against a real Lattice 2026-01 no node ever rolls (controller.rs:1880-1973 at 1236706e applies no
// version): the upgrade scenario still fails, but says plainly that this Lattice does not implement
// upgrades. Any other target, API or partial roll keeps the plain timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaitTimeoutError } from '../../../support/errors.js';
import { openCluster } from '../../../support/kube/clients.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { explainNoRoll, UpgradeNotImplementedError, type LatticeUnderTest } from '../../../support/traffic/upgrade-gap.js';
import { watchRollFailClosed } from '../../../support/traffic/upgrade-watch.js';
import type { ServiceLogFollower } from '../../../support/workloads/log-follower.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';

const NODES = '/api/v1/nodes';
const node = (name: string, version: string) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name },
  status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: `v${version}` } },
});

async function watchRoll(t: Parameters<typeof startFakeApiServer>[0], lattice: LatticeUnderTest | undefined, versions: string[]): Promise<unknown> {
  const api = await startFakeApiServer(t);
  api.ensureCollection(NODES);
  versions.forEach((v, i) => api.put(NODES, node(`e2e-workload-node-${i}`, v)));
  const { declarations, checks, sources, tiers } = buildFixedMesh();
  const followed = { texts: () => [] as string[] } as unknown as ServiceLogFollower;
  try {
    await watchRollFailClosed({
      client: openCluster(await api.writeKubeconfig('e2e-workload'), 'e2e-workload'), mesh: { declarations, checks, sources, tiers }, toVersion: '1.33.0',
      since: new Date(), wait: { timeoutMs: 400, intervalMs: 50 }, followed, log: () => undefined, ...(lattice ? { lattice } : {}),
    });
  } catch (err) {
    return err;
  }
  return assert.fail('the roll cannot complete: no node runs v1.33.0');
}

test('a real 2026-01 Lattice that never rolls a node fails saying it does not implement upgrades', async (t) => {
  const err = await watchRoll(t, { target: 'real', apiVersion: '2026-01' }, ['1.32.0', '1.32.0']);
  assert.ok(err instanceof UpgradeNotImplementedError, String(err));
  assert.equal(err.message.split('\n').length, 1);
  assert.match(err.message, /^no node of e2e-workload ever ran v1\.33\.0 \(kubelet versions seen: v1\.32\.0\): Lattice 2026-01 \(1236706e\) does not implement Kubernetes upgrades \(its Ready branch, crates\/lattice-cluster\/src\/controller\.rs:1880-1973,/);
  assert.match(err.message, /timed out after 0\.4s waiting for nodes of e2e-workload/, 'the timeout it explains is kept');
});

test('the embedded target, a later API and a partial roll keep the plain timeout', async (t) => {
  for (const [lattice, versions] of [
    [{ target: 'embedded', apiVersion: '2026-01' }, ['1.32.0']],
    [{ target: 'real', apiVersion: '2026-04' }, ['1.32.0']],
    [{ target: 'real', apiVersion: '2026-01' }, ['1.33.0', '1.32.0']],
    [undefined, ['1.32.0']],
  ] as const) {
    const err = await watchRoll(t, lattice, [...versions]);
    assert.ok(err instanceof WaitTimeoutError, `${JSON.stringify(lattice)} ${versions.join(',')}: ${String(err)}`);
  }
});

test('only a timeout is explained: other failures pass through unchanged', () => {
  const lattice: LatticeUnderTest = { target: 'real', apiVersion: '2026-01' };
  assert.equal(explainNoRoll({ lattice, cluster: 'c', toVersion: '1.33.0', versionsSeen: ['v1.32.0'], cause: new Error('403 Forbidden') }), undefined);
  assert.ok(explainNoRoll({ lattice, cluster: 'c', toVersion: 'v1.33.0', versionsSeen: [], cause: new WaitTimeoutError('nodes of c', 'all Ready', 'none', 1000) })?.message.includes('kubelet versions seen: none'));
});
