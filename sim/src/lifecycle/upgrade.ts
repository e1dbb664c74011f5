/**
 * Node rolls for a Kubernetes version change (2026-04 only: the CAPI rollout of
 * versions/v2026-04). Nodes roll one at a time, through the service runtime when it runs so pods
 * are drained, otherwise node by node here. 2026-01 rolls nothing (1236706e controller.rs:1880-1973).
 */
import { DURATIONS, simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import type { ClusterContext, RollOutcome, RollRequest } from './context.js';
import { CAPI_API } from './names.js';


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
