/**
 * A store with nodes and a running services runtime, for the target's own tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/apiserver/store.js';
import { registerKinds } from '../../src/kinds/index.js';
import type { KubeObject, ObjectStore } from '../../src/apiserver/types.js';
import { setFaults, type FaultName } from '../../src/faults.js';
import { startServiceRuntime, type ServiceRuntime } from '../../src/services/index.js';
import type { ApiVersion } from '../../src/versions/index.js';

export interface World { store: ObjectStore; runtime: ServiceRuntime; workDir: string; stop(): Promise<void> }

export function node(name: string, opts: { controlPlane?: boolean; version?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.10' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: opts.version ?? 'v1.31.0', kubeProxyVersion: opts.version ?? 'v1.31.0', osImage: 'lattice-sim', containerRuntimeVersion: 'containerd://1.7' },
    },
  };
}

export interface WorldOptions { workers?: number; faults?: FaultName[]; namespaces?: string[]; apiVersion?: ApiVersion }

/**
 * A cluster's store with its CRDs, one control-plane node and `workers` workers, and a running
 * services runtime. At 2026-04 workers are named after the default pool and `lattice-system`
 * exists (where Cedar policies count).
 */
export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  setFaults(new Set(opts.faults ?? []));
  const v2026_04 = opts.apiVersion === '2026-04';
  const store = createStore();
  registerKinds(store, { crds: false, ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}) });
  store.create(node('sim-control-plane', { controlPlane: true }));
  for (let i = 0; i < (opts.workers ?? 1); i++) store.create(node(`${v2026_04 ? 'sim-pool-default' : 'sim-md-0'}-${i}`));
  for (const ns of [...(v2026_04 ? ['lattice-system'] : []), ...(opts.namespaces ?? [])]) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const workDir = mkdtempSync(join(tmpdir(), v2026_04 ? 'lattice-sim-services-2604-' : 'lattice-sim-services-'));
  const runtime = await startServiceRuntime({ clusterName: 'test', store, workDir });
  return {
    store, runtime, workDir,
    async stop() {
      await runtime.stop();
      setFaults(new Set());
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export { until } from '../helpers/until.js';

export function runningPods(store: ObjectStore, namespace: string, labelSelector?: string): KubeObject[] {
  return store.list('v1', 'Pod', { namespace, labelSelector }).items.filter((p) => p.status?.phase === 'Running'
    && (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
}

export function podOf(store: ObjectStore, namespace: string, svc: string): KubeObject | undefined {
  return runningPods(store, namespace, `app.kubernetes.io/name=${svc}`)[0];
}

/** Runs a command in the pod of a service through the exec hook. */
export async function execIn(w: World, namespace: string, svc: string, command: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const pod = podOf(w.store, namespace, svc);
  if (!pod) throw new Error(`no running pod for ${namespace}/${svc}`);
  let stdout = '';
  let stderr = '';
  const code = await w.runtime.hooks.podExec({ namespace, pod: pod.metadata.name, command }, { stdout: (b) => { stdout += b.toString(); }, stderr: (b) => { stderr += b.toString(); } });
  return { code, stdout, stderr };
}

export function applyAll(store: ObjectStore, objs: KubeObject[]) { for (const o of objs) store.apply(o); }
