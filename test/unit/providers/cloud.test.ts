import { getEventListeners } from 'node:events';
// The cloud kubeconfig path against a loopback stand-in for the parent's API: the CAPI secret is
// external during Provisioning/Pivoting and rewritten to the in-cluster address after the pivot.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudProvider, UnsupportedOnCloudError } from '../../../support/providers/cloud.js';
import { KubeconfigCaptureError, isInClusterServer } from '../../../support/providers/cloud-capture.js';
import { kubeconfigServers } from '../../../support/kube/kubeconfig-file.js';
import { PrerequisiteError, WaitTimeoutError } from '../../../support/errors.js';
import type { ClusterRef } from '../../../support/providers/types.js';
import { FakeParentApi } from './cloud-apiserver.js';
import { waitUntil } from '../../helpers/wait-until.js';

const LC = '/apis/lattice.dev/v1alpha1/latticeclusters';
const secrets = (name: string) => `/api/v1/namespaces/capi-${name}/secrets`;
const capiClusters = (name: string) => `/apis/cluster.x-k8s.io/v1beta2/namespaces/capi-${name}/clusters`;
const EXTERNAL = 'https://203.0.113.10:6443';
const IN_CLUSTER = 'https://kubernetes.default.svc:443';

function kubeconfigText(server: string): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: Q0E=\nusers:\n- name: admin\n  user:\n    token: t\ncontexts:\n- name: c\n  context: { cluster: c, user: admin }\ncurrent-context: c\n`;
}

describe('cloud provider: capturing a child\'s kubeconfig from its parent', () => {
  let api: FakeParentApi; let parentKubeconfig: string; let workDir: string; let n = 0;
  let child: string; let ref: ClusterRef;
  const providers: CloudProvider[] = [];
  const provider = (extra: Partial<ConstructorParameters<typeof CloudProvider>[0]> = {}): CloudProvider => {
    const p = new CloudProvider({ workDir, intervalMs: 60_000, captureTimeoutMs: 10_000, ...extra });
    providers.push(p);
    return p;
  };
  const setPhase = (phase: string | undefined, message?: string) => api.put(LC, { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: child }, ...(phase ? { status: { phase, ...(message ? { message } : {}) } } : {}) });
  const setSecret = (server: string) => api.put(secrets(child), { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${child}-kubeconfig`, namespace: `capi-${child}` }, data: { value: Buffer.from(kubeconfigText(server)).toString('base64') } });
  const watchCount = () => api.requests.filter((r) => r.includes('watch=true')).length;
  const until = (what: string, check: () => boolean, timeoutMs = 5_000) => waitUntil(`test setup: ${what}`, check, timeoutMs, 10);

  before(async () => {
    api = await new FakeParentApi().start();
    parentKubeconfig = await api.writeKubeconfig('e2e-mgmt');
    workDir = await mkdtemp(join(tmpdir(), 'cloud-provider-'));
  });
  beforeEach(() => {
    child = `e2e-workload-${++n}`;
    ref = { name: child, provider: 'aws', bootstrap: 'kubeadm', parentKubeconfig };
  });
  after(async () => {
    for (const p of providers) await p.sweep({});
    await api.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('captures during Provisioning and keeps that copy after the pivot rewrites the secret', async () => {
    setPhase('Provisioning'); setSecret(EXTERNAL);
    const p = provider();
    const path = await p.kubeconfigFor(ref);
    assert.equal(path, join(workDir, `${child}-kubeconfig`));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(kubeconfigServers(await readFile(path, 'utf8')), [EXTERNAL]);

    setPhase('Pivoting'); setSecret(IN_CLUSTER); setPhase('Ready');
    assert.equal(await p.kubeconfigFor(ref), path);
    assert.deepEqual(kubeconfigServers(await readFile(path, 'utf8')), [EXTERNAL], 'the rewritten secret did not overwrite the capture');
  });

  it('a finished capture leaves no listener on the run\'s signal (it outlives every capture)', async () => {
    setPhase('Provisioning'); setSecret(EXTERNAL);
    const run = new AbortController();
    const p = provider();
    p.beginCapture(ref, run.signal);
    assert.equal(getEventListeners(run.signal, 'abort').length, 1, 'listening while capturing');
    await p.kubeconfigFor(ref);
    assert.equal(getEventListeners(run.signal, 'abort').length, 0);
  });

  it('follows the parent\'s watch events from Pending to the secret\'s appearance (no poll within the test)', async () => {
    setPhase(undefined);
    const p = provider({ intervalMs: 600_000 });
    const before = watchCount();
    p.beginCapture(ref);
    await until('two watches opened', () => watchCount() >= before + 2);
    setPhase('Provisioning');
    setSecret(EXTERNAL);
    const path = await p.kubeconfigFor(ref);
    // Rewrite right after: had the capture not happened on the events, it would now find only the in-cluster copy.
    setPhase('Pivoting'); setSecret(IN_CLUSTER); setPhase('Ready');
    assert.deepEqual(kubeconfigServers(await readFile(path, 'utf8')), [EXTERNAL]);
  });

  it('captures a secret that appears only while Pivoting', async () => {
    setPhase('Provisioning');
    const p = provider({ intervalMs: 600_000 });
    p.beginCapture(ref);
    setPhase('Pivoting');
    setSecret(EXTERNAL);
    assert.deepEqual(kubeconfigServers(await readFile(await p.kubeconfigFor(ref), 'utf8')), [EXTERNAL]);
  });

  it('fails clearly when the child is Ready and nothing was captured', async () => {
    setPhase('Ready'); setSecret(IN_CLUSTER);
    await assert.rejects(provider().kubeconfigFor(ref), (err: unknown) => {
      assert.ok(err instanceof KubeconfigCaptureError, String(err));
      assert.match(err.message, new RegExp(`^${child} reached Ready on e2e-mgmt before its kubeconfig was captured from capi-${child}/${child}-kubeconfig on e2e-mgmt`));
      assert.match(err.message, /start the capture when the child is created/);
      return true;
    });
  });

  it('never takes an already rewritten secret, and fails once the child is Ready (also without anyone waiting yet)', async () => {
    setPhase('Pivoting'); setSecret(IN_CLUSTER);
    const p = provider({ intervalMs: 600_000 });
    p.beginCapture(ref);
    await until('watches opened', () => api.requests.some((r) => r.includes(`capi-${child}/secrets?`) && r.includes('watch=true')));
    setPhase('Ready');
    await new Promise((r) => setTimeout(r, 100)); // an unhandled rejection here would fail the run
    await assert.rejects(p.kubeconfigFor(ref), KubeconfigCaptureError);
    assert.equal(await readFile(join(workDir, `${child}-kubeconfig`), 'utf8').catch(() => 'absent'), 'absent');
  });

  it('fails with Lattice\'s message when the child reaches Failed', async () => {
    setPhase('Failed', 'control plane count must be odd');
    await assert.rejects(provider().kubeconfigFor(ref), /reached Failed on e2e-mgmt before its kubeconfig could be captured: control plane count must be odd/);
  });

  it('times out naming the secret and the last phase seen', async () => {
    setPhase('Pending');
    await assert.rejects(provider({ captureTimeoutMs: 300, intervalMs: 50 }).kubeconfigFor(ref), (err: unknown) => {
      assert.ok(err instanceof WaitTimeoutError);
      assert.match(err.message, new RegExp(`kubeconfig of ${child} in capi-${child}/${child}-kubeconfig on e2e-mgmt to be captured; last seen: phase Pending`));
      return true;
    });
  });

  it('asks for the parent kubeconfig of a child, and uses the installer\'s file for a root cluster', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'installer-'));
    try {
      const p = provider({ installerKubeconfigDir: dir });
      await assert.rejects(p.kubeconfigFor({ name: 'e2e-mgmt', provider: 'aws', bootstrap: 'kubeadm' }), (err: unknown) => err instanceof PrerequisiteError && err.message.includes(`no kubeconfig for root cluster e2e-mgmt at ${join(dir, 'e2e-mgmt-kubeconfig')}`));
      await writeFile(join(dir, 'e2e-mgmt-kubeconfig'), kubeconfigText(EXTERNAL), { mode: 0o600 });
      assert.equal(await p.kubeconfigFor({ name: 'e2e-mgmt', provider: 'aws', bootstrap: 'kubeadm' }), join(dir, 'e2e-mgmt-kubeconfig'));
      assert.throws(() => p.beginCapture({ name: child, provider: 'aws', bootstrap: 'kubeadm' }), /cluster e2e-workload-\d+ has no parent kubeconfig/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to destroy machines, and waits for the CAPI Cluster to leave the parent instead', async () => {
    const p = provider({ intervalMs: 50 });
    assert.equal(p.canDestroyInfrastructure, false);
    await assert.rejects(p.destroyInfrastructure(ref), (err: unknown) => err instanceof UnsupportedOnCloudError && /not supported on aws/.test(err.message));

    api.put(capiClusters(child), { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: child, namespace: `capi-${child}` } });
    await assert.rejects(p.infrastructureGone(ref, 300), (err: unknown) => err instanceof WaitTimeoutError && err.message.includes(`CAPI Cluster capi-${child}/${child} on e2e-mgmt to be gone`));
    const gone = p.infrastructureGone(ref, 5_000);
    setTimeout(() => api.remove(capiClusters(child), child), 100);
    await gone;
  });

  it('sweep stops captures and removes the captured files', async () => {
    setPhase('Provisioning'); setSecret(EXTERNAL);
    const p = provider();
    const path = await p.kubeconfigFor(ref);
    const lines = await p.sweep({ names: [child] });
    assert.deepEqual(lines, [`stopped kubeconfig capture of ${child}`, `removed ${path}`]);
    await assert.rejects(stat(path), /ENOENT/);
  });

  it('recognises the in-cluster addresses a pivoted child uses', () => {
    assert.equal(isInClusterServer(IN_CLUSTER), true);
    assert.equal(isInClusterServer('https://kubernetes.default.svc.cluster.local'), true);
    assert.equal(isInClusterServer(EXTERNAL), false);
    assert.equal(isInClusterServer('https://127.0.0.1:6443'), false);
  });
});
