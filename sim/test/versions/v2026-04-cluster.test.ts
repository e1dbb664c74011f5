/**
 * A cluster serving Lattice API 2026-04 (b5d50e90), seen by real kubectl 1.32 and raw HTTPS: the 18
 * CRDs and no latticeexternalservices; LatticeCluster's schema (old-shape objects refused with
 * "Required value" / "must be of type object", unknown fields pruned) and the validate.lattice.dev
 * webhook's refusals with upstream's text, on create and on update (parentConfig kept).
 * A 2026-01 cluster next to it still serves exactly its three Lattice CRDs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, registerKinds, startApiServer, type ApiServer } from '../../src/apiserver/index.js';
import { callApi } from '../helpers/api-call.js';
import { ensureKubectl, kubectl } from '../helpers/kubectl.js';

const COLLECTION = '/apis/lattice.dev/v1alpha1/latticeclusters';
let dir: string;
let v04: ApiServer;
let v01: ApiServer;
let kc04: string;
let kc01: string;

async function serve(apiVersion: '2026-01' | '2026-04', name: string): Promise<[ApiServer, string]> {
  const store = createStore();
  registerKinds(store, { apiVersion });
  const server = await startApiServer({ store, clusterName: name });
  const kc = join(dir, `${name}.kubeconfig`);
  writeFileSync(kc, server.kubeconfig());
  return [server, kc];
}

before(async () => {
  ensureKubectl();
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-v2026-04-'));
  [v04, kc04] = await serve('2026-04', 'e2e-v0404');
  [v01, kc01] = await serve('2026-01', 'e2e-v0401');
});
after(async () => {
  await v04?.stop();
  await v01?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The smallest LatticeCluster b5d50e90 accepts, with `spec` overrides. */
const cluster = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name },
  spec: {
    providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
    provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } },
    nodes: { controlPlane: { replicas: 1 }, workerPools: { default: { replicas: 1 } } },
    ...spec,
  },
});

const call = callApi;

const DENIED = 'admission webhook "validate.lattice.dev" denied the request: ';

test('2026-04 serves the 18 Lattice CRDs of b5d50e90 and not latticeexternalservices; 2026-01 its three', async () => {
  const crds04 = await kubectl(kc04, ['get', 'crd', '-o', 'name']);
  assert.equal(crds04.code, 0, crds04.stderr);
  const lattice04 = crds04.stdout.split('\n').filter((l) => l.endsWith('.lattice.dev')).map((l) => l.replace('customresourcedefinition.apiextensions.k8s.io/', '')).sort();
  assert.deepEqual(lattice04, [
    'backupstores', 'cedarpolicies', 'certissuers', 'dnsproviders', 'imageproviders', 'infraproviders', 'latticeclusterbackups',
    'latticeclusterroutes', 'latticeclusters', 'latticejobs', 'latticemeshmembers', 'latticemodels', 'latticepackages',
    'latticequotas', 'latticerestores', 'latticeservices', 'oidcproviders', 'secretproviders',
  ].map((p) => `${p}.lattice.dev`));
  const crds01 = await kubectl(kc01, ['get', 'crd', '-o', 'name']);
  assert.deepEqual(crds01.stdout.split('\n').filter((l) => l.endsWith('.lattice.dev')).sort(), [
    'customresourcedefinition.apiextensions.k8s.io/latticeclusters.lattice.dev',
    'customresourcedefinition.apiextensions.k8s.io/latticeexternalservices.lattice.dev',
    'customresourcedefinition.apiextensions.k8s.io/latticeservices.lattice.dev',
  ]);
  const res = await kubectl(kc04, ['api-resources', '--api-group=lattice.dev', '--no-headers']);
  assert.equal(res.code, 0, res.stderr);
  const rows = new Map(res.stdout.trim().split('\n').map((l) => { const f = l.trim().split(/\s+/); return [f[0], f]; }));
  assert.equal(rows.size, 18);
  assert.ok(!rows.has('latticeexternalservices'));
  assert.deepEqual(rows.get('infraproviders'), ['infraproviders', 'lattice.dev/v1alpha1', 'true', 'InfraProvider']);
  assert.deepEqual(rows.get('latticeclusters'), ['latticeclusters', 'lc', 'lattice.dev/v1alpha1', 'false', 'LatticeCluster']);
  assert.deepEqual(rows.get('latticepackages'), ['latticepackages', 'lpkg', 'lattice.dev/v1alpha1', 'true', 'LatticePackage']);
  assert.deepEqual(rows.get('latticeclusterroutes'), ['latticeclusterroutes', 'lcr', 'lattice.dev/v1alpha1', 'false', 'LatticeClusterRoutes']);
  const ext = await kubectl(kc04, ['get', 'latticeexternalservices', '-A']);
  assert.notEqual(ext.code, 0);
  assert.match(ext.stderr, /the server doesn't have a resource type "latticeexternalservices"/);
});

test('2026-04: a b5d50e90 LatticeCluster is created (kubectl) and unknown fields are pruned', async () => {
  const file = join(dir, 'ok.yaml');
  writeFileSync(file, JSON.stringify(cluster('e2e-ok', { nodes: { controlPlane: { replicas: 3 }, workerPools: { 'zone-a': { replicas: 2, labels: { rack: '1' } } } } })));
  const res = await kubectl(kc04, ['create', '-f', file]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout.trim(), 'latticecluster.lattice.dev/e2e-ok created');
  const got = await kubectl(kc04, ['get', 'lc', 'e2e-ok', '-o', 'jsonpath={.spec.nodes.controlPlane.replicas} {.spec.nodes.workerPools.zone-a.replicas} {.spec.providerRef}']);
  assert.equal(got.stdout, '3 2 docker');
  // `nodes.workers` of 2026-01 is not in the schema: pruned, not refused (docs/LATTICE-2026-04.md correction 7).
  const pruned = await call(v04, 'POST', COLLECTION, cluster('e2e-pruned', { nodes: { controlPlane: { replicas: 1 }, workers: 2 } }));
  assert.equal(pruned.code, 201, JSON.stringify(pruned.body));
  assert.deepEqual(pruned.body.spec.nodes, { controlPlane: { replicas: 1 } });
});

test('2026-04: a 2026-01-shaped LatticeCluster is refused by the schema, before the webhook', async () => {
  const old = {
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeCluster', metadata: { name: 'e2e-old' },
    spec: { provider: { kubernetes: { version: '1.32.0' }, config: { docker: {} } }, nodes: { controlPlane: 1, workers: 1 } },
  };
  const file = join(dir, 'old.yaml');
  writeFileSync(file, JSON.stringify(old));
  // kubectl's default Strict field validation would name `nodes.workers` first; Warn prunes it and the schema speaks.
  const res = await kubectl(kc04, ['create', '--validate=warn', '-f', file]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /The LatticeCluster "e2e-old" is invalid:/);
  assert.match(res.stderr, /spec\.providerRef: Required value/);
  assert.match(res.stderr, /spec\.latticeImage: Required value/);
  assert.match(res.stderr, /spec\.nodes\.controlPlane: Invalid value: "integer": spec\.nodes\.controlPlane in body must be of type object: "integer"/);
  assert.doesNotMatch(res.stderr, /admission webhook/);
  // The same file is what 2026-01 accepts.
  const ok01 = await kubectl(kc01, ['create', '-f', file]);
  assert.equal(ok01.code, 0, ok01.stderr);
});

test('2026-04: the webhook refuses invalid specs on create with upstream\'s text (kubectl shows the denial)', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ providerRef: '' }, 'provider_ref cannot be empty'],
    [{ nodes: { controlPlane: { replicas: 0 } } }, 'control plane count must be at least 1'],
    [{ nodes: { controlPlane: { replicas: 2 } } }, 'control plane count must be odd for HA (1, 3, 5, ...)'],
    [{ nodes: { controlPlane: { replicas: 1 }, workerPools: { Zone_A: { replicas: 1 } } } }, "worker pool id 'Zone_A' is not a valid DNS label (must be lowercase alphanumeric with hyphens, max 63 chars)"],
    [{ nodes: { controlPlane: { replicas: 1 }, workerPools: { gpu: { replicas: 1, min: 3, max: 2 } } } }, "worker pool 'gpu': min (3) cannot exceed max (2)"],
    [{ nodes: { controlPlane: { replicas: 1 }, workerPools: { gpu: { replicas: 1, min: 1 } } } }, "worker pool 'gpu': min and max must both be set or both unset"],
    [{ nodes: { controlPlane: { replicas: 1 }, workerPools: { gpu: { replicas: 0, min: 0, max: 2 } } } }, "worker pool 'gpu': scale-from-zero (min=0) requires instance_type to be set"],
    [{ nodes: { controlPlane: { replicas: 1 }, workerPools: { gpu: { replicas: 0, min: 0, max: 2, instanceType: { name: 'm5.large' } } } } }, "worker pool 'gpu': scale-from-zero with named instance types requires capacity hints"],
    [{ parentConfig: { grpcPort: 8443, service: { type: 'LoadBalancer' } } }, 'grpc_port and bootstrap_port must be distinct'],
    [{ parentConfig: { proxyPort: 50051, service: { type: 'LoadBalancer' } } }, 'grpc_port and proxy_port must be distinct'],
    [{ parentConfig: { bootstrapPort: 8081, service: { type: 'LoadBalancer' } } }, 'bootstrap_port and proxy_port must be distinct'],
    [{ parentConfig: { proxyPort: 0, service: { type: 'LoadBalancer' } } }, 'proxy_port must be non-zero'],
    [{ parentConfig: { service: { type: 'ExternalName' } } }, 'service type must be LoadBalancer, NodePort, or ClusterIP, got: ExternalName'],
    [{ parentConfig: { service: { type: 'LoadBalancer' }, certPolicy: { minLifespanHours: 0 } } }, 'certPolicy.minLifespanHours must be at least 1'],
    [{ parentConfig: { service: { type: 'LoadBalancer' }, certPolicy: { minLifespanHours: 48, maxLifespanHours: 24 } } }, 'certPolicy.minLifespanHours (48) must be <= maxLifespanHours (24)'],
    [{ parentConfig: { service: { type: 'LoadBalancer' }, certPolicy: { defaultLifespanHours: 10 } } }, 'certPolicy.defaultLifespanHours (10) must be between min (24) and max (8760)'],
    [{ issuers: { public: '' } }, "issuers['public']: CertIssuer reference cannot be empty"],
  ];
  for (const [i, [spec, message]] of cases.entries()) {
    const r = await call(v04, 'POST', COLLECTION, cluster(`e2e-bad-${i}`, spec));
    assert.equal(r.code, 400, `${message}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.message, DENIED + message);
    assert.equal(r.body.reason, '');
    assert.equal((await call(v04, 'GET', `${COLLECTION}/e2e-bad-${i}`)).code, 404, `nothing stored for ${message}`);
  }
  const file = join(dir, 'even.yaml');
  writeFileSync(file, JSON.stringify(cluster('e2e-even', { nodes: { controlPlane: { replicas: 2 } } })));
  const res = await kubectl(kc04, ['apply', '-f', file]);
  assert.equal(res.code, 1);
  assert.equal(res.stderr.trim(), `Error from server: error when creating "${file}": ${DENIED}control plane count must be odd for HA (1, 3, 5, ...)`);
});

test('2026-04: parentConfig may be added, but not changed or removed (kubectl patch)', async () => {
  const made = await call(v04, 'POST', COLLECTION, cluster('e2e-cell', { parentConfig: { service: { type: 'LoadBalancer' } } }));
  assert.equal(made.code, 201, JSON.stringify(made.body));
  // Writing the defaults out is no change (serde fills them before comparing).
  const same = await kubectl(kc04, ['patch', 'lc', 'e2e-cell', '--type=merge', '-p', '{"spec":{"parentConfig":{"grpcPort":50051}}}']);
  assert.equal(same.code, 0, same.stderr);
  const changed = await kubectl(kc04, ['patch', 'lc', 'e2e-cell', '--type=merge', '-p', '{"spec":{"parentConfig":{"grpcPort":50052}}}']);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /denied the request: spec\.parentConfig is immutable once set\. Delete and recreate the cluster to change parent configuration\./);
  const removed = await kubectl(kc04, ['patch', 'lc', 'e2e-cell', '--type=merge', '-p', '{"spec":{"parentConfig":null}}']);
  assert.equal(removed.code, 1);
  assert.match(removed.stderr, /denied the request: spec\.parentConfig cannot be removed once set\. Delete and recreate the cluster\./);
  const leaf = await call(v04, 'POST', COLLECTION, cluster('e2e-leaf'));
  assert.equal(leaf.code, 201);
  const promoted = await kubectl(kc04, ['patch', 'lc', 'e2e-leaf', '--type=merge', '-p', '{"spec":{"parentConfig":{"service":{"type":"ClusterIP"}}}}']);
  assert.equal(promoted.code, 0, promoted.stderr);
  // UPDATE re-runs validate() first (cluster.rs:24-26).
  const even = await kubectl(kc04, ['patch', 'lc', 'e2e-leaf', '--type=merge', '-p', '{"spec":{"nodes":{"controlPlane":{"replicas":4}}}}']);
  assert.equal(even.code, 1);
  assert.match(even.stderr, /denied the request: control plane count must be odd for HA/);
});
