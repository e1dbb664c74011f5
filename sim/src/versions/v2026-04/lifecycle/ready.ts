/**
 * A cluster's own copy in Ready at b5d50e90 (cluster/phases/ready.rs:376-474, :791-890, :930-989,
 * :1175-1216): the operator image follows `spec.latticeImage` (status.latticeImage), the Kubernetes
 * version is reconciled (pool scaling skipped while an upgrade runs), each worker pool's
 * MachineDeployment `<name>-pool-<id>` is scaled to the pool's replicas (a missing one is created from
 * the pool's manifests), and the status gets `workerPools`, `readyWorkers`, `readyControlPlane`.
 */
import type { KubeObject } from '../../../apiserver/types.js';
import type { ClusterContext } from '../../../lifecycle/context.js';
import { LATTICE_SYSTEM, OPERATOR_DEPLOYMENT, capiNamespace } from '../../../lifecycle/names.js';
import { isAutoscaling, poolResourceName, poolSuffix } from './pools.js';
import { patchStatus } from './status.js';
import { reconcileVersion } from './version.js';

const CAPI_API = 'cluster.x-k8s.io/v1beta2';
const NODE_ROLE_CP = 'node-role.kubernetes.io/control-plane';

export interface ReadyPorts {
  /** Every CAPI manifest of the cluster as generate_capi_manifests builds it. */
  manifests(lc: KubeObject): KubeObject[];
}

interface PoolStatus { desiredReplicas: number; currentReplicas: number; readyReplicas: number; autoscalingEnabled?: boolean; message?: string }

const nodeReady = (n: KubeObject) => (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

/** get_ready_node_counts (controller/kube_client.rs:179-200). */
export function readyNodeCounts(ctx: ClusterContext): { readyControlPlane: number; readyWorkers: number } {
  let readyControlPlane = 0;
  let readyWorkers = 0;
  for (const n of ctx.store.list('v1', 'Node').items) {
    if (!nodeReady(n)) continue;
    if (n.metadata.labels?.[NODE_ROLE_CP] !== undefined) readyControlPlane++; else readyWorkers++;
  }
  return { readyControlPlane, readyWorkers };
}

/** Returns the requeue delay in the target's milliseconds. */
export function handleReady(ctx: ClusterContext, lc: KubeObject, ports: ReadyPorts): number {
  const { store } = ctx;
  const name = lc.metadata.name;
  const ns = capiNamespace(name);

  // reconcile_operator_image (ready.rs:43-95)
  const desiredImage: string | undefined = lc.spec?.latticeImage || undefined;
  const dep = store.get('apps/v1', 'Deployment', OPERATOR_DEPLOYMENT, LATTICE_SYSTEM);
  const container = dep?.spec?.template?.spec?.containers?.[0];
  if (desiredImage && container && container.image !== desiredImage) {
    const containers = [{ ...container, image: desiredImage }, ...dep!.spec.template.spec.containers.slice(1)];
    store.mergePatch('apps/v1', 'Deployment', OPERATOR_DEPLOYMENT, LATTICE_SYSTEM, { spec: { template: { spec: { containers } } } });
    return 1000;
  }
  if (desiredImage && container) patchStatus(store, lc, { latticeImage: desiredImage });

  if (reconcileVersion(ctx, lc) === 'inProgress') return 1000;

  // reconcile_worker_pools (ready.rs:791-890), pools in BTreeMap order
  const pools: Record<string, any> = lc.spec?.nodes?.workerPools ?? {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  const statuses: Record<string, PoolStatus> = {};
  const missing: string[] = [];
  let totalDesired = 0;
  for (const id of Object.keys(pools).sort()) {
    const pool = pools[id];
    const replicas = Number(pool?.replicas ?? 0);
    const md = store.get(CAPI_API, 'MachineDeployment', poolResourceName(name, id), ns);
    const current: number | undefined = typeof md?.spec?.replicas === 'number' ? md.spec.replicas : undefined;
    const autoscaling = isAutoscaling(pool);
    // determine_scaling_action (controller/pure.rs:93-125)
    const waitForMd = autoscaling ? !md : current === undefined && replicas > 0;
    if (waitForMd) {
      missing.push(id);
      totalDesired += replicas;
      statuses[id] = { desiredReplicas: replicas, currentReplicas: 0, readyReplicas: 0, ...(autoscaling ? { autoscalingEnabled: true } : {}), message: 'MachineDeployment not found, creating CAPI resources' };
      continue;
    }
    const desired = autoscaling ? current ?? Number(pool?.min ?? 0) : replicas;
    totalDesired += desired;
    statuses[id] = { desiredReplicas: desired, currentReplicas: current ?? 0, readyReplicas: 0, ...(autoscaling ? { autoscalingEnabled: true } : {}) };
    if (!autoscaling && current !== undefined && current !== replicas) {
      store.mergePatch(CAPI_API, 'MachineDeployment', poolResourceName(name, id), ns, { spec: { replicas } });
      ctx.log(`operator: Scaling pool '${id}' ${current}→${replicas}`);
    }
  }
  if (missing.length) {
    // create_missing_pool_resources (ready.rs:930-989): the pool's manifests, by their `-pool-<id>` suffix
    for (const m of ports.manifests(lc).filter((o) => missing.some((id) => o.metadata.name.endsWith(poolSuffix(id))))) {
      if (!store.get(m.apiVersion, m.kind, m.metadata.name, m.metadata.namespace)) store.create(m);
    }
  }

  // update_node_status (ready.rs:1175-1216): ready workers spread over the pools by desired share
  const counts = readyNodeCounts(ctx);
  const ids = Object.keys(statuses);
  const sumDesired = ids.reduce((n, id) => n + statuses[id].desiredReplicas, 0);
  if (sumDesired > 0 && counts.readyWorkers > 0) {
    let remaining = counts.readyWorkers;
    ids.forEach((id, i) => {
      if (i === ids.length - 1) { statuses[id].readyReplicas = remaining; return; }
      const share = Math.min(Math.round((counts.readyWorkers * statuses[id].desiredReplicas) / sumDesired), remaining);
      statuses[id].readyReplicas = share;
      remaining -= share;
    });
  }
  patchStatus(store, lc, { workerPools: statuses, readyWorkers: counts.readyWorkers, readyControlPlane: counts.readyControlPlane, poolResources: lc.status?.poolResources ?? [] });
  return counts.readyWorkers >= totalDesired ? 1000 : 500;
}
