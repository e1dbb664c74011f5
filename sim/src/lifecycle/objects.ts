/** Small builders for the Kubernetes objects the lifecycle writes (deployments, nodes, secrets). */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { StoreError } from '../apiserver/types.js';

export function ensureNamespace(store: ObjectStore, name: string, labels?: Record<string, string>): void {
  if (!store.get('v1', 'Namespace', name)) {
    try { store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } }); }
    catch (e) { if (!(e instanceof StoreError && e.code === 409)) throw e; }
  }
}

/** A controller Deployment that is up (the "pod" behind it is the simulated controller itself). */
export function readyDeployment(namespace: string, name: string, image: string, env: Record<string, string> = {}): KubeObject {
  const labels = { 'app.kubernetes.io/name': name, 'control-plane': 'controller-manager' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'manager', image, env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }] },
      },
    },
    status: {
      observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }],
    },
  };
}

/** Upserts a deployment and its namespace, keeping a running one untouched. */
export function ensureDeployment(store: ObjectStore, dep: KubeObject): void {
  ensureNamespace(store, dep.metadata.namespace!);
  if (!store.get('apps/v1', 'Deployment', dep.metadata.name, dep.metadata.namespace)) {
    const created = store.create(dep);
    store.updateStatus({ ...created, status: dep.status });
  }
}

export function secret(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>, type = 'Opaque'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export function secretValue(obj: KubeObject | undefined, key: string): string | undefined {
  const v = (obj?.data as Record<string, string> | undefined)?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

export interface NodeInput {
  name: string;
  role: 'control-plane' | 'worker';
  version: string;
  address: string;
  providerID: string;
  /** What the kubelet registers with (`--node-labels`, `--register-with-taints`). */
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

/** A Ready Node as the kubelet registers it. */
export function readyNode(n: NodeInput): KubeObject {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, status: string, reason: string, message: string) =>
    ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64',
        ...(n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...(n.labels ?? {}),
      },
    },
    spec: {
      providerID: n.providerID,
      ...(n.role === 'control-plane' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
      ...(n.taints?.length ? { taints: n.taints } : {}),
    },
    status: {
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: n.address }, { type: 'Hostname', address: n.name }],
      capacity: { cpu: '4', memory: '8023452Ki', pods: '110', 'ephemeral-storage': '61255492Ki' },
      allocatable: { cpu: '4', memory: '7921052Ki', pods: '110', 'ephemeral-storage': '61255492Ki' },
      nodeInfo: {
        kubeletVersion: `v${n.version}`, kubeProxyVersion: `v${n.version}`,
        containerRuntimeVersion: 'containerd://1.7.24', osImage: 'Ubuntu 24.04.1 LTS', kernelVersion: '6.8.0-sim',
        operatingSystem: 'linux', architecture: 'amd64', machineID: n.name, systemUUID: n.name, bootID: n.name,
      },
    },
  };
}

/** Copy of an object fit for creating elsewhere (what `clusterctl move` carries). */
export function portable(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, deletionTimestamp: _d, ownerReferences: _o, ...meta } = c.metadata;
  c.metadata = meta as KubeObject['metadata'];
  return c;
}

export function now(): string { return new Date().toISOString().replace(/\.\d+Z$/, 'Z'); }
