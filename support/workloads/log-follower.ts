/**
 * Keeps every line the pods of some services print, including pods that are later evicted: during
 * a node roll a pod's log vanishes with the pod, so reading logs now and then loses exactly the
 * traffic that happened while nodes rolled. Pods are watched; each one's log is followed from the
 * moment it runs until it stops.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describeApiError, waitFor, type ClusterClient } from '../kube/index.js';
import { followPodLog, type LogStreamHandle } from '../kube/log-stream.js';

/** Per followed pod, the newest text kept (older text is dropped first). */
const MAX_CHARS_PER_POD = 4 * 1024 * 1024;

export interface ServiceLogFollower {
  /** The text each followed pod printed so far, one entry per stream (gone pods included). */
  texts(): string[];
  /** How many pod logs were followed, and the problems met while following (for the report). */
  stats(): { pods: number; streams: number; problems: string[] };
  stop(): void;
}

export interface FollowServiceLogsInput {
  namespace: string;
  services: readonly string[];
  container?: string;
  /** Poll interval of the pod watch's fallback, and the pods' watch timeout. */
  intervalMs: number;
  timeoutMs: number;
}

interface Followed { pod: string; text: string; handle?: LogStreamHandle; open: boolean }

export function followServiceLogs(client: ClusterClient, input: FollowServiceLogsInput): ServiceLogFollower {
  const container = input.container ?? 'main';
  const streams: Followed[] = [];
  const openByUid = new Map<string, Followed>();
  const problems: string[] = [];
  const pods = new Set<string>();
  const stopper = new AbortController();

  const follow = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
    if (openByUid.has(uid) || stopper.signal.aborted) return;
    const name = pod.metadata!.name!;
    const f: Followed = { pod: name, text: '', open: true };
    pods.add(uid);
    streams.push(f);
    openByUid.set(uid, f);
    f.handle = followPodLog(client, {
      namespace: input.namespace, pod: name, container,
      onText: (t) => { f.text = (f.text + t).slice(-MAX_CHARS_PER_POD); },
    });
    void f.handle.ended.then((err) => {
      f.open = false;
      if (err && !stopper.signal.aborted) problems.push(describeApiError(`log of ${name}`, err));
      // A stream that ended while its pod still runs is followed again on the pod's next change
      // (repeated cycles are judged once); an ended pod is never seen Running again.
      openByUid.delete(uid);
    });
  };

  const running = (p: V1Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;
  const watching = waitFor<V1Pod>({
    client, path: `/api/v1/namespaces/${input.namespace}/pods`,
    labelSelector: `app.kubernetes.io/name in (${input.services.join(',')})`,
    resource: `pods of ${input.services.length} services in ${input.namespace} on ${client.name}`,
    conditionText: 'followed until the observation ends',
    timeoutMs: input.timeoutMs, intervalMs: input.intervalMs, signal: stopper.signal,
    condition: () => false,
    describe: (items) => items ? `${items.filter(running).length}/${items.length} running` : 'not listed yet',
    onChange: (items) => { for (const p of items) if (running(p)) follow(p); },
  });
  watching.catch((err: unknown) => { if (!stopper.signal.aborted) problems.push(describeApiError('pod watch', err)); });

  return {
    texts: () => streams.map((s) => s.text).filter((t) => t.length > 0),
    stats: () => ({ pods: pods.size, streams: streams.length, problems: [...problems] }),
    stop() {
      stopper.abort();
      for (const s of streams) s.handle?.stop();
    },
  };
}
