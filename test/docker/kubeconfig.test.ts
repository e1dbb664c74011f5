// The Docker provider's kubeconfig path against a real engine: read out of the control plane by
// exec (kubeadm and rke2 paths, late files), re-pointed at the lb's published port, written 0600.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { DockerInfrastructureError, DockerProvider } from '../../support/providers/docker.js';
import { kubeconfigServers } from '../../support/kube/kubeconfig-file.js';
import { WaitTimeoutError } from '../../support/errors.js';
import { probeDockerEngine, requireEngine, skipUnlessEngine } from '../helpers/docker-engine.js';
import { DockerTestBed, sampleKubeconfig } from '../helpers/docker-testbed.js';
import { tcpEcho } from '../helpers/docker-net.js';
import * as yaml from 'js-yaml';

const gate = await probeDockerEngine();

describe('docker provider: kubeconfig of a CAPD cluster', { skip: skipUnlessEngine(gate) }, () => {
  let docker: Docker; let bed: DockerTestBed; let workDir: string;
  const logs: string[] = [];
  const provider = (extra: Partial<ConstructorParameters<typeof DockerProvider>[0]> = {}): DockerProvider =>
    new DockerProvider({ workDir, kubeconfigAttempts: 20, kubeconfigIntervalMs: 250, log: (l) => logs.push(l), ...extra });

  before(async () => {
    docker = requireEngine(gate);
    bed = new DockerTestBed(docker);
    workDir = await mkdtemp(join(tmpdir(), 'lattice-docker-kc-'));
  });
  after(async () => {
    const left = await bed?.cleanup();
    await rm(workDir, { recursive: true, force: true });
    assert.deepEqual(left ?? [], [], 'every container and network of the test run is removed');
  });

  it('kubeadm: reads admin.conf, re-points every cluster entry at the lb port, writes it 0600, and the server reaches the listener', async () => {
    const name = `${bed.runId}-kubeadm`;
    const original = sampleKubeconfig(name, ['https://172.18.0.3:6443', 'https://10.0.0.1:6443']);
    await bed.cluster(name, { capdLabels: true, kubeconfig: original, workers: 2 });

    const path = await provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' });

    assert.equal(path, join(workDir, `${name}-kubeconfig`));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const text = await readFile(path, 'utf8');
    const lbPort = (await docker.getContainer(`${name}-lb`).inspect()).NetworkSettings.Ports['6443/tcp']![0]!.HostPort;
    assert.deepEqual(kubeconfigServers(text), [`https://127.0.0.1:${lbPort}`, `https://127.0.0.1:${lbPort}`]);
    // Only `server` changed: users, contexts and CA data are the control plane's.
    const before = yaml.load(original) as Record<string, unknown>; const now = yaml.load(text) as Record<string, unknown>;
    assert.deepEqual(now.users, before.users);
    assert.deepEqual(now.contexts, before.contexts);
    assert.equal((now.clusters as Array<{ cluster: Record<string, string> }>)[1]!.cluster['certificate-authority-data'], 'Q0EtJHt0YWd9');
    for (const server of kubeconfigServers(text)) {
      assert.equal(await tcpEcho(server, `ping-${name}\n`), `ping-${name}\n`, 'a TCP round trip through the published port reaches the lb listener');
    }
  });

  it('rke2: reads /etc/rancher/rke2/rke2.yaml from a name-only (unlabelled) control plane', async () => {
    const name = `${bed.runId}-rke2`;
    await bed.cluster(name, { capdLabels: false, bootstrap: 'rke2', kubeconfig: sampleKubeconfig(name, ['https://127.0.0.1:6443']) });
    const path = await provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'rke2' });
    const text = await readFile(path, 'utf8');
    assert.match(text, new RegExp(`name: ${name}-admin`));
    const [server] = kubeconfigServers(text);
    assert.match(server!, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server, 'https://127.0.0.1:6443');
    assert.equal(await tcpEcho(server!, 'rke2\n'), 'rke2\n');
  });

  it('keeps reading while admin.conf is not there yet, and succeeds once it appears', async () => {
    const name = `${bed.runId}-late`;
    await bed.loadBalancer(name, { capdLabels: true });
    await bed.controlPlane(name, { capdLabels: true, kubeconfig: sampleKubeconfig(name), delayS: 2 });
    logs.length = 0;
    const started = Date.now();
    const path = await provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' });
    assert.ok(Date.now() - started >= 1_000, 'the read waited for the file');
    assert.ok(logs.some((l) => l.includes('/etc/kubernetes/admin.conf not readable yet') && l.includes(`${name}-control-plane-`)), `retries were logged: ${logs.join(' | ')}`);
    assert.match(await readFile(path, 'utf8'), new RegExp(`${name}-admin`));
  });

  it('times out naming the container and the path when the kubeconfig never appears', async () => {
    const name = `${bed.runId}-never`;
    await bed.loadBalancer(name, { capdLabels: true });
    const cp = await bed.controlPlane(name, { capdLabels: true });
    const cpName = (await cp.inspect()).Name.replace(/^\//, '');
    await assert.rejects(provider({ kubeconfigAttempts: 3, kubeconfigIntervalMs: 100 }).kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' }), (err: unknown) => {
      assert.ok(err instanceof WaitTimeoutError, String(err));
      assert.match(err.message, new RegExp(`/etc/kubernetes/admin\\.conf in container ${cpName}`));
      assert.match(err.message, /3 attempts/);
      assert.match(err.message, /No such file/);
      return true;
    });
  });

  it('says clearly that the cluster has no control-plane container', async () => {
    const name = `${bed.runId}-nocp`;
    await bed.loadBalancer(name, { capdLabels: false });
    await assert.rejects(provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' }), (err: unknown) => {
      assert.ok(err instanceof DockerInfrastructureError);
      assert.match(err.message, new RegExp(`cluster ${name} has no control-plane container`));
      return true;
    });
  });

  it('says clearly that the lb publishes no port for 6443/tcp', async () => {
    const name = `${bed.runId}-noport`;
    await bed.loadBalancer(name, { capdLabels: true, publish: false });
    await bed.controlPlane(name, { capdLabels: true, kubeconfig: sampleKubeconfig(name) });
    await assert.rejects(provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' }), (err: unknown) => {
      assert.ok(err instanceof DockerInfrastructureError);
      assert.match(err.message, new RegExp(`container ${name}-lb publishes no host port for 6443/tcp`));
      return true;
    });
  });

  it('says clearly that the cluster has no lb container', async () => {
    const name = `${bed.runId}-nolb`;
    await bed.controlPlane(name, { capdLabels: true, kubeconfig: sampleKubeconfig(name) });
    await assert.rejects(provider().kubeconfigFor({ name, provider: 'docker', bootstrap: 'kubeadm' }), /has no load balancer container/);
  });
});
