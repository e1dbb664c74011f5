/**
 * The Lattice CRDs' structural schemas prune what they do not define, on every kind of write, as a
 * real API server does (no Lattice CRD sets x-kubernetes-preserve-unknown-fields at 1236706e).
 * AWS `cpSubnetIds`/`workerSubnetIds` (removed upstream in 4558829e) and a Proxmox `secretRef` vanish.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../src/apiserver/store.js';
import { registerKinds } from '../../src/kinds/index.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { awsClusterSpec } from '../../src/lifecycle/capi-manifests.js';

const LC = 'lattice.dev/v1alpha1';

const awsCluster = (): KubeObject => ({
  apiVersion: LC, kind: 'LatticeCluster', metadata: { name: 'aws-mgmt', labels: { keep: 'me' } },
  spec: {
    provider: {
      kubernetes: { version: '1.32.0', certSANs: ['127.0.0.1'], madeUp: 1 },
      config: { aws: { region: 'us-west-2', cpInstanceType: 'm5.xlarge', workerInstanceType: 'm5.large', sshKeyName: 'k', vpcId: 'vpc-1', subnetIds: ['s-1'], cpSubnetIds: ['s-2'], workerSubnetIds: ['s-3'] } },
    },
    nodes: { controlPlane: 1, workers: 2 },
    parentConfig: { host: '10.0.0.1', grpcPort: 50051, bootstrapPort: 8443, service: { type: 'LoadBalancer' }, extra: true },
    unknownTop: { a: 1 },
  },
  notAField: 'x',
});

const proxmoxConfig = { controlPlaneEndpoint: '10.0.0.100', ipv4Pool: { range: '10.0.0.101-105/24', gateway: '10.0.0.1' }, cpCores: 4, cpMemoryMib: 8192, cpDiskSizeGb: 50, workerCores: 4, workerMemoryMib: 8192, workerDiskSizeGb: 50 };

test('create prunes unknown fields at the top of spec, nested in provider blocks and at the root; known fields stay', () => {
  const s = createStore(); registerKinds(s, { crds: false });
  const stored = s.create(awsCluster());
  assert.deepEqual(stored.spec.provider.config.aws, { region: 'us-west-2', cpInstanceType: 'm5.xlarge', workerInstanceType: 'm5.large', sshKeyName: 'k', vpcId: 'vpc-1', subnetIds: ['s-1'] });
  assert.deepEqual(stored.spec.provider.kubernetes, { version: '1.32.0', certSANs: ['127.0.0.1'] });
  assert.deepEqual(stored.spec.parentConfig, { host: '10.0.0.1', grpcPort: 50051, bootstrapPort: 8443, service: { type: 'LoadBalancer' } });
  assert.equal('unknownTop' in stored.spec, false);
  assert.equal('notAField' in stored, false);
  assert.deepEqual(stored.metadata.labels, { keep: 'me' }, 'metadata is not pruned by the schema');
  assert.deepEqual(s.get(LC, 'LatticeCluster', 'aws-mgmt')!.spec, stored.spec, 'what is read back is the pruned object');
});

test('update, merge patch and status writes prune too; a patch adding only unknown fields changes nothing', () => {
  const s = createStore(); registerKinds(s, { crds: false });
  const c = s.create({ apiVersion: LC, kind: 'LatticeCluster', metadata: { name: 'pve' }, spec: { provider: { kubernetes: { version: '1.32.0' }, config: { proxmox: proxmoxConfig } }, nodes: { controlPlane: 1, workers: 1 } } });

  const updated = s.update({ ...c, spec: { ...c.spec, provider: { ...c.spec.provider, config: { proxmox: { ...proxmoxConfig, secretRef: { name: 'pve-creds' } } } } } });
  assert.equal('secretRef' in updated.spec.provider.config.proxmox, false, 'config.proxmox.secretRef is not a Lattice field');
  assert.equal(updated.metadata.generation, 1, 'an update that only adds unknown fields is no spec change');

  const patched = s.mergePatch(LC, 'LatticeCluster', 'pve', undefined, { spec: { nodes: { workers: 3, spare: 2 }, provider: { config: { proxmox: { secretRef: { name: 'x' }, bridge: 'vmbr1' } } } } });
  assert.deepEqual(patched.spec.nodes, { controlPlane: 1, workers: 3 });
  assert.equal(patched.spec.provider.config.proxmox.bridge, 'vmbr1', 'a known optional field stays');
  assert.equal('secretRef' in patched.spec.provider.config.proxmox, false);
  assert.equal(patched.metadata.generation, 2);

  const st = s.mergePatch(LC, 'LatticeCluster', 'pve', undefined, { status: { phase: 'Ready', pivotComplete: true, madeUp: 'x' } }, 'status');
  assert.deepEqual(st.status, { phase: 'Ready', pivotComplete: true });
});

test('LatticeService and LatticeExternalService prune unknown fields at any depth, keeping free-form params', () => {
  const s = createStore(); registerKinds(s, { crds: false });
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'm' } });
  const svc = s.create({
    apiVersion: LC, kind: 'LatticeService', metadata: { name: 'api', namespace: 'm' },
    spec: {
      containers: { main: { image: 'nginx', imagePullPolicy: 'Always', readinessProbe: { httpGet: { path: '/', port: 80 }, tcpSocket: { port: 80 } } } },
      resources: { db: { type: 'service', params: { anything: { goes: 1 } }, weight: 3 } },
      service: { ports: { http: { port: 80, appProtocol: 'http' } } },
      nodeSelector: { a: 'b' },
    },
  });
  assert.deepEqual(svc.spec, {
    containers: { main: { image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 80 } } } },
    resources: { db: { type: 'service', params: { anything: { goes: 1 } } } },
    service: { ports: { http: { port: 80 } } },
  });
  const ext = s.create({ apiVersion: LC, kind: 'LatticeExternalService', metadata: { name: 'e', namespace: 'm' }, spec: { endpoints: { api: 'https://x' }, allowedRequesters: ['*'], tls: true } });
  assert.deepEqual(ext.spec, { endpoints: { api: 'https://x' }, allowedRequesters: ['*'] });
});

test('a malformed known field is still refused (422) after pruning', () => {
  const s = createStore(); registerKinds(s, { crds: false });
  const bad = awsCluster();
  bad.spec.provider.config.aws.subnetIds = 'not-a-list';
  assert.throws(() => s.create(bad), (e: { code?: number; message?: string }) => e.code === 422 && /spec\.provider\.config\.aws\.subnetIds/.test(e.message ?? ''));
});

test('a pruned AWS cluster yields an AWSCluster with the VPC and subnetIds only (PROV/aws.rs:58-113)', () => {
  const s = createStore(); registerKinds(s, { crds: false });
  const stored = s.create(awsCluster());
  assert.deepEqual((awsClusterSpec(stored.spec.provider.config.aws).network as { vpc: unknown; subnets: unknown }).subnets, [{ id: 's-1' }]);
  const noVpc = awsClusterSpec({ region: 'r', sshKeyName: 'k', cpSubnetIds: ['x'] });
  assert.equal('vpc' in (noVpc.network as object), false);
  assert.equal('subnets' in (noVpc.network as object), false);
});
