import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaitTimeoutError } from '../../../support/errors.js';
import { openCluster, KubeconfigError, type ClusterClient } from '../../../support/kube/clients.js';
import { CapiKubeconfigError, getCapiCluster, getMachineDeployment, listCapiClusters, readCapiKubeconfig, waitForCapiKubeconfig } from '../../../support/kube/capi.js';
import { writeKubeconfigFile } from '../../../support/kube/kubeconfig-file.js';
import { countReadyWorkers, listNodesSummary, waitForReadyWorkers } from '../../../support/kube/nodes.js';
import { backoffDelay, describeApiError, isTransientApiError } from '../../../support/kube/retry.js';
import { startFakeApiServer, type FakeApiServer } from '../../helpers/fake-apiserver.js';

const NODES = '/api/v1/nodes';
const CP = 'node-role.kubernetes.io/control-plane';

function node(name: string, opts: { cp?: boolean; ready?: 'True' | 'False' | 'Unknown'; version?: string } = {}) {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.cp ? { [CP]: '' } : {}) } },
    status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: opts.ready ?? 'True' }], nodeInfo: { kubeletVersion: opts.version ?? 'v1.32.0' } },
  };
}

async function setup(t: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; client: ClusterClient }> {
  const server = await startFakeApiServer(t);
  return { server, client: openCluster(await server.writeKubeconfig('e2e-workload')) };
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('ready workers exclude control-plane and NotReady nodes', async (t) => {
  const { server, client } = await setup(t);
  server.put(NODES, node('cp-1', { cp: true }));
  server.put(NODES, node('md-0-a'));
  server.put(NODES, node('md-0-b', { ready: 'False' }));
  server.put(NODES, node('md-0-c', { ready: 'Unknown' }));
  server.put(NODES, node('md-0-d'));
  assert.equal(await countReadyWorkers(client), 2);
  assert.equal(server.requestsTo(NODES)[0]!.query.get('labelSelector'), `!${CP}`);
  const summary = await listNodesSummary(client);
  assert.deepEqual(summary[0], { name: 'cp-1', roles: ['control-plane'], ready: true, kubeletVersion: 'v1.32.0' });
  assert.deepEqual(summary.map((n) => `${n.name}:${n.roles.join('+')}:${n.ready}`), ['cp-1:control-plane:true', 'md-0-a:worker:true', 'md-0-b:worker:false', 'md-0-c:worker:false', 'md-0-d:worker:true']);
});

test('waitForReadyWorkers follows nodes becoming Ready and times out naming the count', async (t) => {
  const { server, client } = await setup(t);
  server.put(NODES, node('cp-1', { cp: true }));
  server.put(NODES, node('md-0-a', { ready: 'False' }));
  const wait = waitForReadyWorkers(client, { atLeast: 2, timeoutMs: 5000, intervalMs: 60_000 });
  await server.waitForWatch();
  server.put(NODES, node('md-0-a'));
  server.put(NODES, node('cp-2', { cp: true }));
  server.put(NODES, node('md-0-b'));
  assert.equal(await wait, 2);
  const short = waitForReadyWorkers(client, { atLeast: 3, timeoutMs: 1500, intervalMs: 60_000 });
  await server.waitForWatch(undefined, 2);
  await assert.rejects(short, (err: unknown) => {
    assert.ok(err instanceof WaitTimeoutError);
    assert.match(err.message, /worker nodes of e2e-workload to be at least 3 Ready; last seen: 2\/2 workers Ready: md-0-a\(Ready\), md-0-b\(Ready\)/);
    return true;
  });
});

test('the CAPI kubeconfig secret is decoded from data.value', async (t) => {
  const { server, client } = await setup(t);
  const kubeconfig = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://172.18.255.20:6443\n  name: e2e-workload\n';
  server.put('/api/v1/namespaces/capi-e2e-workload/secrets', {
    metadata: { name: 'e2e-workload-kubeconfig', namespace: 'capi-e2e-workload' }, data: { value: Buffer.from(kubeconfig).toString('base64') },
  });
  assert.equal(await readCapiKubeconfig(client, 'e2e-workload'), kubeconfig);
  assert.equal(await waitForCapiKubeconfig(client, 'e2e-workload', { timeoutMs: 2000, intervalMs: 50 }), kubeconfig);
});

test('a missing CAPI kubeconfig secret is a clear error naming namespace/secret and cluster', async (t) => {
  const { server, client } = await setup(t);
  await assert.rejects(readCapiKubeconfig(client, 'e2e-workload'), (err: unknown) => {
    assert.ok(err instanceof CapiKubeconfigError);
    assert.match(err.message, /^CAPI kubeconfig secret capi-e2e-workload\/e2e-workload-kubeconfig on e2e-workload not found; read it while the child is Provisioning\/Pivoting/);
    return true;
  });
  server.put('/api/v1/namespaces/capi-e2e-workload/secrets', { metadata: { name: 'e2e-workload-kubeconfig', namespace: 'capi-e2e-workload' }, data: { other: 'eA==' } });
  await assert.rejects(readCapiKubeconfig(client, 'e2e-workload'), /has no data.value/);
});

test('CAPI Cluster, MachineDeployment and the all-namespace cluster list are read from capi-<name>', async (t) => {
  const { server, client } = await setup(t);
  server.put('/apis/cluster.x-k8s.io/v1beta2/namespaces/capi-e2e-workload/clusters', { kind: 'Cluster', metadata: { name: 'e2e-workload', namespace: 'capi-e2e-workload' }, status: { phase: 'Provisioned' } });
  server.put('/apis/cluster.x-k8s.io/v1beta2/namespaces/capi-e2e-workload/machinedeployments', { kind: 'MachineDeployment', metadata: { name: 'e2e-workload-md-0', namespace: 'capi-e2e-workload' }, spec: { replicas: 2 } });
  server.put('/apis/cluster.x-k8s.io/v1beta2/clusters', { kind: 'Cluster', metadata: { name: 'e2e-workload', namespace: 'capi-e2e-workload' } });
  server.put('/apis/cluster.x-k8s.io/v1beta2/clusters', { kind: 'Cluster', metadata: { name: 'e2e-mgmt', namespace: 'capi-e2e-mgmt' } });
  assert.equal((await getCapiCluster(client, 'e2e-workload'))?.status?.phase, 'Provisioned');
  assert.equal(await getCapiCluster(client, 'e2e-workload2'), undefined);
  assert.equal((await getMachineDeployment(client, 'e2e-workload'))?.spec?.replicas, 2);
  assert.deepEqual((await listCapiClusters(client)).map((c) => c.metadata?.name).sort(), ['e2e-mgmt', 'e2e-workload']);
});

test('openCluster names a missing or invalid kubeconfig without echoing its contents', async (t) => {
  const dir = await tempDir(t);
  assert.throws(() => openCluster(join(dir, 'nope')), (err: unknown) => err instanceof KubeconfigError && /kubeconfig .*nope does not exist/.test(err.message));
  const bad = join(dir, 'bad');
  await writeFile(bad, 'users:\n- name: x\n  user:\n    client-key-data: SECRETKEYMATERIAL\n   broken: [\n');
  assert.throws(() => openCluster(bad), (err: unknown) => {
    assert.ok(err instanceof KubeconfigError);
    assert.match(err.message, /kubeconfig .*bad is not valid YAML/);
    assert.doesNotMatch(err.message, /SECRETKEYMATERIAL/);
    return true;
  });
  const noContext = join(dir, 'nocontext');
  await writeFile(noContext, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  assert.throws(() => openCluster(noContext), /has no usable current context/);
});

test('openCluster gives one handle per cluster with every API', async (t) => {
  const { server } = await setup(t);
  const c = openCluster(await server.writeKubeconfig('ctx-a'), 'child-1');
  assert.equal(c.name, 'child-1');
  assert.equal(openCluster(c.kubeconfigPath).name, 'ctx-a');
  for (const api of [c.core, c.apps, c.custom, c.objects]) assert.ok(api);
});

test('writeKubeconfigFile writes mode 0600, creating the folder, and tightens an existing file', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'run', 'clusters', 'e2e-workload.kubeconfig');
  await writeKubeconfigFile(path, 'a: 1\n');
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.equal(await readFile(path, 'utf8'), 'a: 1\n');
  const loose = join(dir, 'loose');
  await writeFile(loose, 'x', { mode: 0o644 });
  await writeKubeconfigFile(loose, 'b: 2\n');
  assert.equal((await stat(loose)).mode & 0o777, 0o600);
});

test('transient errors are network errors, 429 and 5xx only', () => {
  assert.equal(isTransientApiError({ statusCode: 503 }), true);
  assert.equal(isTransientApiError({ statusCode: 429 }), true);
  assert.equal(isTransientApiError({ statusCode: 409 }), false);
  assert.equal(isTransientApiError({ statusCode: 404 }), false);
  assert.equal(isTransientApiError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isTransientApiError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })), false);
  assert.equal(describeApiError('GET nodes', Object.assign(new Error('request to http://127.0.0.1:1/api failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    'GET nodes: network error ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
  for (let attempt = 1; attempt < 12; attempt++) assert.ok(backoffDelay(attempt, 100, 1000) <= 1200);
  assert.ok(backoffDelay(3, 100, 10_000) >= 320);
});

test('a refused connection is retried, then reported as a network error', async (t) => {
  const client = await (async () => {
    const dir = await tempDir(t);
    const path = join(dir, 'k');
    await writeFile(path, 'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t0k3n\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n');
    return openCluster(path);
  })();
  let retries = 0;
  await assert.rejects(countReadyWorkers(client, { retry: { attempts: 2, baseDelayMs: 5, onRetry: () => retries++ } }), /: LIST nodes: network error ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9 \(after 2 attempts\); the cluster's API does not answer/);
  assert.equal(retries, 1);
});
