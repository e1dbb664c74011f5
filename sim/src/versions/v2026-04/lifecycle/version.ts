/**
 * Kubernetes upgrades at b5d50e90 (cluster/phases/ready.rs:224-330): on a cluster's own Ready copy,
 * `status.version` (CAPI form, `v<ver>` or `v<ver>+rke2r1`, lattice-capi provider/mod.rs:487-499)
 * differing from the spec drives the upgrade: the control plane `<name>-control-plane` first
 * (merge-patch `spec.version`), then, once the cluster is stable (the control-plane rollout done),
 * every pool MachineDeployment's `spec.template.spec.version`. `status.version` is stamped as soon as
 * the control plane and all pool MachineDeployments *specs* say the version: the workers' rollout is
 * not waited for.
 */
import type { KubeObject } from '../../../apiserver/types.js';
import type { ClusterContext } from '../../../lifecycle/context.js';
import { bootstrapKinds, capiNamespace, controlPlaneName } from '../../../lifecycle/names.js';
import { poolResourceName } from './pools.js';
import { patchStatus } from './status.js';
import { isCapiStable } from './stability.js';

const CAPI_API = 'cluster.x-k8s.io/v1beta2';

/** format_capi_version (provider/mod.rs:487-499). */
export function capiVersion(raw: string, bootstrap: 'kubeadm' | 'rke2'): string {
  const v = String(raw).replace(/^v/, '');
  return bootstrap === 'rke2' ? `v${v}+rke2r1` : `v${v}`;
}

/** 'upToDate' or 'inProgress' (pool scaling is skipped while in progress, ready.rs:408-418). */
export function reconcileVersion(ctx: ClusterContext, lc: KubeObject): 'upToDate' | 'inProgress' {
  const { store } = ctx;
  const name = lc.metadata.name;
  const ns = capiNamespace(name);
  const bootstrap = lc.spec?.provider?.kubernetes?.bootstrap === 'rke2' ? 'rke2' : 'kubeadm';
  const desired = capiVersion(lc.spec?.provider?.kubernetes?.version ?? '', bootstrap);
  if (lc.status?.version === desired) return 'upToDate';
  const k = bootstrapKinds(bootstrap);
  const cp = store.get(k.controlPlaneApi, k.controlPlane, controlPlaneName(name), ns);
  if (!cp || typeof cp.spec?.version !== 'string') return 'upToDate';
  if (cp.spec.version !== desired) {
    store.mergePatch(k.controlPlaneApi, k.controlPlane, cp.metadata.name, ns, { spec: { version: desired } });
    ctx.log(`operator: Upgrading control plane from ${cp.spec.version} to ${desired}`);
    return 'inProgress';
  }
  const stale = Object.keys(lc.spec?.nodes?.workerPools ?? {}).sort().filter((id) => {
    const md = store.get(CAPI_API, 'MachineDeployment', poolResourceName(name, id), ns);
    const v = md?.spec?.template?.spec?.version;
    return typeof v === 'string' && v !== desired;
  });
  if (stale.length === 0) {
    patchStatus(store, lc, { version: desired });
    return 'upToDate';
  }
  if (!isCapiStable(store, name)) return 'inProgress';
  for (const id of stale) {
    store.mergePatch(CAPI_API, 'MachineDeployment', poolResourceName(name, id), ns, { spec: { template: { spec: { version: desired } } } });
  }
  ctx.log(`operator: Upgrading worker pools to ${desired}`);
  return 'inProgress';
}
