/**
 * Every lifecycle fault of sim/FAULTS.md changes what an observer of the APIs sees, and the same
 * scenario without the fault does not show it (the other lifecycle tests).
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DURATIONS, simulate } from '../../src/clock.js';
import { setFaults, type FaultName } from '../../src/faults.js';
import { uninstall } from '../../src/lifecycle/index.js';
import { waitForObject } from '../../src/lifecycle/waits.js';
import {
  CAPI, LC, LC_API, clusterManifest, installMgmt, newHarness, recordPhases, storeOf,
  waitForGone, waitForPhase, waitUntil, workerNodes, type Harness,
} from './harness.js';

let h: Harness | undefined;
afterEach(async () => { setFaults(new Set()); await h?.dispose(); h = undefined; });

async function parentWithChild(fault: FaultName, child = { workers: 1 }): Promise<Harness> {
  h = newHarness();
  await installMgmt(h, clusterManifest('p', { parent: true, host: '172.18.255.10' }));
  setFaults(new Set([fault]));
  storeOf(h, 'p').create(clusterManifest('c', { workers: child.workers }));
  return h;
}

/** A bounded observation window long enough for several machine boots. */
const observe = () => simulate(DURATIONS.machineBoot * 4);

describe('lifecycle faults', () => {
  it('no-pivot: the parent reports the pivot done but the child never gets its CAPI objects', async () => {
    const hh = await parentWithChild('no-pivot');
    const ready = await waitForPhase(storeOf(hh, 'p'), 'c', 'Ready');
    assert.equal(ready?.status?.pivotComplete, true);
    const child = storeOf(hh, 'c');
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'the parent still scales the workers');
    assert.deepEqual(child.list(CAPI, 'Cluster').items, [], 'kubectl get clusters -A on the child lacks it');
    assert.equal(child.get(LC_API, LC, 'c'), undefined, 'the child has no copy of its own to patch');
  });

  it('child-driven-by-parent: the child stops scaling once its parent is gone', async () => {
    const hh = await parentWithChild('child-driven-by-parent');
    await waitForPhase(storeOf(hh, 'p'), 'c', 'Ready');
    const child = storeOf(hh, 'c');
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'one worker while the parent lives');
    await hh.infra.destroyCluster('p');
    child.mergePatch(LC_API, LC, 'c', undefined, { spec: { nodes: { workers: 2 } } });
    await waitForObject({ store: child, apiVersion: CAPI, kind: 'MachineDeployment', name: 'c-md-0', namespace: 'capi-c', timeoutMs: 10_000, what: 'ask for 2 replicas', until: (o) => o?.spec?.replicas === 2 });
    await observe();
    assert.equal(workerNodes(child).length, 1, 'no second worker without the parent');
  });

  it('workers-never-scale: the child is Ready with no worker', async () => {
    const hh = await parentWithChild('workers-never-scale', { workers: 2 });
    await waitForPhase(storeOf(hh, 'p'), 'c', 'Ready');
    const child = storeOf(hh, 'c');
    await waitForPhase(child, 'c', 'Ready');
    await observe();
    assert.equal(workerNodes(child).length, 0);
    assert.equal(child.get(CAPI, 'MachineDeployment', 'c-md-0', 'capi-c')?.spec?.replicas, 0);
  });

  it('stuck-provisioning: the child stays Provisioning although CAPI reports it provisioned', async () => {
    const hh = await parentWithChild('stuck-provisioning');
    const parent = storeOf(hh, 'p');
    await waitForObject({ store: parent, apiVersion: CAPI, kind: 'Cluster', name: 'c', namespace: 'capi-c', timeoutMs: 10_000, what: 'be provisioned', until: (o) => o?.status?.phase === 'Provisioned' });
    await observe();
    assert.equal(parent.get(LC_API, LC, 'c')?.status?.phase, 'Provisioning');
  });

  it('pivoting-skipped: the phases go Provisioning → Ready with no Pivoting', async () => {
    h = newHarness();
    await installMgmt(h, clusterManifest('p', { parent: true, host: '172.18.255.10' }));
    setFaults(new Set(['pivoting-skipped']));
    const parent = storeOf(h, 'p');
    const rec = recordPhases(parent, 'c');
    parent.create(clusterManifest('c'));
    const ready = await waitForPhase(parent, 'c', 'Ready');
    rec.stop();
    assert.deepEqual(rec.phases, ['(none)', 'Provisioning', 'Ready']);
    assert.equal(ready?.status?.pivotComplete, true);
  });

  it('unpivot-leaves-capi: the parent drops its copy but the child\'s infrastructure and CAPI objects stay', async () => {
    const hh = await parentWithChild('unpivot-leaves-capi');
    const parent = storeOf(hh, 'p');
    await waitForPhase(parent, 'c', 'Ready');
    const child = storeOf(hh, 'c');
    await waitForPhase(child, 'c', 'Ready');
    child.delete(LC_API, LC, 'c');
    await waitForGone(parent, LC_API, LC, 'c');
    await observe();
    assert.equal(hh.infra.isAlive('c'), true, 'the child still runs');
    assert.ok(parent.get(CAPI, 'Cluster', 'c', 'capi-c'), 'the CAPI Cluster stays on the parent');
  });

  it('uninstall-leaves-cluster: uninstall reports success while the cluster keeps running', async () => {
    h = newHarness();
    await installMgmt(h, clusterManifest('m'));
    setFaults(new Set(['uninstall-leaves-cluster']));
    const lines: string[] = [];
    await uninstall({ infra: h.infra, cluster: 'm', name: 'm', log: (l) => lines.push(l), timeoutMs: 20_000 });
    assert.match(lines.at(-1) ?? '', /Uninstall complete/);
    assert.equal(h.infra.isAlive('m'), true);
    assert.equal(h.infra.has('lattice-uninstall'), false);
  });

  it('without faults uninstall removes the cluster', async () => {
    h = newHarness();
    await installMgmt(h, clusterManifest('m'));
    await uninstall({ infra: h.infra, cluster: 'm', name: 'm', log: () => undefined, timeoutMs: 20_000 });
    assert.equal(h.infra.has('m'), false);
    assert.deepEqual(h.infra.names(), []);
  });
});
