// Removing a pivoted child: through its own API (it unpivots) while that API answers, on its parent
// only when it is gone, and then the machines Lattice leaves behind are named. Fake parent and child
// APIs record which one got the DELETE.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { WaitTimeoutError } from '../../../support/errors.js';
import { removeClusterAndChildren } from '../../../support/hierarchy/teardown.js';
import { ClusterRegistry } from '../../../support/run/cluster-registry.js';
import type { RunContext } from '../../../support/run/run-context.js';
import type { Provider } from '../../../support/providers/types.js';
import { FakeParentApi } from '../providers/cloud-apiserver.js';
import { REPO } from '../../integration/helpers.js';
import { spellingFor } from '../../../support/versions/index.js';

const LC_PATH = '/apis/lattice.dev/v1alpha1/latticeclusters';
const copy = (pivotComplete: boolean) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-workload' }, status: { phase: 'Ready', ...(pivotComplete ? { pivotComplete } : {}) } });

interface World { run: RunContext; parent: FakeParentApi; child?: FakeParentApi; logs: string[] }

/** Removes the parent's copy as soon as a DELETE reaches either API (the unpivot, or the parent's finalizer, ending). */
function removeCopyOnDelete(apis: FakeParentApi[], parent: FakeParentApi): NodeJS.Timeout {
  return setInterval(() => {
    if (apis.some((a) => a.requests.some((r) => r.startsWith(`DELETE ${LC_PATH}/e2e-workload`)))) parent.remove(LC_PATH, 'e2e-workload');
  }, 10);
}

async function world(o: { pivoted: boolean; childAnswers: boolean; leftover?: string }): Promise<World & { dispose(): Promise<void> }> {
  const parent = await new FakeParentApi().start();
  parent.put(LC_PATH, copy(o.pivoted));
  const child = o.childAnswers ? await new FakeParentApi().start() : undefined;
  child?.put(LC_PATH, copy(o.pivoted));
  // A child whose API is gone: its kubeconfig names a port nothing listens on any more.
  const gone = child ? undefined : await new FakeParentApi().start();
  const childKc = await (child ?? gone!).writeKubeconfig('child');
  await gone?.stop();
  const provider: Provider = {
    name: 'fake', canDestroyInfrastructure: true,
    kubeconfigFor: () => Promise.reject(new Error('not used')), destroyInfrastructure: () => Promise.reject(new Error('not used')),
    infrastructureGone: () => (o.leftover
      ? Promise.reject(new WaitTimeoutError('infrastructure of e2e-workload', 'gone', o.leftover, 1000))
      : Promise.resolve()),
    sweep: () => Promise.resolve([]),
  };
  const clusters = new ClusterRegistry();
  clusters.add({ role: 'management', name: 'e2e-mgmt', fixturePath: join(REPO, 'fixtures', 'clusters', 'docker-mgmt.yaml'), version: '1.32.0', timeline: [], state: 'live', kubeconfigPath: await parent.writeKubeconfig() });
  clusters.add({ role: 'workload', name: 'e2e-workload', parentRole: 'management', fixturePath: join(REPO, 'fixtures', 'clusters', 'docker-workload.yaml'), version: '1.32.0', timeline: [], state: 'live', kubeconfigPath: childKc });
  const config = loadConfig({ PATH: process.env.PATH, LATTICE_TIMEOUT_DELETION: '5' });
  const run: RunContext = { config, clusters, providerFor: () => provider, providers: () => [provider], cliEnv: {}, startedAt: new Date(), signal: new AbortController().signal, version: '2026-01', versionHow: 'test', spelling: spellingFor('2026-01') };
  const timer = removeCopyOnDelete(child ? [parent, child] : [parent], parent);
  return { run, parent, child, logs: [], async dispose() { clearInterval(timer); await parent.stop(); await child?.stop(); } };
}

const deletes = (api: FakeParentApi | undefined) => (api?.requests ?? []).filter((r) => r.startsWith('DELETE '));
const open: Array<{ dispose(): Promise<void> }> = [];
after(async () => { for (const w of open) await w.dispose(); });

test('a live, pivoted child is deleted through its own API, not on its parent', async () => {
  const w = await world({ pivoted: true, childAnswers: true });
  open.push(w);
  const failures = await removeClusterAndChildren({ run: w.run, log: (l) => w.logs.push(l) }, 'workload');
  assert.deepEqual(failures, []);
  assert.deepEqual(deletes(w.child), [`DELETE ${LC_PATH}/e2e-workload`]);
  assert.deepEqual(deletes(w.parent), [], 'nothing deleted on the parent');
  assert.equal(w.run.clusters.get('workload'), undefined, 'marked gone');
});

test('a pivoted child whose API is gone is deleted on its parent, and the machines left are named', async () => {
  const w = await world({ pivoted: true, childAnswers: false, leftover: 'e2e-workload still present (stopped; machines: e2e-workload-md-0-abc-x1)' });
  open.push(w);
  const failures = await removeClusterAndChildren({ run: w.run, log: (l) => w.logs.push(l) }, 'workload');
  assert.deepEqual(deletes(w.parent), [`DELETE ${LC_PATH}/e2e-workload`]);
  assert.equal(failures.length, 1, failures.join('\n'));
  assert.match(failures[0]!, /its own API is gone .*machines remain: e2e-workload still present \(stopped; machines: e2e-workload-md-0-abc-x1\)/);
  assert.ok(w.logs.some((l) => /deleting e2e-workload on its parent e2e-mgmt \(its own API is gone/.test(l)), w.logs.join('\n'));
});

test('a child never pivoted is deleted on its parent, which knows all of it', async () => {
  const w = await world({ pivoted: false, childAnswers: true });
  open.push(w);
  assert.deepEqual(await removeClusterAndChildren({ run: w.run, log: (l) => w.logs.push(l) }, 'workload'), []);
  assert.deepEqual(deletes(w.parent), [`DELETE ${LC_PATH}/e2e-workload`]);
  assert.deepEqual(deletes(w.child), []);
});
