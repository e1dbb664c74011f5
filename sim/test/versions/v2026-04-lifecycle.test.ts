/**
 * The cluster lifecycle at API version 2026-04 (upstream b5d50e90), in process: worker pools as
 * `<name>-pool-<id>` MachineDeployments with `lattice.dev/pool` nodes, the parent's copy `Pivoted`,
 * the pivot moving (not copying) CAPI objects, deletion through the child's unpivot, the
 * "Deletion blocked" refusal, and Kubernetes upgrades (control plane, then pools, status.version).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, ObjectStore } from '../../src/apiserver/types.js';
import { CAPI, LC, LC_API, clusterManifest, newHarness, storeOf, waitForGone, waitForPhase, waitUntil, workerNodes } from '../lifecycle/harness.js';
import { cluster0404, install0404 } from '../lifecycle/v2026-04.js';
import { waitForObject } from '../../src/lifecycle/waits.js';
import { install, uninstall } from '../../src/lifecycle/index.js';
import { DURATIONS, setSpeed, simulate } from '../../src/clock.js';

// A node roll takes 8 s of target time (clock.ts): these tests play rolls at the speed the suite asks for.
setSpeed(8);

const h = newHarness();
after(() => h.dispose());

const lcOf = (s: ObjectStore, n: string) => s.get(LC_API, LC, n);
const mds = (s: ObjectStore, ns: string) => s.list(CAPI, 'MachineDeployment', { namespace: ns }).items.map((o) => `${o.metadata.name}=${o.spec?.replicas}`).sort();
const poolNodes = (s: ObjectStore, pool: string) => s.list('v1', 'Node', { labelSelector: `lattice.dev/pool=${pool}` }).items;
const until = (s: ObjectStore, kind: string, check: () => boolean, what: string) => waitUntil(s, kind === 'Node' ? 'v1' : LC_API, kind, check, what);

let mgmt: ObjectStore;
let child: ObjectStore;

describe('2026-04 lifecycle: a management cluster with one child', () => {
  it('installs a management cluster whose pools are <name>-pool-<id> MachineDeployments', async () => {
    mgmt = await install0404(h, cluster0404('m', { default: 1 }, { parent: true }));
    assert.deepEqual(mds(mgmt, 'capi-m'), ['m-pool-default=1']);
    await until(mgmt, 'Node', () => poolNodes(mgmt, 'default').length === 1, 'one node labelled lattice.dev/pool=default');
    // A root (management) cluster carries no finalizer (controller/mod.rs:86-112).
    assert.deepEqual(lcOf(mgmt, 'm')?.metadata.finalizers ?? [], []);
  });

  it('provisions a child: parent copy Pivoted (never Ready), own copy Ready, pools labelled and tainted', async () => {
    const phases: string[] = [];
    const stop = mgmt.watch(LC_API, LC, { fieldSelector: 'metadata.name=c' }, (e) => { const p = e.object.status?.phase ?? '(none)'; if (phases.at(-1) !== p) phases.push(p); });
    mgmt.create(cluster0404('c', {
      a: { replicas: 1, labels: { 'topology.kubernetes.io/zone': 'zone-a' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      b: 2,
    }, { parent: true }));
    const copy = await waitForPhase(mgmt, 'c', 'Pivoted');
    stop();
    assert.deepEqual(phases, ['(none)', 'Provisioning', 'Pivoting', 'Pivoted']);
    assert.equal(copy?.status?.pivotComplete, true);
    assert.equal(copy?.status?.message, 'Child cluster is self-managing');
    // Conditions merged by type: every phase passed through keeps its condition (phases/mod.rs:153-156).
    assert.deepEqual(copy?.status?.conditions.map((c: { type: string; status: string; reason: string }) => `${c.type}/${c.status}/${c.reason}`),
      ['Provisioning/True/StartingProvisioning', 'Pivoting/True/StartingPivot', 'Pivoted/True/PivotComplete']);
    // The pivot moves: nothing of the child's CAPI objects is left on the parent (lattice-move cell.rs:507-517).
    assert.deepEqual(mds(mgmt, 'capi-c'), []);
    assert.equal(mgmt.get(CAPI, 'Cluster', 'c', 'capi-c'), undefined);

    child = storeOf(h, 'c');
    await waitForPhase(child, 'c', 'Ready');
    assert.deepEqual(mds(child, 'capi-c'), ['c-pool-a=1', 'c-pool-b=2']);
    await until(child, 'Node', () => workerNodes(child).length === 3, 'three ready workers');
    const [a] = poolNodes(child, 'a');
    assert.equal(a.metadata.labels?.['topology.kubernetes.io/zone'], 'zone-a');
    assert.deepEqual(a.spec.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    assert.equal(poolNodes(child, 'b').length, 2);
    await until(child, LC, () => lcOf(child, 'c')?.status?.readyWorkers === 3, 'readyWorkers 3 on the own copy');
    assert.deepEqual(lcOf(child, 'c')?.status?.workerPools, {
      a: { desiredReplicas: 1, currentReplicas: 1, readyReplicas: 1 },
      b: { desiredReplicas: 2, currentReplicas: 2, readyReplicas: 2 },
    });
    assert.equal(lcOf(child, 'c')?.status?.readyControlPlane, 1);
    assert.equal(lcOf(child, 'c')?.status?.version, 'v1.32.0');
    // The parent's copy takes the counts from the child's heartbeat (controller/mod.rs:185-209), stays Pivoted.
    await until(mgmt, LC, () => lcOf(mgmt, 'c')?.status?.readyWorkers === 3, 'the parent copy reports 3 ready workers');
    assert.equal(lcOf(mgmt, 'c')?.status?.phase, 'Pivoted');
  });

  it('scales a pool up and down through its MachineDeployment', async () => {
    child.mergePatch(LC_API, LC, 'c', undefined, { spec: { nodes: { workerPools: { b: { replicas: 3 } } } } });
    await until(child, 'Node', () => poolNodes(child, 'b').length === 3, 'pool b at 3 nodes');
    assert.equal(child.get(CAPI, 'MachineDeployment', 'c-pool-b', 'capi-c')?.spec?.replicas, 3);
    child.mergePatch(LC_API, LC, 'c', undefined, { spec: { nodes: { workerPools: { b: { replicas: 1 } } } } });
    await until(child, 'Node', () => poolNodes(child, 'b').length === 1, 'pool b at 1 node');
    await until(child, LC, () => lcOf(child, 'c')?.status?.workerPools?.b?.currentReplicas === 1, 'status.workerPools.b.currentReplicas 1');
  });

  it('upgrades: control plane first, then the pools; status.version in the CAPI form', async () => {
    const kubelet = (n: KubeObject) => n.status?.nodeInfo?.kubeletVersion;
    const order: string[] = [];
    const stop = child.watch('v1', 'Node', {}, (e) => {
      if (kubelet(e.object) === 'v1.33.0' && !order.includes(e.object.metadata.name)) order.push(e.object.metadata.name);
    });
    // The pools are patched only once the control plane has rolled (ready.rs:297-302: cluster stable).
    const cpRolledWhenPoolsPatched: boolean[] = [];
    const stopMd = child.watch(CAPI, 'MachineDeployment', { namespace: 'capi-c' }, (e) => {
      if (e.object.spec?.template?.spec?.version === 'v1.33.0' && cpRolledWhenPoolsPatched.length === 0) {
        cpRolledWhenPoolsPatched.push(child.list('v1', 'Node', { labelSelector: 'node-role.kubernetes.io/control-plane' }).items.every((n) => kubelet(n) === 'v1.33.0'));
      }
    });
    child.mergePatch(LC_API, LC, 'c', undefined, { spec: { provider: { kubernetes: { version: '1.33.0' } } } });
    await waitForObject({ store: child, apiVersion: LC_API, kind: LC, name: 'c', timeoutMs: 20_000, what: 'say status.version v1.33.0', until: (o) => o?.status?.version === 'v1.33.0' });
    assert.equal(child.get('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', 'c-control-plane', 'capi-c')?.spec?.version, 'v1.33.0');
    for (const md of ['c-pool-a', 'c-pool-b']) assert.equal(child.get(CAPI, 'MachineDeployment', md, 'capi-c')?.spec?.template?.spec?.version, 'v1.33.0');
    await until(child, 'Node', () => child.list('v1', 'Node').items.every((n) => kubelet(n) === 'v1.33.0'), 'every node at kubelet v1.33.0');
    stop();
    stopMd();
    assert.deepEqual(cpRolledWhenPoolsPatched, [true]);
    assert.match(order[0], /^c-control-plane-/, `the control plane rolls first: ${order.join(', ')}`);
    assert.equal(order.length, 3);
  });

  it('a cell with children refuses to delete itself with upstream\'s message', async () => {
    child.create(cluster0404('gc', { w: 1 }));
    await waitForPhase(child, 'gc', 'Pivoted');
    // Upstream's agent unpivots when the first LatticeCluster by name is deleted: here 'c' < 'gc'
    // would let it go, so the refusal is watched on the own copy's status first.
    child.delete(LC_API, LC, 'c');
    await until(child, LC, () => /^Deletion blocked/.test(lcOf(child, 'c')?.status?.message ?? ''), 'the Deletion blocked message');
    assert.equal(lcOf(child, 'c')?.status?.message, 'Deletion blocked: 1 child cluster(s) exist: gc. Delete children first or remove finalizer for break-glass.');
    assert.equal(lcOf(child, 'c')?.status?.phase, 'Ready');
  });
});

describe('2026-04 lifecycle: deleting a pivoted child on its parent', () => {
  it('goes Deleting, the child unpivots itself, the parent deletes its CAPI Cluster, the infrastructure goes, then the copy', async () => {
    const parent = await install0404(h, cluster0404('p2', { default: 1 }, { parent: true }));
    parent.create(cluster0404('c2', { default: 1 }));
    await waitForPhase(parent, 'c2', 'Pivoted');
    const c2 = storeOf(h, 'c2');
    await until(c2, 'Node', () => workerNodes(c2).length === 1, 'the child\'s worker');
    const seen: string[] = [];
    const stop = parent.watch(LC_API, LC, { fieldSelector: 'metadata.name=c2' }, (e) => {
      const p = `${e.type === 'DELETED' ? 'gone' : e.object.status?.phase}${e.object.status?.unpivotImportComplete ? '+imported' : ''}`;
      if (seen.at(-1) !== p) seen.push(p);
    });
    parent.delete(LC_API, LC, 'c2');
    await waitForGone(parent, LC_API, LC, 'c2', undefined, 20_000);
    stop();
    // The delete itself (deletionTimestamp) is seen first, still Pivoted; the DELETED event carries the last status.
    assert.deepEqual(seen, ['Pivoted', 'Deleting', 'Deleting+imported', 'gone+imported']);
    assert.equal(h.infra.has('c2'), false, 'no machine of c2 is left');
    assert.equal(parent.get(CAPI, 'Cluster', 'c2', 'capi-c2'), undefined);
  });
});

describe('2026-04 lifecycle: the kind bootstrap cluster of lattice install', () => {
  const bootstrapNames = (logs: string[]) => logs.map((l) => /created load balancer for cluster (lattice-bootstrap\S*)/.exec(l)?.[1]).filter(Boolean);

  it('is lattice-bootstrap-<runId> with --run-id (install.rs:294-300), and uninstall\'s lattice-uninstall-<runId>', async () => {
    const hh = newHarness();
    try {
      await install({ infra: hh.infra, cluster: cluster0404('r1', { default: 1 }), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04', latticeRunId: 'a1b2c3' });
      assert.deepEqual(bootstrapNames(hh.logs), ['lattice-bootstrap-a1b2c3']);
      assert.equal(hh.infra.has('lattice-bootstrap-a1b2c3'), false, 'deleted after the install');
      // Without a run id one is generated: 6 hex characters (commands/mod.rs:39-48).
      await install({ infra: hh.infra, cluster: cluster0404('r2', { default: 1 }), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04' });
      assert.match(bootstrapNames(hh.logs)[1] ?? '', /^lattice-bootstrap-[0-9a-f]{6}$/);
      // 2026-01 keeps `lattice-bootstrap`.
      await install({ infra: hh.infra, cluster: clusterManifest('r3'), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-01', latticeRunId: 'a1b2c3' });
      assert.equal(bootstrapNames(hh.logs)[2], 'lattice-bootstrap');
      // lattice uninstall at 2026-04: lattice-uninstall-<runId> (uninstall.rs:137-140); 2026-01: lattice-uninstall.
      const lines: string[] = [];
      await uninstall({ infra: hh.infra, cluster: 'r1', name: 'r1', log: (l) => lines.push(l), timeoutMs: 20_000, latticeRunId: 'd4e5f6' });
      await uninstall({ infra: hh.infra, cluster: 'r2', name: 'r2', log: (l) => lines.push(l), timeoutMs: 20_000 });
      await uninstall({ infra: hh.infra, cluster: 'r3', name: 'r3', log: (l) => lines.push(l), timeoutMs: 20_000 });
      const kinds = lines.map((l) => /^Creating uninstall cluster "([^"]+)"/.exec(l)?.[1]).filter(Boolean);
      assert.equal(kinds[0], 'lattice-uninstall-d4e5f6');
      assert.match(kinds[1] ?? '', /^lattice-uninstall-[0-9a-f]{6}$/);
      assert.equal(kinds[2], 'lattice-uninstall');
      assert.deepEqual(hh.infra.names(), []);
    } finally { await hh.dispose(); }
  });
});

describe('2026-04 lifecycle: a child deleting itself through its own API', () => {
  it('goes Unpivoting, ships its CAPI objects back, and the parent removes it (deletion.rs:267-380)', async () => {
    const parent = await install0404(h, cluster0404('p3', { default: 1 }, { parent: true }));
    parent.create(cluster0404('c3', { default: 1 }, { parent: true }));
    await waitForPhase(parent, 'c3', 'Pivoted');
    const c3 = storeOf(h, 'c3');
    await until(c3, 'Node', () => workerNodes(c3).length === 1, 'the child\'s worker');
    assert.ok(c3.get('v1', 'Service', 'lattice-cell', 'lattice-system'), 'a cell without children has its cell Service');
    // A child's own copy carries the finalizer (it has a parent, controller/mod.rs:86-112).
    assert.deepEqual(lcOf(c3, 'c3')?.metadata.finalizers, ['lattice.dev/unpivot']);
    c3.delete(LC_API, LC, 'c3');
    const unpivoting = await waitForPhase(c3, 'c3', 'Unpivoting');
    assert.equal(unpivoting?.status?.message, 'Agent sending CAPI resources to parent');
    assert.equal(c3.get('v1', 'Service', 'lattice-cell', 'lattice-system'), undefined, 'the cell Service is deleted before Unpivoting');
    await waitForGone(parent, LC_API, LC, 'c3', undefined, 20_000);
    assert.equal(h.infra.has('c3'), false, 'the child\'s machines are gone');
  });
});

describe('2026-04 lifecycle: the InfraProvider a child names', () => {
  it('missing: the child gets no status until it exists in lattice-system (pending.rs:131-152); children receive their parent\'s', async () => {
    const parent = await install0404(h, cluster0404('p4', { default: 1 }, { parent: true }));
    const orphan = cluster0404('c4', { default: 1 }, { parent: true });
    orphan.spec.providerRef = 'docker-b';
    parent.create(orphan);
    await until(parent, LC, () => (lcOf(parent, 'c4')?.metadata.finalizers ?? []).length === 1, 'the finalizer on c4');
    await simulate(DURATIONS.providerInstall * 4);
    assert.equal(lcOf(parent, 'c4')?.status, undefined, 'no phase while InfraProvider docker-b is missing');
    parent.create({ apiVersion: LC_API, kind: 'InfraProvider', metadata: { name: 'docker-b', namespace: 'lattice-system' }, spec: { type: 'docker' } });
    await waitForPhase(parent, 'c4', 'Pivoted');
    // The child got its parent's InfraProviders with its bootstrap manifests.
    const c4 = storeOf(h, 'c4');
    assert.deepEqual(c4.list(LC_API, 'InfraProvider', { namespace: 'lattice-system' }).items.map((o) => o.metadata.name).sort(), ['docker', 'docker-b']);
  });
});
