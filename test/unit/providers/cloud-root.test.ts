// A root cluster on a cloud has no parent: after `lattice uninstall` its infrastructure is gone when
// its API gives no reply and the install/uninstall kind clusters have no container left. Checked
// against a fake API (closed to stand for machines that are gone) and a stand-in container list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaitTimeoutError } from '../../../support/errors.js';
import { CloudProvider } from '../../../support/providers/cloud.js';
import type { ClusterRef } from '../../../support/providers/types.js';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';
import { waitUntil } from '../../helpers/wait-until.js';

interface Setup { api: FakeApiServer; provider: CloudProvider; root: ClusterRef; kind: Set<string>; kindAsks: () => number }

async function setup(t: Parameters<typeof startFakeApiServer>[0]): Promise<Setup> {
  const api = await startFakeApiServer(t);
  const workDir = await mkdtemp(join(tmpdir(), 'cloud-root-'));
  t.after(() => rm(workDir, { recursive: true, force: true }));
  const kind = new Set<string>();
  let asks = 0;
  const provider = new CloudProvider({
    workDir, intervalMs: 20, installerKubeconfigDir: workDir,
    kindContainers: async (clusters) => { asks++; assert.deepEqual([...clusters], ['lattice-bootstrap', 'lattice-uninstall']); return [...kind]; },
  });
  // As uninstall leaves it: the management cluster, no parent, its own kubeconfig.
  // (A copy: closing the fake API removes its own folder.)
  const kubeconfig = join(workDir, 'e2e-mgmt.kubeconfig');
  await copyFile(await api.writeKubeconfig('e2e-mgmt'), kubeconfig);
  const root: ClusterRef = { name: 'e2e-mgmt', provider: 'aws', bootstrap: 'kubeadm', kubeconfig };
  return { api, provider, root, kind, kindAsks: () => asks };
}

test('a root cluster needs no parent: its infrastructure is gone once its API stops answering', async (t) => {
  const { api, provider, root, kindAsks } = await setup(t);
  let settled = false;
  const gone = provider.infrastructureGone(root, 10_000).finally(() => { settled = true; });
  await waitUntil('two rounds of checks', () => kindAsks() >= 2, 5_000, 10);
  assert.equal(settled, false, 'the API still answers (even a 404 is an answer)');
  await api.close();
  await gone;
});

test('a kind cluster still present keeps the root\'s infrastructure from counting as gone', async (t) => {
  const { api, provider, root, kind, kindAsks } = await setup(t);
  await api.close();
  kind.add('lattice-uninstall-control-plane');
  let settled = false;
  const gone = provider.infrastructureGone(root, 10_000).finally(() => { settled = true; });
  await waitUntil('two rounds of checks', () => kindAsks() >= 2, 5_000, 10);
  assert.equal(settled, false);
  kind.clear();
  await gone;
});

test('the timeout names the root cluster, the condition and what still stands', async (t) => {
  const { provider, root, kind } = await setup(t);
  kind.add('lattice-uninstall-control-plane');
  await assert.rejects(provider.infrastructureGone(root, 400), (e: unknown) => {
    assert.ok(e instanceof WaitTimeoutError, String(e));
    assert.match(e.message, /^timed out after 0\.4s waiting for infrastructure of root cluster e2e-mgmt to be gone \(its API gives no reply, kind clusters lattice-bootstrap, lattice-uninstall have no container\); last seen: API http:\/\/127\.0\.0\.1:\d+ answers HTTP 404; kind containers left: lattice-uninstall-control-plane$/);
    return true;
  });
});

test('without a kubeconfig of its own, the installer\'s file is asked; none at all times out saying so', async (t) => {
  const { provider } = await setup(t);
  await assert.rejects(provider.infrastructureGone({ name: 'e2e-mgmt', provider: 'openstack', bootstrap: 'kubeadm' }, 300), /its kubeconfig .*e2e-mgmt-kubeconfig is missing/);
});

test('a child whose parent is gone too (after the uninstall) is judged by its own API, not by asking the dead parent', async (t) => {
  const { api: parentApi, provider, root: parentRef } = await setup(t);
  const childApi = await startFakeApiServer(t);
  const kubeconfig = join(parentRef.kubeconfig!, '..', 'e2e-workload.kubeconfig');
  await copyFile(await childApi.writeKubeconfig('e2e-workload'), kubeconfig);
  const child: ClusterRef = { name: 'e2e-workload', provider: 'aws', bootstrap: 'kubeadm', parentKubeconfig: parentRef.kubeconfig!, kubeconfig };
  await parentApi.close();
  await assert.rejects(provider.infrastructureGone(child, 400), /waiting for infrastructure of child cluster e2e-workload to be gone \(its API gives no reply\); last seen: API http:\/\/127\.0\.0\.1:\d+ answers HTTP 404$/);
  await childApi.close();
  await provider.infrastructureGone(child, 5_000);
});
