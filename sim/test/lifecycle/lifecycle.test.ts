/**
 * Validation failures, worker changes on the cluster's own copy, independence from a destroyed
 * parent, and deletion: unpivot from the child itself (facts §2.6) and deletion of a copy on the parent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CAPI, LC, LC_API, clusterManifest, installMgmt, newHarness, recordPhases, storeOf,
  waitForGone, waitForPhase, waitUntil, workerNodes,
} from './harness.js';
import { install } from '../../src/lifecycle/index.js';
import { DURATIONS, simulate } from '../../src/clock.js';

describe('invalid specs', () => {
  const h = newHarness();
  before(() => installMgmt(h, clusterManifest('mgmt', { parent: true, host: '172.18.255.10' })));
  after(() => h.dispose());

  for (const [cp, why] of [[0, /at least 1/], [2, /odd/]] as const) {
    it(`sends a child with ${cp} control planes to Failed with ValidationFailed`, async () => {
      const mgmt = storeOf(h, 'mgmt');
      const name = `bad-cp-${cp}`;
      mgmt.create(clusterManifest(name, { controlPlane: cp }));
      const failed = await waitForPhase(mgmt, name, 'Failed');
      assert.equal(failed?.status?.conditions.length, 1);
      assert.deepEqual(
        { type: failed?.status?.conditions[0].type, status: failed?.status?.conditions[0].status, reason: failed?.status?.conditions[0].reason },
        { type: 'Ready', status: 'False', reason: 'ValidationFailed' });
      assert.match(failed?.status?.message ?? '', why);
      assert.equal(failed?.status?.conditions[0].message, failed?.status?.message);
      assert.equal(mgmt.get('v1', 'Namespace', `capi-${name}`), undefined, 'nothing is provisioned for an invalid spec');
    });
  }

  // A fixed spec does not leave Failed (controller.rs:1979-1983): parent-config.test.ts.
});

describe('worker changes, independence and deletion', () => {
  const h = newHarness();
  before(async () => {
    const mgmt = await installMgmt(h, clusterManifest('e2e-mgmt', { parent: true, host: '172.18.255.10' }));
    mgmt.create(clusterManifest('e2e-workload', { parent: true, host: '172.18.255.20', workers: 1 }));
    await waitForPhase(mgmt, 'e2e-workload', 'Ready');
  });
  after(() => h.dispose());

  it('reconciles a worker change on the child\'s own copy (up and down)', async () => {
    const child = storeOf(h, 'e2e-workload');
    child.mergePatch(LC_API, LC, 'e2e-workload', undefined, { spec: { nodes: { workers: 3 } } });
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 3, 'three workers');
    child.mergePatch(LC_API, LC, 'e2e-workload', undefined, { spec: { nodes: { workers: 1 } } });
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'one worker');
    assert.equal(child.list(CAPI, 'Machine', { namespace: 'capi-e2e-workload', labelSelector: 'cluster.x-k8s.io/deployment-name=e2e-workload-md-0' }).items.length, 1);
  });

  it('a grandchild created on the child pivots into itself', async () => {
    const child = storeOf(h, 'e2e-workload');
    child.create(clusterManifest('e2e-workload2', { workers: 1 }));
    await waitForPhase(child, 'e2e-workload2', 'Ready');
    const leaf = storeOf(h, 'e2e-workload2');
    await waitForPhase(leaf, 'e2e-workload2', 'Ready');
    assert.equal(h.infra.info('e2e-workload2')?.parent, 'e2e-workload');
    assert.equal(leaf.get('v1', 'Service', 'lattice-cell', 'lattice-system'), undefined, 'a leaf serves no cell');
  });

  it('unpivots a grandchild deleted through its own API and tears its infrastructure down', async () => {
    const parent = storeOf(h, 'e2e-workload');
    const leaf = storeOf(h, 'e2e-workload2');
    const onLeaf = recordPhases(leaf, 'e2e-workload2');
    const onParent = recordPhases(parent, 'e2e-workload2');
    leaf.delete(LC_API, LC, 'e2e-workload2');
    await waitForGone(leaf, LC_API, LC, 'e2e-workload2');
    onLeaf.stop();
    assert.deepEqual(onLeaf.phases.slice(-1), ['Unpivoting']);
    await waitForGone(parent, LC_API, LC, 'e2e-workload2');
    onParent.stop();
    assert.ok(onParent.flags.some((f) => f.unpivotPending === true), 'the parent marks unpivotPending');
    assert.equal(h.infra.has('e2e-workload2'), false, 'infrastructure gone once the parent copy is');
    assert.equal(parent.get(CAPI, 'Cluster', 'e2e-workload2', 'capi-e2e-workload2'), undefined);
  });

  it('keeps scaling the child after its parent is destroyed', async () => {
    await h.infra.destroyCluster('e2e-mgmt');
    assert.equal(h.infra.isAlive('e2e-mgmt'), false);
    const child = storeOf(h, 'e2e-workload');
    child.mergePatch(LC_API, LC, 'e2e-workload', undefined, { spec: { nodes: { workers: 2 } } });
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 2, 'two workers without the parent');
  });

  it('an orphan\'s deletion waits for its parent, retrying', async () => {
    const child = storeOf(h, 'e2e-workload');
    child.delete(LC_API, LC, 'e2e-workload');
    await waitForPhase(child, 'e2e-workload', 'Unpivoting');
    const still = child.get(LC_API, LC, 'e2e-workload');
    assert.ok(still?.metadata.deletionTimestamp, 'being deleted');
    assert.deepEqual(still?.metadata.finalizers, ['lattice.dev/unpivot'], 'finalizer kept while the parent is unreachable');
    assert.equal(h.infra.isAlive('e2e-workload'), true);
  });
});

describe('deleting a child\'s copy on its parent', () => {
  const h = newHarness();
  after(() => h.dispose());

  // handle_deletion (controller.rs:2511-2536) deletes the parent's CAPI Cluster, a copy kept from
  // before the pivot: CAPI removes what that copy knows (control plane, load balancer, md-0 at 0
  // replicas) and the workers the child made after its pivot keep running. capi-<name> stays.
  it('removes only what the parent\'s CAPI copy knows: the workers made after the pivot keep running', async () => {
    const mgmt = await installMgmt(h, clusterManifest('m1', { parent: true, provider: 'aws' }));
    mgmt.create(clusterManifest('c1', { provider: 'aws', workers: 1 }));
    await waitForPhase(mgmt, 'c1', 'Ready');
    assert.deepEqual(mgmt.get(LC_API, LC, 'c1')?.metadata.finalizers, ['lattice.dev/unpivot'], 'a child\'s copy carries the finalizer (controller.rs:1541-1547)');
    const child = storeOf(h, 'c1');
    await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === 1, 'the child\'s worker, made by its own CAPI');
    const worker = workerNodes(child)[0].metadata.name;
    const known = mgmt.list(CAPI, 'Machine', { namespace: 'capi-c1' }).items.map((m) => m.metadata.name);
    assert.equal(known.includes(worker), false, 'the parent\'s copy does not know the worker');
    const deleting = mgmt.delete(LC_API, LC, 'c1');
    assert.ok(deleting?.metadata.deletionTimestamp, 'held by its finalizer until the CAPI Cluster is gone');
    await waitForGone(mgmt, CAPI, 'Cluster', 'c1', 'capi-c1');
    await waitForGone(mgmt, LC_API, LC, 'c1');
    assert.equal(h.infra.isAlive('c1'), false, 'control plane and load balancer gone: the API answers no more');
    assert.deepEqual(h.infra.info('c1')?.machineNames, [worker], 'the worker keeps running');
    assert.equal(h.infra.info('c1')?.state, 'stopped');
    assert.ok(mgmt.get('v1', 'Namespace', 'capi-c1'), 'capi-c1 stays on the parent');
    assert.equal(mgmt.get(CAPI, 'MachineDeployment', 'c1-md-0', 'capi-c1'), undefined, 'objects owned through the Cluster are collected');
    assert.equal(mgmt.get('v1', 'Secret', 'c1-kubeconfig', 'capi-c1'), undefined);
    await h.infra.destroyCluster('c1');
  });

  it('provisions nothing for a child deleted before its providers are installed', async () => {
    const mgmt = storeOf(h, 'm1');
    mgmt.create(clusterManifest('c2', { provider: 'aws' }));
    mgmt.delete(LC_API, LC, 'c2'); // no phase is written before the providers are in (Pending is never written)
    await simulate(DURATIONS.providerInstall + DURATIONS.machineBoot * 2);
    assert.equal(mgmt.get('v1', 'Namespace', 'capi-c2'), undefined);
    assert.equal(h.infra.has('c2'), false);
  });
});

describe('the cluster\'s own copy', () => {
  const h = newHarness();
  after(() => h.dispose());

  // is_infrastructure_ready (controller.rs:802-940) gates the own copy's Ready (:1655-1697): a Machine
  // still Provisioning keeps it Pending, though the CAPI Cluster says its control plane is initialized.
  it('goes Ready only once no Machine of the cluster is Pending or Provisioning', async () => {
    const mgmt = await installMgmt(h, clusterManifest('m3', { parent: true, host: '172.18.255.30' }));
    const stray = mgmt.create({
      apiVersion: CAPI, kind: 'Machine',
      metadata: { name: 'm3-md-1-stray', namespace: 'capi-m3', labels: { 'cluster.x-k8s.io/cluster-name': 'm3', 'cluster.x-k8s.io/deployment-name': 'm3-md-1' } },
      spec: { clusterName: 'm3', bootstrap: {}, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachine', name: 'm3-md-1-stray' } },
    });
    mgmt.mergePatch(CAPI, 'Machine', stray.metadata.name, 'capi-m3', { status: { phase: 'Provisioning' } }, 'status');
    assert.equal(mgmt.get(CAPI, 'Cluster', 'm3', 'capi-m3')?.status?.initialization?.controlPlaneInitialized, true);
    // Back to no status; the Pending branch ensures the cell Service before judging readiness
    // (:1640-1651), so its return shows that branch has run.
    mgmt.delete('v1', 'Service', 'lattice-cell', 'lattice-system');
    mgmt.mergePatch(LC_API, LC, 'm3', undefined, { status: { phase: null, message: null, conditions: null, pivotComplete: null } }, 'status');
    await waitUntil(mgmt, 'v1', 'Service', () => !!mgmt.get('v1', 'Service', 'lattice-cell', 'lattice-system'), 'the cell Service ensured again');
    assert.equal(mgmt.get(LC_API, LC, 'm3')?.status?.phase, undefined, 'not Ready while a Machine is Provisioning');
    mgmt.mergePatch(CAPI, 'Machine', stray.metadata.name, 'capi-m3', { status: { phase: 'Running' } }, 'status');
    const ready = await waitForPhase(mgmt, 'm3', 'Ready');
    assert.equal(ready?.status?.pivotComplete, true);
  });
});

describe('a version change on the cluster\'s own copy (2026-01)', () => {
  const h = newHarness();
  after(() => h.dispose());

  // 1236706e controller.rs:1880-1973: a Ready cluster's own reconcile scales md-0 and re-taints, nothing else.
  it('rolls nothing: the nodes, the control plane and the MachineDeployment keep v1.32.0', async () => {
    const mgmt = await installMgmt(h, clusterManifest('up', { workers: 2 }));
    await waitUntil(mgmt, 'v1', 'Node', () => workerNodes(mgmt).length === 2, 'two workers');
    let cordoned = 0;
    const stop = mgmt.watch('v1', 'Node', {}, () => {
      cordoned = Math.max(cordoned, mgmt.list('v1', 'Node').items.filter((n) => n.spec?.unschedulable).length);
    });
    // The same patch asks for a third worker: once md-0 scales, the reconcile that saw the new version has run.
    mgmt.mergePatch(LC_API, LC, 'up', undefined, { spec: { provider: { kubernetes: { version: '1.33.1' } }, nodes: { workers: 3 } } });
    await waitUntil(mgmt, CAPI, 'MachineDeployment', () => mgmt.get(CAPI, 'MachineDeployment', 'up-md-0', 'capi-up')?.spec?.replicas === 3, 'up-md-0 scaled to 3');
    await waitUntil(mgmt, 'v1', 'Node', () => workerNodes(mgmt).length === 3, 'three workers');
    stop();
    assert.equal(cordoned, 0, 'no node cordoned');
    for (const n of mgmt.list('v1', 'Node').items) assert.equal(n.status?.nodeInfo?.kubeletVersion, 'v1.32.0', n.metadata.name);
    assert.equal(mgmt.get('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', 'up-control-plane', 'capi-up')?.spec?.version, 'v1.32.0');
    assert.equal(mgmt.get(CAPI, 'MachineDeployment', 'up-md-0', 'capi-up')?.spec?.template?.spec?.version, 'v1.32.0');
    assert.equal(mgmt.get(LC_API, LC, 'up')?.status?.phase, 'Ready');
  });
});

describe('install with --bootstrap rke2', () => {
  const h = newHarness();
  after(() => h.dispose());

  it('overrides the file\'s bootstrap: RKE2 control plane and v1beta1 Docker kinds', async () => {
    await install({ infra: h.infra, cluster: clusterManifest('r1'), bootstrap: 'rke2', log: () => undefined, timeoutMs: 30_000 });
    const mgmt = storeOf(h, 'r1');
    assert.equal(mgmt.get(LC_API, LC, 'r1')?.spec?.provider?.kubernetes?.bootstrap, 'rke2');
    assert.ok(mgmt.get('controlplane.cluster.x-k8s.io/v1beta1', 'RKE2ControlPlane', 'r1-control-plane', 'capi-r1'));
    assert.ok(mgmt.get('bootstrap.cluster.x-k8s.io/v1beta1', 'RKE2ConfigTemplate', 'r1-md-0', 'capi-r1'));
    assert.ok(mgmt.get('infrastructure.cluster.x-k8s.io/v1beta1', 'DockerCluster', 'r1', 'capi-r1'));
    assert.equal(h.infra.info('r1')?.bootstrap, 'rke2');
  });
});
