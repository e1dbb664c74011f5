/**
 * A parent without `parentConfig` cannot give a child its bootstrap info (Lattice 1236706e,
 * lattice-cluster/src/controller.rs:2044-2047): the child's Pending reconcile errs after installing
 * providers and its namespace, and is requeued (error_policy :2155-2165), never Failed, no phase
 * written. Once the parent has a parentConfig and its cell Service a LoadBalancer address (:2055-2063),
 * the child proceeds. Also: Failed waits for a spec change and stays Failed (:1979-1983), the self
 * copy's Ready carries pivotComplete (:1697), and the status fields upstream never writes stay unset.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apiserver/types.js';
import { until } from '../helpers/until.js';
import { CAPI, LC, LC_API, clusterManifest, installMgmt, newHarness, recordPhases, waitForPhase } from './harness.js';

const NEVER_WRITTEN = ['observedGeneration', 'readyControlPlane', 'readyWorkers', 'endpoint'];
const count = (logs: string[], text: string) => logs.filter((l) => l.includes(text)).length;

describe('a child whose parent has no parentConfig', () => {
  const h = newHarness();
  after(() => h.dispose());

  it('is requeued without a phase until the parent can bootstrap it, then proceeds', async () => {
    const mgmt = await installMgmt(h, clusterManifest('root'));
    const rec = recordPhases(mgmt, 'kid');
    mgmt.create(clusterManifest('kid'));

    const noParentConfig = 'reconcile kid: validation error for unknown: self-cluster must have spec.parent_config to provision clusters';
    await until('three failed reconciles of kid (requeued)', () => count(h.logs, noParentConfig) >= 3, 20_000, () => h.logs.slice(-5));
    const kid = mgmt.get(LC_API, LC, 'kid');
    assert.equal(kid?.status, undefined, 'no phase written, never Failed');
    assert.ok(mgmt.get('v1', 'Namespace', 'capi-kid'), 'providers and namespace come before the failing step');
    assert.equal(mgmt.get(CAPI, 'Cluster', 'kid', 'capi-kid'), undefined, 'no CAPI manifests');

    // With a parentConfig but no cell Service (a Ready cluster never creates it), still requeued.
    mgmt.mergePatch(LC_API, LC, 'root', undefined, { spec: { parentConfig: { host: '172.18.255.10', service: { type: 'LoadBalancer' } } } });
    const before = count(h.logs, 'reconcile kid: validation error for unknown: cell Service has no LoadBalancer ingress yet');
    await until('two more failed reconciles of kid, now for the cell address', () => count(h.logs, 'cell Service has no LoadBalancer ingress yet') >= before + 2, 20_000, () => h.logs.slice(-5));
    assert.equal(mgmt.get(LC_API, LC, 'kid')?.status, undefined);

    // The operator creates the cell Service at start (lattice-operator/src/main.rs:725-743): play that.
    const svc = mgmt.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lattice-cell', namespace: 'lattice-system' }, spec: { type: 'LoadBalancer', ports: [{ name: 'grpc', port: 50051 }] } });
    mgmt.updateStatus({ ...svc, status: { loadBalancer: { ingress: [{ ip: '172.18.255.10' }] } } });
    await waitForPhase(mgmt, 'kid', 'Ready', { timeoutMs: 30_000 });
    rec.stop();
    assert.deepEqual(rec.phases, ['(none)', 'Provisioning', 'Pivoting', 'Ready']);
  });
});

describe('LatticeCluster status fields', () => {
  const h = newHarness();
  after(() => h.dispose());

  it('the self copy is Ready with pivotComplete; nothing writes observedGeneration, readyControlPlane, readyWorkers, endpoint', async () => {
    const mgmt = await installMgmt(h, clusterManifest('self', { parent: true, host: '172.18.255.10' }));
    await waitForPhase(mgmt, 'self', 'Ready');
    const writes: Array<Record<string, unknown>> = [];
    const stop = mgmt.watch(LC_API, LC, {}, (e) => { if (e.object.status) writes.push(e.object.status); });
    mgmt.create(clusterManifest('child', { parent: true, host: '172.18.255.20' }));
    await waitForPhase(mgmt, 'child', 'Ready');
    stop();
    const self = mgmt.get(LC_API, LC, 'self')!;
    assert.equal(self.status.pivotComplete, true, 'try_transition_to_ready(.., true) on the self copy');
    assert.equal(self.status.message, 'Cluster is self-managed and ready');
    assert.equal(self.status.bootstrapComplete, undefined, 'a root install registers nothing with the bootstrap webhook');
    assert.equal(mgmt.get(LC_API, LC, 'child')?.status?.bootstrapComplete, true, 'set on the child\'s copy when its manifests are fetched');
    for (const s of [self.status, ...writes]) for (const f of NEVER_WRITTEN) assert.equal((s as Record<string, unknown>)[f], undefined, `${f} in ${JSON.stringify(s)}`);
    assert.deepEqual(writes.map((s) => s.message).filter((m, i, all) => m !== all[i - 1]),
      ['Provisioning cluster infrastructure', 'Pivoting cluster to self-managed', 'Cluster is self-managed and ready']);
  });

  it('Failed carries the validation error and stays Failed after a valid spec change', async () => {
    const mgmt = h.infra.host('self')!.store;
    mgmt.create(clusterManifest('even', { controlPlane: 2 }));
    const failed = await waitForPhase(mgmt, 'even', 'Failed') as KubeObject;
    assert.equal(failed.status.message, 'validation error for unknown: control plane count must be odd for HA (1, 3, 5, ...)');
    assert.deepEqual(failed.status.conditions.map((c: { type: string; status: string; reason: string; message: string }) => [c.type, c.status, c.reason, c.message]),
      [['Ready', 'False', 'ValidationFailed', failed.status.message]]);
    mgmt.mergePatch(LC_API, LC, 'even', undefined, { spec: { nodes: { controlPlane: 1 } } });
    // A child created after the change reaching Provisioning shows the operator has handled the change.
    mgmt.create(clusterManifest('later'));
    await waitForPhase(mgmt, 'later', 'Provisioning');
    assert.equal(mgmt.get(LC_API, LC, 'even')?.status?.phase, 'Failed');
    assert.equal(mgmt.get('v1', 'Namespace', 'capi-even'), undefined, 'nothing provisioned');
  });
});
