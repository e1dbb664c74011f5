/**
 * Worker pools at b5d50e90 (lattice-capi/src/provider/mod.rs:472-474, :503-660, :833-990): each
 * `spec.nodes.workerPools.<id>` gets a MachineDeployment, a bootstrap config template and an
 * infrastructure machine template, all named `<cluster>-pool-<id>`. The MachineDeployment starts at
 * `replicas: 0` (omitted when min/max are set: the autoscaler owns it); the config template registers
 * the kubelet with `node-labels` = the pool's labels + `lattice.dev/pool=<id>` and
 * `register-with-taints` = the pool's taints (+ `nvidia.com/gpu=present:NoSchedule` for a GPU
 * instance type without that taint, types.rs:590-612).
 */
import type { KubeObject } from '../../../apiserver/types.js';
import { faultOn } from '../../../faults.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const POOL_LABEL = 'lattice.dev/pool';
export const poolSuffix = (id: string): string => `pool-${id}`;
export const poolResourceName = (cluster: string, id: string): string => `${cluster}-${poolSuffix(id)}`;

export interface PoolTaint { key: string; value?: string; effect: string }

/** WorkerPoolSpec::effective_taints (types.rs:590-612). */
export function effectiveTaints(pool: any): PoolTaint[] {
  const taints: PoolTaint[] = Array.isArray(pool?.taints) ? pool.taints : [];
  const gpu = pool?.instanceType?.gpu != null;
  if (gpu && !taints.some((t) => t.key === 'nvidia.com/gpu')) return [...taints, { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }];
  return taints;
}

/** `node-labels` value: BTreeMap order of the pool's labels plus lattice.dev/pool. */
function nodeLabelsArg(id: string, pool: any): string {
  const labels: Record<string, string> = { ...(pool?.labels ?? {}), ...(faultOn('pool-label-missing') ? {} : { [POOL_LABEL]: id }) };
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

const taintArg = (t: PoolTaint) => (t.value != null ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`);

export const isAutoscaling = (pool: any): boolean => pool?.min != null && pool?.max != null;

export interface PoolManifestInput {
  cluster: string;
  namespace: string;
  labels: Record<string, string>;
  version: string;
  bootstrap: 'kubeadm' | 'rke2';
  infra: { apiVersion: string; template: string };
  boot: { configApi: string; configTemplate: string };
  infraTemplateSpec: Record<string, unknown>;
}

/** The three objects of one pool, in upstream's order (MachineDeployment, machine template, config template). */
export function poolManifests(i: PoolManifestInput, id: string, pool: any): KubeObject[] {
  const name = poolResourceName(i.cluster, id);
  const meta = { name, namespace: i.namespace, labels: { ...i.labels } };
  const capiVersion = i.bootstrap === 'rke2' ? `v${i.version}+rke2r1` : `v${i.version}`; // format_capi_version, mod.rs:487-499
  const annotations: Record<string, string> = {};
  if (isAutoscaling(pool)) {
    annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size'] = String(pool.min);
    annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size'] = String(pool.max);
  }
  const labelsArg = nodeLabelsArg(id, pool);
  const taints = effectiveTaints(pool).map(taintArg);
  const kubeletArgs = [{ name: 'eviction-hard', value: 'nodefs.available<0%,imagefs.available<0%' }, { name: 'node-labels', value: labelsArg },
    ...(taints.length ? [{ name: 'register-with-taints', value: taints.join(',') }] : [])];
  const configSpec = i.bootstrap === 'rke2'
    ? { agentConfig: { kubelet: { extraArgs: kubeletArgs.map((a) => `${a.name}=${a.value}`) } } }
    : { joinConfiguration: { nodeRegistration: { criSocket: '/var/run/containerd/containerd.sock', kubeletExtraArgs: kubeletArgs } } };
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment',
      metadata: { ...meta, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: {
        clusterName: i.cluster,
        ...(isAutoscaling(pool) ? {} : { replicas: 0 }),
        // CAPI's defaulting webhook fills the selector upstream leaves empty (mod.rs:532-535).
        selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': i.cluster, 'cluster.x-k8s.io/deployment-name': name } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/cluster-name': i.cluster, 'cluster.x-k8s.io/deployment-name': name } },
          spec: {
            clusterName: i.cluster, version: capiVersion,
            bootstrap: { configRef: { apiGroup: i.boot.configApi.split('/')[0], kind: i.boot.configTemplate, name } },
            infrastructureRef: { apiGroup: i.infra.apiVersion.split('/')[0], kind: i.infra.template, name },
          },
        },
      },
    },
    { apiVersion: i.infra.apiVersion, kind: i.infra.template, metadata: { ...meta }, spec: { template: { spec: i.infraTemplateSpec } } },
    { apiVersion: i.boot.configApi, kind: i.boot.configTemplate, metadata: { ...meta }, spec: { template: { spec: configSpec } } },
  ];
}

/**
 * What a kubelet joining through this bootstrap config template registers with: `node-labels`
 * and `register-with-taints` of kubeadm's `nodeRegistration.kubeletExtraArgs` ({name, value}) or
 * RKE2's `agentConfig.kubelet.extraArgs` ("name=value"). A template without them gives nothing.
 */
export function kubeletRegistration(template: KubeObject | undefined): { labels: Record<string, string>; taints: PoolTaint[] } {
  const spec = template?.spec?.template?.spec ?? {};
  const args: Array<[string, string]> = [];
  for (const a of spec.joinConfiguration?.nodeRegistration?.kubeletExtraArgs ?? []) if (a && typeof a.name === 'string') args.push([a.name, String(a.value ?? '')]);
  for (const a of spec.agentConfig?.kubelet?.extraArgs ?? []) {
    const s = String(a);
    const eq = s.indexOf('=');
    if (eq > 0) args.push([s.slice(0, eq), s.slice(eq + 1)]);
  }
  const labels: Record<string, string> = {};
  const taints: PoolTaint[] = [];
  for (const [name, value] of args) {
    if (name === 'node-labels') {
      for (const kv of value.split(',').filter(Boolean)) { const [k, ...v] = kv.split('='); labels[k] = v.join('='); }
    } else if (name === 'register-with-taints') {
      for (const t of value.split(',').filter(Boolean)) {
        const [kv, effect] = t.split(':');
        const [key, ...v] = kv.split('=');
        taints.push({ key, ...(v.length ? { value: v.join('=') } : {}), effect });
      }
    }
  }
  return { labels, taints };
}
