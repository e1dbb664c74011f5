/**
 * A Kubernetes version upgrade as CAPI rolls it: one node at a time, cordon, evict its pods (they
 * are rescheduled, their processes restart), replace the node with one running the new kubelet,
 * restart the waypoints. Traffic may drop while a node rolls; enforcement stays on unless the
 * `enforcement-open-during-roll` fault is set, and `upgrade-stalls` leaves the first node cordoned.
 */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { DURATIONS, simulate } from '../clock.js';
import { faultOn } from '../faults.js';
import { WAYPOINT_POD_LABEL } from './compile.js';
import { DEPLOYMENT_LABEL, isNodeReady } from './workloads.js';

export interface RollProgress {
  node: string;
  /** 1-based position of the node in the roll, and how many nodes roll. */
  index: number;
  total: number;
  step: 'cordoned' | 'drained' | 'replaced' | 'stalled';
}

export interface RollOptions {
  toVersion: string;
  /** Only these nodes roll (default: every node not at the version); a CAPI rollout rolls one Machine's node. */
  select?: (node: KubeObject) => boolean;
  onProgress?: (p: RollProgress) => void;
  signal?: AbortSignal;
  /**
   * Replaces a drained node (the lifecycle controller may swap the Machine); must leave a Ready
   * Node running `kubeletVersion` in the store. Default: the Node is deleted and re-created under
   * the same name with the new kubelet.
   */
  replaceNode?: (node: KubeObject, kubeletVersion: string) => Promise<void>;
  /** How long one replacement may take before the roll fails (default 60 s). */
  nodeTimeoutMs?: number;
}

export interface RollResult { completed: boolean; rolled: string[]; stalledOn?: string }

export function kubeletVersionOf(v: string): string { return v.startsWith('v') ? v : `v${v}`; }

export interface RollContext {
  store: ObjectStore;
  evict(pod: KubeObject): void;
  kick(): void;
  setRolling(on: boolean): void;
}

const ts = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function waitFor(cond: () => boolean, timeoutMs: number, what: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cond()) { resolve(); return; }
    const iv = setInterval(() => { if (cond()) { done(); resolve(); } }, 20);
    const to = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    const onAbort = () => { done(); reject(signal?.reason ?? new Error('aborted')); };
    const done = () => { clearInterval(iv); clearTimeout(to); signal?.removeEventListener('abort', onAbort); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function rollNodes(ctx: RollContext, opts: RollOptions): Promise<RollResult> {
  const { store } = ctx;
  const version = kubeletVersionOf(opts.toVersion);
  const nodes = store.list('v1', 'Node').items
    .filter((n) => n.status?.nodeInfo?.kubeletVersion !== version && (opts.select?.(n) ?? true))
    .sort((a, b) => Number(a.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) - Number(b.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined)
      || a.metadata.name.localeCompare(b.metadata.name));
  const rolled: string[] = [];
  for (const [i, node] of nodes.entries()) {
    const name = node.metadata.name;
    const progress = (step: RollProgress['step']) => opts.onProgress?.({ node: name, index: i + 1, total: nodes.length, step });
    ctx.setRolling(true);
    try {
      store.mergePatch('v1', 'Node', name, undefined, { spec: { unschedulable: true } });
      progress('cordoned');
      if (faultOn('upgrade-stalls')) { progress('stalled'); return { completed: false, rolled, stalledOn: name }; }
      for (const p of store.list('v1', 'Pod', { labelSelector: DEPLOYMENT_LABEL, fieldSelector: `spec.nodeName=${name}` }).items) ctx.evict(p);
      const cur = store.get('v1', 'Node', name);
      if (cur) {
        store.mergePatch('v1', 'Node', name, undefined, { status: { conditions: (cur.status?.conditions ?? []).map((c: { type: string }) => c.type === 'Ready'
          ? { ...c, status: 'False', reason: 'KubeletNotReady', message: 'node is being replaced by a rolling upgrade', lastTransitionTime: ts() } : c) } }, 'status');
      }
      progress('drained');
      ctx.kick();
      await simulate(DURATIONS.nodeRoll, opts.signal);
      if (opts.replaceNode) await opts.replaceNode(cur ?? node, version);
      else replaceInPlace(store, cur ?? node, version);
      await waitFor(() => { const n = store.get('v1', 'Node', name); return !!n && isNodeReady(n) && n.status?.nodeInfo?.kubeletVersion === version; },
        opts.nodeTimeoutMs ?? 60_000, `node ${name} Ready at kubelet ${version}`, opts.signal);
      // The waypoints restart on the new node set.
      for (const p of store.list('v1', 'Pod', { labelSelector: WAYPOINT_POD_LABEL }).items) ctx.evict(p);
      ctx.kick();
      rolled.push(name);
      progress('replaced');
    } finally {
      ctx.setRolling(false);
    }
  }
  return { completed: true, rolled };
}

function replaceInPlace(store: ObjectStore, node: KubeObject, version: string) {
  const name = node.metadata.name;
  try { store.delete('v1', 'Node', name); } catch { /* already gone */ }
  const conditions = (node.status?.conditions ?? [{ type: 'Ready' }]).map((c: { type: string }) => c.type === 'Ready'
    ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: ts(), lastHeartbeatTime: ts() } : c);
  store.create({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: node.metadata.labels, annotations: node.metadata.annotations },
    spec: { ...(node.spec ?? {}), unschedulable: undefined },
    status: { ...(node.status ?? {}), conditions, nodeInfo: { ...(node.status?.nodeInfo ?? {}), kubeletVersion: version, kubeProxyVersion: version } },
  });
}
