/**
 * A Kubernetes version change on a cluster's own LatticeCluster: the control plane and worker
 * templates take the new version and the nodes roll one at a time (through the service runtime
 * when it runs, so pods are drained; otherwise node by node here). Progress shows in
 * `status.message` and in each Node's kubelet version; the phase stays Ready.
 */
import { DURATIONS, simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import type { ClusterContext, RollOutcome, RollRequest } from './context.js';
import { CAPI_API, CLUSTER_NAME_LABEL, LATTICE_API, LATTICE_CLUSTER_KIND, bootstrapKinds, capiNamespace, machineDeploymentName } from './names.js';

const bare = (v: unknown) => String(v ?? '').replace(/^v/, '').replace(/\+.*$/, '');

/** The version the cluster's control plane runs (or is rolling to). */
export function controlPlaneVersion(ctx: ClusterContext): { version: string; apiVersion: string; kind: string; name: string } | undefined {
  for (const b of ['kubeadm', 'rke2'] as const) {
    const k = bootstrapKinds(b);
    const cp = ctx.store.list(k.controlPlaneApi, k.controlPlane, { namespace: capiNamespace(ctx.name) }).items[0];
    if (cp) return { version: bare(cp.spec?.version), apiVersion: k.controlPlaneApi, kind: k.controlPlane, name: cp.metadata.name };
  }
  return undefined;
}

/** Replaces each node not at the version, one at a time (no pods to drain without the service runtime). */
async function rollPlain(ctx: ClusterContext, req: RollRequest): Promise<RollOutcome> {
  const kubelet = `v${req.toVersion}`;
  const nodes = ctx.store.list('v1', 'Node').items.filter((n) => n.status?.nodeInfo?.kubeletVersion !== kubelet && (req.select?.(n) ?? true));
  const rolled: string[] = [];
  for (const [i, n] of nodes.entries()) {
    const name = n.metadata.name;
    ctx.store.mergePatch('v1', 'Node', name, undefined, { spec: { unschedulable: true } });
    req.onProgress?.({ node: name, index: i + 1, total: nodes.length, step: 'cordoned' });
    if (faultOn('upgrade-stalls')) return { completed: false, rolled, stalledOn: name };
    await simulate(DURATIONS.nodeRoll, req.signal);
    const cur = ctx.store.get('v1', 'Node', name);
    if (cur) {
      ctx.store.mergePatch('v1', 'Node', name, undefined, { spec: { unschedulable: null } });
      ctx.store.mergePatch('v1', 'Node', name, undefined, { status: { nodeInfo: { ...cur.status?.nodeInfo, kubeletVersion: kubelet, kubeProxyVersion: kubelet } } }, 'status');
    }
    rolled.push(name);
    req.onProgress?.({ node: name, index: i + 1, total: nodes.length, step: 'replaced' });
  }
  return { completed: true, rolled };
}

/** Moves the CAPI templates to `version` and rolls the nodes; resolves with the roll's outcome. */
export async function upgradeCluster(ctx: ClusterContext, version: string): Promise<RollOutcome> {
  const { store } = ctx;
  const ns = capiNamespace(ctx.name);
  const cp = controlPlaneVersion(ctx);
  const message = (m: string) => store.mergePatch(LATTICE_API, LATTICE_CLUSTER_KIND, ctx.name, undefined, { status: { message: m } }, 'status');
  if (cp) store.mergePatch(cp.apiVersion, cp.kind, cp.name, ns, { spec: { version: cp.kind === 'RKE2ControlPlane' ? `v${version}+rke2r1` : `v${version}` } });
  if (store.get(CAPI_API, 'MachineDeployment', machineDeploymentName(ctx.name), ns)) {
    store.mergePatch(CAPI_API, 'MachineDeployment', machineDeploymentName(ctx.name), ns, { spec: { template: { spec: { version: `v${version}` } } } });
  }
  message(`Upgrading to v${version}`);
  ctx.log(`upgrade: rolling nodes to v${version}`);
  const roller = rollerOf(ctx);
  const outcome = await roller({
    toVersion: version, signal: ctx.signal,
    onProgress: (p) => message(`Upgrading to v${version}: node ${p.index}/${p.total} (${p.node}) ${p.step}`),
  });
  if (outcome.completed) {
    for (const m of store.list(CAPI_API, 'Machine', { namespace: ns, labelSelector: `${CLUSTER_NAME_LABEL}=${ctx.name}` }).items) {
      store.mergePatch(CAPI_API, 'Machine', m.metadata.name, ns, { spec: { version: `v${version}` } });
    }
    message('Cluster is ready and self-managing');
  } else {
    message(`Upgrade to v${version} stalled on node ${outcome.stalledOn ?? '(unknown)'}`);
  }
  return outcome;
}

/** The node roller of the cluster: the service runtime's (drains pods) when it runs, else node by node here. */
function rollerOf(ctx: ClusterContext): (r: RollRequest) => Promise<RollOutcome> {
  return ctx.addons.find((a) => a.rollNodes)?.rollNodes ?? ((r: RollRequest) => rollPlain(ctx, r));
}

/**
 * A CAPI rollout (2026-04): each target Machine is `Provisioning` while its node is replaced at the
 * new kubelet, then `Running` at `spec.version`. Stops at the first node that does not finish (the
 * Machine stays `Provisioning`, in `rolling`), as a stuck rollout does.
 */
export async function rollMachines(ctx: ClusterContext, namespace: string, targets: Array<{ machine: string; node: string; version: string }>, rolling: Set<string>): Promise<void> {
  const roller = rollerOf(ctx);
  for (const t of targets) {
    if (!ctx.store.get(CAPI_API, 'Machine', t.machine, namespace)) continue;
    rolling.add(t.machine);
    ctx.store.mergePatch(CAPI_API, 'Machine', t.machine, namespace, { status: { phase: 'Provisioning' } }, 'status');
    const outcome = await roller({ toVersion: t.version, signal: ctx.signal, select: (n) => n.metadata.name === t.node });
    if (!outcome.completed) { ctx.log(`capi: rollout stalled on ${t.node}`); return; }
    if (ctx.store.get(CAPI_API, 'Machine', t.machine, namespace)) {
      ctx.store.mergePatch(CAPI_API, 'Machine', t.machine, namespace, { spec: { version: `v${t.version}` } });
      ctx.store.mergePatch(CAPI_API, 'Machine', t.machine, namespace, { status: { phase: 'Running' } }, 'status');
    }
    rolling.delete(t.machine);
  }
}
