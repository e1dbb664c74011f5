/**
 * The lifecycle on every fixture provider: a child created on its parent goes (no status, i.e. Pending) →
 * Provisioning → Pivoting → Ready with facts §1.2 conditions, the parent holds the CAPI objects and
 * the kubeconfig secret, the pivot moves them into the child, which owns itself, scales its workers
 * and rewrites its own kubeconfig secret to the in-cluster address.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CAPI, LC, LC_API, clusterManifest, decodeSecret, installMgmt, newHarness, recordPhases, storeOf,
  waitForPhase, waitUntil, workerNodes, type Provider,
} from './harness.js';

const CASES: Array<{ provider: Provider; bootstrap: 'kubeadm' | 'rke2'; workers: number; infraApi: string; infraKind: string; host?: string }> = [
  { provider: 'docker', bootstrap: 'kubeadm', workers: 1, infraApi: 'infrastructure.cluster.x-k8s.io/v1beta2', infraKind: 'DockerCluster', host: '172.18.255.10' },
  { provider: 'aws', bootstrap: 'kubeadm', workers: 1, infraApi: 'infrastructure.cluster.x-k8s.io/v1beta2', infraKind: 'AWSCluster' },
  { provider: 'openstack', bootstrap: 'rke2', workers: 1, infraApi: 'infrastructure.cluster.x-k8s.io/v1beta1', infraKind: 'OpenStackCluster' },
  { provider: 'proxmox', bootstrap: 'rke2', workers: 2, infraApi: 'infrastructure.cluster.x-k8s.io/v1alpha1', infraKind: 'ProxmoxCluster', host: '10.0.0.201' },
];

for (const c of CASES) {
  describe(`lifecycle on ${c.provider} (child bootstrapped with ${c.bootstrap})`, () => {
    const h = newHarness();
    after(() => h.dispose());

    it('installs a self-managing management cluster that serves a cell', async () => {
      const mgmt = await installMgmt(h, clusterManifest('e2e-mgmt', { provider: c.provider, parent: true, host: c.host }));
      const own = mgmt.get(LC_API, LC, 'e2e-mgmt');
      assert.equal(own?.status?.phase, 'Ready');
      assert.equal(own?.metadata.finalizers, undefined, 'a root gets no unpivot finalizer');
      assert.ok(mgmt.get(CAPI, 'Cluster', 'e2e-mgmt', 'capi-e2e-mgmt'), 'the management cluster holds its own CAPI Cluster');
      assert.equal(h.infra.has('lattice-bootstrap'), false, 'the bootstrap cluster is removed');
      const cell = mgmt.get('v1', 'Service', 'lattice-cell', 'lattice-system');
      assert.equal(cell?.spec?.type, 'LoadBalancer');
      assert.deepEqual([cell?.metadata.labels, cell?.spec?.selector], [{ app: 'lattice-operator' }, { app: 'lattice-operator' }], 'controller.rs:487-503');
      assert.deepEqual(cell?.spec?.ports.map((p: { name: string; port: number }) => `${p.name}:${p.port}`), ['bootstrap:8443', 'grpc:50051']);
      if (c.host) assert.equal(cell?.spec?.loadBalancerIP, c.host);
      assert.equal(mgmt.get('v1', 'Secret', 'lattice-parent-config', 'lattice-system'), undefined, 'a root has no parent config');
    });

    it('drives a child through Pending, Provisioning, Pivoting, Ready and pivots its CAPI objects', async () => {
      const mgmt = storeOf(h, 'e2e-mgmt');
      const rec = recordPhases(mgmt, 'e2e-workload');
      let capturedKubeconfig: string | undefined;
      const stopCapture = mgmt.watch('v1', 'Secret', { namespace: 'capi-e2e-workload' }, (e) => {
        if (e.object.metadata.name === 'e2e-workload-kubeconfig') capturedKubeconfig ??= decodeSecret(e.object, 'value');
      });
      mgmt.create(clusterManifest('e2e-workload', { provider: c.provider, bootstrap: c.bootstrap, workers: c.workers }));
      const ready = await waitForPhase(mgmt, 'e2e-workload', 'Ready');
      rec.stop();
      stopCapture();
      assert.deepEqual(rec.phases, ['(none)', 'Provisioning', 'Pivoting', 'Ready'], 'no status counts as Pending; Pending is never written');
      assert.deepEqual(rec.conditions, ['-', 'Provisioning/True/StartingProvisioning', 'Pivoting/True/StartingPivot', 'Ready/True/ClusterReady']);
      assert.equal(ready?.status?.pivotComplete, true);
      assert.equal(ready?.status?.conditions.length, 1, 'every phase write replaces the conditions with one');
      assert.match(capturedKubeconfig ?? '', /server: https:\/\/127\.0\.0\.1:\d+/, 'the parent\'s secret reaches the child from the host');

      // The parent keeps its copies (facts §2.2).
      const ns = 'capi-e2e-workload';
      const cp = c.bootstrap === 'rke2' ? ['controlplane.cluster.x-k8s.io/v1beta1', 'RKE2ControlPlane'] : ['controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane'];
      for (const store of [mgmt, storeOf(h, 'e2e-workload')]) {
        const cluster = store.get(CAPI, 'Cluster', 'e2e-workload', ns);
        assert.equal(cluster?.metadata.labels?.['cluster.x-k8s.io/cluster-name'], 'e2e-workload');
        assert.equal(cluster?.metadata.labels?.['app.kubernetes.io/managed-by'], 'lattice');
        assert.ok(store.get(CAPI, 'MachineDeployment', 'e2e-workload-md-0', ns), 'MachineDeployment <name>-md-0');
        assert.ok(store.get(cp[0], cp[1], 'e2e-workload-control-plane', ns), `${cp[1]} <name>-control-plane`);
        assert.ok(store.get(c.infraApi, c.infraKind, 'e2e-workload', ns), `${c.infraKind} at ${c.infraApi}`);
        assert.ok(store.list(CAPI, 'Machine', { namespace: ns }).items.length >= 1, 'Machines');
      }
    });

    it('gives the child its own copy, parent config, and an in-cluster kubeconfig secret', async () => {
      const child = storeOf(h, 'e2e-workload');
      const own = await waitForPhase(child, 'e2e-workload', 'Ready');
      assert.deepEqual(own?.metadata.finalizers, ['lattice.dev/unpivot']);
      assert.equal(decodeSecret(child.get('v1', 'Secret', 'lattice-parent-config', 'lattice-system'), 'parent_cluster'), 'e2e-mgmt');
      assert.ok(child.get('apps/v1', 'Deployment', 'lattice-operator', 'lattice-system'));
      assert.ok(child.get('apps/v1', 'Deployment', 'capi-controller-manager', 'capi-system'));
      const rewritten = decodeSecret(child.get('v1', 'Secret', 'e2e-workload-kubeconfig', 'capi-e2e-workload'), 'value');
      assert.match(rewritten ?? '', /server: https:\/\/kubernetes\.default\.svc:443/);
      const onParent = decodeSecret(storeOf(h, 'e2e-mgmt').get('v1', 'Secret', 'e2e-workload-kubeconfig', 'capi-e2e-workload'), 'value');
      assert.match(onParent ?? '', /127\.0\.0\.1/, 'the parent\'s copy still reaches the child');
    });

    it('scales the child\'s workers from zero after the pivot, with the requested kubelet version', async () => {
      const child = storeOf(h, 'e2e-workload');
      await waitUntil(child, 'v1', 'Node', () => workerNodes(child).length === c.workers, `${c.workers} Ready workers`);
      for (const n of workerNodes(child)) assert.equal(n.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
      const cps = child.list('v1', 'Node', { labelSelector: 'node-role.kubernetes.io/control-plane' }).items;
      assert.equal(cps.length, 1);
      assert.ok(cps[0].spec?.taints?.some((t: { key: string }) => t.key === 'node-role.kubernetes.io/control-plane'), 'control planes stay tainted');
      assert.equal(child.get(CAPI, 'MachineDeployment', 'e2e-workload-md-0', 'capi-e2e-workload')?.spec?.replicas, c.workers);
    });
  });
}
