import type { V1Node } from '@kubernetes/client-node';
import { FailClosedMonitor, hasCompleteCycleSince, readProbeLogs, type FailClosedSummary, type ProbeLogReading } from '../mesh/index.js';
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
  /** Nodes the cluster had before the version change: the roll is done when it has as many again, all at the version. */
  nodes: number;
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
  /**
   * Sources that completed a cycle while the nodes were rolling: first seen by a sample taken while
   * a node was cordoned, NotReady or already replaced and the roll was not done, and absent from
   * the first such sample. Only these cycles show what holds *during* a roll; a roll shorter than a
   * probe cycle leaves this empty, and the verdict would rest on traffic before and after it.
   */
  judgedDuringRoll: string[];
}

/** Complete cycles per source in a reading (a rescheduled probe restarts its count; the sum still grows). */
function completeCycles(reading: ProbeLogReading): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of reading.cycles) if (c.complete) counts.set(c.source, (counts.get(c.source) ?? 0) + 1);
  return counts;
}

/** Sources whose complete cycles grew from `before` to `after`. */
export function sourcesWithNewCycles(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string[] {
  return [...after].filter(([s, n]) => n > (before.get(s) ?? 0)).map(([s]) => s).sort();
}

/** A node shows the roll has begun: cordoned, not Ready, or already at the target version. */
const rolling = (n: V1Node, toVersion: string): boolean => !!n.spec?.unschedulable || !isNodeReady(n) || runsVersion(n, toVersion);

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
  let rollBegun = false;
  const versions = new Set<string>();
  const nodesDone = waitFor<V1Node>({
    client, path: '/api/v1/nodes', resource: `nodes of ${client.name}`, conditionText: `all Ready at v${input.toVersion}`,
    ...input.wait, signal: controller.signal,
    // A node being replaced is deleted before its successor registers: the roll is done only when the
    // cluster has as many nodes as when it began, every one Ready at the new version.
    condition: (items) => items.length >= Math.max(1, input.nodes) && items.every((n) => isNodeReady(n) && runsVersion(n, input.toVersion)),
    describe: (items) => `${describeNodes(items)} (${items?.length ?? 0} of the ${input.nodes} node(s) it had)`,
    onChange: (items) => {
      const line = describeNodes(items);
      for (const n of items) versions.add(n.status?.nodeInfo?.kubeletVersion ?? '?');
      if (items.some((n) => rolling(n, input.toVersion))) rollBegun = true;
      input.log(`nodes: ${line}`);
    },
  }).then(() => { rolled = true; });
  nodesDone.catch(() => undefined);

  let lastCounts = new Map<string, number>();
  const sample = (): boolean => {
    const reading = cyclesSince(readProbeLogs(input.followed.texts()), judgeFrom);
    lastCounts = completeCycles(reading);
    const fresh = monitor.observe(reading);
    if (fresh.length) throw new SecurityViolationError(fresh);
    return hasCompleteCycleSince(reading, mesh.sources, evidenceFrom);
  };
  let evidenceAfterChange = false;
  let atRollStart: Map<string, number> | undefined;
  const judgedDuringRoll = new Set<string>();
  try {
    while (!rolled) {
      if (input.signal?.aborted) break;
      const begun = rollBegun;
      sample();
      // Read `rolled` after the sample: a sample that saw the roll done proves nothing about during it.
      if (begun && !rolled) {
        if (!atRollStart) atRollStart = lastCounts;
        else for (const s of sourcesWithNewCycles(atRollStart, lastCounts)) judgedDuringRoll.add(s);
      }
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
  input.log(`${s.text}; kubelet versions seen: ${[...versions].join(', ')}; sources judged while the nodes rolled: ${judgedDuringRoll.size}/${mesh.sources.length}`);
  return { failClosed: s, evidenceAfterChange, judgedDuringRoll: [...judgedDuringRoll].sort() };
}
