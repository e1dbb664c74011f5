import type { V1Node } from '@kubernetes/client-node';
import { FailClosedMonitor, hasCompleteCycleSince, readProbeLogs, type FailClosedSummary } from '../mesh/index.js';
import { isNodeReady, waitFor, type ClusterClient } from '../kube/index.js';
import type { ServiceLogFollower } from '../workloads/log-follower.js';
import { cyclesSince, SecurityViolationError } from './observe-traffic.js';
import type { MeshUnderTest } from './mesh-under-test.js';
import { pauseUnlessAborted } from '../timers.js';

/** A node runs `version` (e.g. `1.32.0`) when its kubelet reports `v1.32.0`. */
export const runsVersion = (n: V1Node, version: string): boolean => (n.status?.nodeInfo?.kubeletVersion ?? '').replace(/^v/, '') === version.replace(/^v/, '');

export function describeNodes(nodes: V1Node[] | undefined): string {
  if (!nodes) return 'not listed yet';
  return nodes.map((n) => `${n.metadata?.name}(${n.status?.nodeInfo?.kubeletVersion ?? '?'}, ${isNodeReady(n) ? 'Ready' : 'NotReady'}${n.spec?.unschedulable ? ', cordoned' : ''})`).join(', ');
}

export interface RollWatchInput {
  client: ClusterClient;
  mesh: MeshUnderTest;
  toVersion: string;
  /** Traffic of cycles started before this moment does not count. */
  since: Date;
  wait: { timeoutMs: number; intervalMs: number };
  /**
   * The probes' logs, followed since before the version change: a pod evicted by the roll takes its
   * log with it, and with it the very cycles that ran while nodes rolled, so reading logs now and
   * then would miss them.
   */
  followed: ServiceLogFollower;
  log: (line: string) => void;
  /** Ends the watch early (the run was interrupted). */
  signal?: AbortSignal;
}

export interface RollWatchResult {
  /** What the fail-closed monitor judged (cycles from the second of the version change on). */
  failClosed: FailClosedSummary;
  /** Whether every source logged a complete cycle that surely started after the version change. */
  evidenceAfterChange: boolean;
}

/**
 * While the nodes roll, samples every probe's log each interval and fails at the first forbidden
 * connection seen allowed (drops are tolerated). Ends when every node is Ready at `toVersion` and
 * every source has logged a complete cycle after the version change.
 */
export async function watchRollFailClosed(input: RollWatchInput): Promise<RollWatchResult> {
  const { client, mesh } = input;
  // Probes stamp cycles in whole seconds. A roll can be shorter than a second, so every cycle of
  // the change's own second is judged (the agreements held just before, so a forbidden connection
  // there is a leak all the same); only cycles of a later second prove traffic after the change.
  const judgeFrom = Math.floor(input.since.getTime() / 1000);
  const evidenceFrom = judgeFrom + 1;
  const monitor = new FailClosedMonitor(mesh.checks);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  let rolled = false;
  const versions = new Set<string>();
  const nodesDone = waitFor<V1Node>({
    client, path: '/api/v1/nodes', resource: `nodes of ${client.name}`, conditionText: `all Ready at v${input.toVersion}`,
    ...input.wait, signal: controller.signal,
    condition: (items) => items.length > 0 && items.every((n) => isNodeReady(n) && runsVersion(n, input.toVersion)),
    describe: describeNodes,
    onChange: (items) => {
      const line = describeNodes(items);
      for (const n of items) versions.add(n.status?.nodeInfo?.kubeletVersion ?? '?');
      input.log(`nodes: ${line}`);
    },
  }).then(() => { rolled = true; });
  nodesDone.catch(() => undefined);

  const sample = (): boolean => {
    const reading = cyclesSince(readProbeLogs(input.followed.texts()), judgeFrom);
    const fresh = monitor.observe(reading);
    if (fresh.length) throw new SecurityViolationError(fresh);
    return hasCompleteCycleSince(reading, mesh.sources, evidenceFrom);
  };
  let evidenceAfterChange = false;
  try {
    while (!rolled) {
      if (input.signal?.aborted) break;
      sample();
      await Promise.race([nodesDone, pauseUnlessAborted(input.wait.intervalMs, input.signal)]);
    }
    await nodesDone;
    // A roll can finish within one probe interval: judge traffic until every source has logged a
    // complete cycle after the version change, so the verdict never rests on no evidence.
    const deadline = Date.now() + input.wait.timeoutMs;
    while (!(evidenceAfterChange = sample())) {
      if (input.signal?.aborted || Date.now() >= deadline) break;
      await pauseUnlessAborted(input.wait.intervalMs, input.signal);
    }
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
  const s = monitor.summary();
  input.log(`${s.text}; kubelet versions seen: ${[...versions].join(', ')}`);
  return { failClosed: s, evidenceAfterChange };
}
