/**
 * Real kubectl 1.32 against the embedded API server: every command the suite and the Rust e2e
 * tests run (get/apply/create/patch/delete/wait/logs/exec, selectors, output formats).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { createStore, registerKinds, startApiServer, type ApiServer, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { ensureKubectl, kubectl as runKubectl } from '../helpers/kubectl.js';
import { createFakeRuntime } from '../helpers/fake-runtime.js';

let store: ObjectStore;
let server: ApiServer;
let dir: string;
let kc: string;
const k = (...args: string[]) => runKubectl(kc, args);

/** Follows a condition on the event loop, with a deadline naming what was awaited. */
async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const node = (name: string, ready: boolean, controlPlane: boolean): KubeObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
});

const clusterYaml = (name: string, workers: number) => `apiVersion: lattice.dev/v1alpha1
kind: LatticeCluster
metadata:
  name: ${name}
spec:
  provider:
    kubernetes:
      version: "1.32.0"
      certSANs: ["127.0.0.1", "localhost"]
    config:
      docker: {}
  nodes:
    controlPlane: 1
    workers: ${workers}
`;

before(async () => {
  ensureKubectl();
  store = createStore();
  registerKinds(store);
  for (const n of [node('mgmt-cp-1', true, true), node('mgmt-md-0-a', true, false), node('mgmt-md-0-b', false, false)]) store.create(n);
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capi-e2e-mgmt' } });
  store.create({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'e2e-mgmt', namespace: 'capi-e2e-mgmt', labels: { 'cluster.x-k8s.io/cluster-name': 'e2e-mgmt' } }, spec: {} });
  store.create({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', metadata: { name: 'e2e-mgmt-md-0', namespace: 'capi-e2e-mgmt' }, spec: { clusterName: 'e2e-mgmt', replicas: 0 } });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'media' } });
  store.create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'jellyfin-0', namespace: 'media', labels: { 'app.kubernetes.io/name': 'jellyfin' } },
    spec: { containers: [{ name: 'main', image: 'jellyfin' }, { name: 'sidecar', image: 'busybox' }] },
    status: { phase: 'Running' },
  });
  const runtime = createFakeRuntime({ 'media/jellyfin-0': { main: ['starting', 'listening on 8096', 'ready'], sidecar: ['side'] } });
  server = await startApiServer({ store, clusterName: 'e2e-mgmt', hooks: runtime });
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-kubectl-test-'));
  kc = join(dir, 'kubeconfig');
  writeFileSync(kc, server.kubeconfig());
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('get latticeclusters and its short name lc print the Phase/Provider/K8s/Age columns', async () => {
  writeFileSync(join(dir, 'lc.yaml'), clusterYaml('e2e-mgmt', 1));
  assert.equal((await k('apply', '-f', join(dir, 'lc.yaml'))).code, 0);
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-mgmt', undefined, { status: { phase: 'Ready' } }, 'status');
  for (const resource of ['latticeclusters', 'lc', 'latticecluster.lattice.dev']) {
    const r = await k('get', resource);
    assert.equal(r.code, 0, r.stderr);
    const [header, row] = r.stdout.trim().split('\n');
    assert.deepEqual(header.split(/\s+/), ['NAME', 'PHASE', 'PROVIDER', 'K8S', 'AGE']);
    assert.match(row, /^e2e-mgmt\s+Ready\s+1\.32\.0\s+\d+s$/, 'Provider is blank: .spec.provider.type does not exist');
  }
});

test('get clusters -A resolves the CAPI Cluster and lists it with its namespace', async () => {
  const r = await k('get', 'clusters', '-A');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAMESPACE\s+NAME\s/);
  assert.match(r.stdout, /\ncapi-e2e-mgmt\s+e2e-mgmt\s/);
  const md = await k('get', 'md', '-n', 'capi-e2e-mgmt', '-o', 'name');
  assert.equal(md.stdout.trim(), 'machinedeployment.cluster.x-k8s.io/e2e-mgmt-md-0');
});

test('get nodes with a negated label selector lists only workers, with Ready status', async () => {
  const r = await k('get', 'nodes', '-l', '!node-role.kubernetes.io/control-plane');
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/));
  assert.deepEqual(rows.map((x) => [x[0], x[1]]), [['mgmt-md-0-a', 'Ready'], ['mgmt-md-0-b', 'NotReady']]);
  const all = await k('get', 'nodes');
  assert.match(all.stdout, /mgmt-cp-1\s+Ready\s+control-plane\s+\S+\s+v1\.32\.0/);
  const ready = await k('get', 'nodes', '-o', `jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}`);
  assert.deepEqual(ready.stdout.trim().split('\n'), ['mgmt-cp-1=True', 'mgmt-md-0-a=True', 'mgmt-md-0-b=False']);
});

test('-o yaml, -o json and -o name', async () => {
  const y = yaml.load((await k('get', 'lc', 'e2e-mgmt', '-o', 'yaml')).stdout) as KubeObject;
  assert.equal(y.kind, 'LatticeCluster');
  assert.equal(y.spec.nodes.workers, 1);
  assert.ok(y.metadata.uid);
  const j = JSON.parse((await k('get', 'lc', '-o', 'json')).stdout);
  assert.equal(j.kind, 'List');
  assert.deepEqual(j.items.map((i: KubeObject) => i.metadata.name), ['e2e-mgmt']);
  const n = await k('get', 'lc', 'e2e-mgmt', '-o', 'name');
  assert.equal(n.stdout.trim(), 'latticecluster.lattice.dev/e2e-mgmt');
  const missing = await k('get', 'lc', 'nope', '-o', 'name');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFound.*latticeclusters.lattice.dev "nope" not found/);
});

test('apply -f creates, is idempotent, then configures; create -f of an existing object fails with AlreadyExists', async () => {
  const file = join(dir, 'wl.yaml');
  writeFileSync(file, clusterYaml('e2e-workload', 1) + '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: capi-e2e-workload\n');
  let r = await k('apply', '-f', file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-workload created/);
  assert.match(r.stdout, /namespace\/capi-e2e-workload created/);
  r = await k('apply', '-f', file);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-workload unchanged/);
  writeFileSync(file, clusterYaml('e2e-workload', 2));
  r = await k('apply', '-f', file);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-workload configured/);
  const lc = store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload')!;
  assert.equal(lc.spec.nodes.workers, 2);
  assert.equal(lc.metadata.generation, 2);
  r = await k('create', '-f', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /AlreadyExists.*latticeclusters.lattice.dev "e2e-workload" already exists/);
  writeFileSync(join(dir, 'wl2.yaml'), clusterYaml('e2e-workload2', 1));
  r = await k('create', '-f', join(dir, 'wl2.yaml'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-workload2 created/);
});

test('a malformed LatticeService or LatticeCluster is rejected with 422 naming the fields', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeService\nmetadata:\n  name: bad\n  namespace: media\nspec:\n  containers:\n    main: { command: [sh] }\n  resources:\n    api: { type: service, direction: sideways }\n');
  const r = await k('apply', '-f', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The LatticeService "bad" is invalid/);
  assert.match(r.stderr, /spec\.containers\.main\.image: Required value/);
  assert.match(r.stderr, /spec\.resources\.api\.direction: Unsupported value: "sideways"/);
  writeFileSync(file, 'apiVersion: lattice.dev/v1alpha1\nkind: LatticeCluster\nmetadata:\n  name: no-nodes\nspec:\n  provider:\n    kubernetes: { version: "1.32.0" }\n    config: { docker: {} }\n');
  const c = await k('create', '-f', file);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /spec\.nodes: Required value/);
});

test('patch --type=merge changes the spec and bumps the generation', async () => {
  const before = store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-mgmt')!;
  const r = await k('patch', 'latticecluster', 'e2e-mgmt', '--type=merge', '-p', '{"spec":{"nodes":{"workers":3}}}');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-mgmt patched/);
  const after = store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-mgmt')!;
  assert.equal(after.spec.nodes.workers, 3);
  assert.equal(after.metadata.generation, (before.metadata.generation ?? 0) + 1);
  assert.equal(after.status.phase, 'Ready', 'a spec patch keeps the status');
  const s = await k('patch', 'lc', 'e2e-mgmt', '--subresource=status', '--type=merge', '-p', '{"status":{"message":"hi"}}');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-mgmt')!.status.message, 'hi');
  const j = await k('patch', 'md', 'e2e-mgmt-md-0', '-n', 'capi-e2e-mgmt', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1}]');
  assert.equal(j.code, 0, j.stderr);
  const sc = await k('scale', 'md', 'e2e-mgmt-md-0', '-n', 'capi-e2e-mgmt', '--replicas=2');
  assert.equal(sc.code, 0, sc.stderr);
  assert.equal(store.get('cluster.x-k8s.io/v1beta2', 'MachineDeployment', 'e2e-mgmt-md-0', 'capi-e2e-mgmt')!.spec.replicas, 2);
});

test('wait --for=jsonpath follows a phase change made while it waits', async () => {
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload', undefined, { status: { phase: 'Provisioning' } }, 'status');
  const waiting = k('wait', '--for=jsonpath={.status.phase}=Ready', 'latticecluster/e2e-workload', '--timeout=20s');
  // The phase moves only once kubectl is watching, so the watch path is what is tested.
  await until(() => server.connections().watches > 0, 'kubectl wait to open its watch');
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload', undefined, { status: { phase: 'Pivoting' } }, 'status');
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload', undefined, { status: { phase: 'Ready' } }, 'status');
  const r = await waiting;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latticecluster.lattice.dev\/e2e-workload condition met/);
  const t = await runKubectl(kc, ['wait', '--for=jsonpath={.status.phase}=Failed', 'lc/e2e-workload', '--timeout=1s']);
  assert.notEqual(t.code, 0, 'a condition never met times out');
});

test('delete removes an object; with a finalizer it waits until the finalizer goes', async () => {
  let r = await k('delete', 'latticecluster', 'e2e-workload2');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload2'), undefined);
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload', undefined, { metadata: { finalizers: ['lattice.dev/unpivot'] } });
  const deleting = k('delete', 'latticecluster', 'e2e-workload', '--timeout=20s');
  // The finalizer holder (here: the test) removes it once the deletion is marked.
  await new Promise<void>((resolve) => {
    const stop = store.watch('lattice.dev/v1alpha1', 'LatticeCluster', { fieldSelector: 'metadata.name=e2e-workload' }, (e) => {
      if (e.object.metadata.deletionTimestamp) { stop(); resolve(); }
    });
  });
  assert.ok(store.get('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload'), 'still there while the finalizer is set');
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-workload', undefined, { metadata: { finalizers: null } });
  r = await deleting;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latticecluster.lattice.dev "e2e-workload" deleted/);
  const gone = await k('get', 'latticecluster', 'e2e-workload', '-o', 'name');
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /not found/);
  r = await k('delete', 'ns', 'capi-e2e-workload');
  assert.equal(r.code, 0, r.stderr);
});

test('logs reads the pod log through the runtime hooks with container and tail', async () => {
  let r = await k('logs', '-n', 'media', 'jellyfin-0', '-c', 'main', '--tail=2');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'listening on 8096\nready\n');
  r = await k('logs', '-n', 'media', 'jellyfin-0', '-c', 'sidecar');
  assert.equal(r.stdout, 'side\n');
  r = await k('logs', '-n', 'media', 'jellyfin-0', '-c', 'nope');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /container nope is not valid for pod jellyfin-0/);
});

test('exec runs through the websocket protocol: output, stdin and exit codes', async () => {
  let r = await k('exec', '-n', 'media', 'jellyfin-0', '-c', 'main', '--', 'echo', 'hello', 'mesh');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello mesh\n');
  r = await k('exec', '-n', 'media', 'jellyfin-0', '-c', 'main', '--', 'fail', '3', 'boom');
  assert.equal(r.code, 3, 'kubectl exits with the remote exit code');
  assert.match(r.stderr, /boom/);
  r = await runKubectl(kc, ['exec', '-i', '-n', 'media', 'jellyfin-0', '-c', 'main', '--', 'cat'], { input: 'through stdin\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'through stdin\n');
  r = await k('exec', '-n', 'media', 'nosuchpod', '--', 'echo');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /pods "nosuchpod" not found/);
});

test('a wrong token is refused with 401', async () => {
  const bad = join(dir, 'bad-token');
  writeFileSync(bad, server.kubeconfig().replace(server.token, 'not-the-token'));
  const r = await runKubectl(bad, ['get', 'lc']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Unauthorized/);
});

test('create namespace|secret|configmap (kubectl sends protobuf) and get -w (Table watch)', async () => {
  let r = await k('create', 'namespace', 'lattice-system');
  assert.equal(r.code, 0, r.stderr);
  r = await k('create', 'secret', 'generic', 'aws-credentials', '-n', 'lattice-system', '--from-literal=AWS_REGION=us-west-2');
  assert.equal(r.code, 0, r.stderr);
  const secretData = store.get('v1', 'Secret', 'aws-credentials', 'lattice-system')!.data as Record<string, string>;
  assert.equal(Buffer.from(secretData.AWS_REGION, 'base64').toString(), 'us-west-2');
  r = await k('create', 'configmap', 'settings', '-n', 'lattice-system', '--from-literal=mode=fast');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(store.get('v1', 'ConfigMap', 'settings', 'lattice-system')!.data, { mode: 'fast' });
  r = await k('create', 'deployment', 'd', '--image=x');
  assert.notEqual(r.code, 0, 'protobuf bodies of other kinds are refused');
  assert.match(r.stderr, /UnsupportedMediaType|unknown format/);

  const watching = runKubectl(kc, ['get', 'lc', 'e2e-mgmt', '-w', '--request-timeout=5s']);
  await until(() => server.connections().watches > 0, 'kubectl get -w to open its watch');
  store.mergePatch('lattice.dev/v1alpha1', 'LatticeCluster', 'e2e-mgmt', undefined, { status: { phase: 'Unpivoting' } }, 'status');
  const w = await watching;
  const rows = w.stdout.trim().split('\n');
  assert.match(rows[0], /^NAME\s+PHASE/);
  assert.ok(rows.some((l) => /^e2e-mgmt\s+Unpivoting\s/.test(l)), w.stdout);
});
