/**
 * Keeps every line the pods of some services print, including pods that are later evicted: during
 * a node roll a pod's log vanishes with the pod, so reading logs now and then loses exactly the
 * traffic that happened while nodes rolled. Pods are watched; each one's log is followed from the
 * moment it runs until it stops.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { SuiteError, WaitTimeoutError } from '../errors.js';
import { describeApiError, waitFor, type ClusterClient } from '../kube/index.js';
import { followPodLog, type LogStreamHandle } from '../kube/log-stream.js';
import { withTimeout } from '../timers.js';
import { serviceSelector } from './pods.js';

/** Per followed pod, the newest text kept (older text is dropped first). */
const MAX_CHARS_PER_POD = 4 * 1024 * 1024;

export interface FollowerStats {
  /** Pods whose log was followed, streams opened, and what went wrong (a pod gone before its log was read, a failed pod watch). */
  pods: number;
  streams: number;
  problems: string[];
  /** Whether the pod watch itself failed (then pods started later were not followed). */
  watchFailed: boolean;
}

export interface ServiceLogFollower {
  /** The text each followed pod printed so far, one entry per stream (gone pods included). */
  texts(): string[];
  stats(): FollowerStats;
  /** Resolves once the pods are listed and the log of every running one is open; rejects after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  stop(): void;
}

export interface FollowServiceLogsInput {
  namespace: string;
  services: readonly string[];
  container?: string;
  /** Poll interval of the pod watch's fallback. */
  intervalMs: number;
  /** The longest the follower may run; `stop()` normally ends it much sooner. */
  lifetimeMs: number;
  /** Stops the follower (the run was interrupted). */
  signal?: AbortSignal;
}

interface Followed { text: string; handle: LogStreamHandle }

export function followServiceLogs(client: ClusterClient, input: FollowServiceLogsInput): ServiceLogFollower {
  const container = input.container ?? 'main';
  const resource = `logs of the ${input.services.join(', ')} pods in ${input.namespace} on ${client.name}`;
  const streams: Followed[] = [];
  const openByUid = new Map<string, Followed>();
  const problems: string[] = [];
  const pods = new Set<string>();
  const stopper = new AbortController();
  let watchFailed = false;
  let listed: () => void = () => {};
  const firstList = new Promise<void>((resolve) => { listed = resolve; });

  const follow = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
    if (openByUid.has(uid) || stopper.signal.aborted) return;
    const name = pod.metadata!.name!;
    pods.add(uid);
    const f: Followed = {
      text: '',
      handle: followPodLog(client, {
        namespace: input.namespace, pod: name, container,
        onText: (t) => { f.text = (f.text + t).slice(-MAX_CHARS_PER_POD); },
      }),
    };
    streams.push(f);
    openByUid.set(uid, f);
    void f.handle.ended.then((err) => {
      if (err && !stopper.signal.aborted) problems.push(describeApiError(`log of ${name}`, err));
      // A stream that ended while its pod still runs is followed again on the pod's next change
      // (repeated cycles are judged once); an ended pod is never seen Running again.
      openByUid.delete(uid);
    });
  };

  const running = (p: V1Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;
  const watching = waitFor<V1Pod>({
    client, path: `/api/v1/namespaces/${input.namespace}/pods`,
    labelSelector: serviceSelector(input.services),
    resource, conditionText: 'followed until the observation ends',
    timeoutMs: input.lifetimeMs, intervalMs: input.intervalMs, signal: stopper.signal,
    condition: () => false,
    describe: (items) => items ? `${items.filter(running).length}/${items.length} running` : 'not listed yet',
    onChange: (items) => { for (const p of items) if (running(p)) follow(p); listed(); },
  });
  watching.catch((err: unknown) => {
    if (stopper.signal.aborted) return;
    watchFailed = true;
    problems.push(describeApiError('pod watch', err));
    listed();
  });

  const stop = () => {
    stopper.abort();
    for (const s of streams) s.handle.stop();
    input.signal?.removeEventListener('abort', stop);
  };
  input.signal?.addEventListener('abort', stop, { once: true });

  return {
    texts: () => streams.map((s) => s.text).filter((t) => t.length > 0),
    stats: () => ({ pods: pods.size, streams: streams.length, problems: [...problems], watchFailed }),
    async ready(timeoutMs) {
      await withTimeout(firstList.then(() => Promise.all(streams.map((s) => s.handle.opened))), timeoutMs,
        () => new WaitTimeoutError(resource, 'open', `${streams.length} stream(s) started; ${problems.at(-1) ?? 'no problem reported'}`, timeoutMs));
      if (watchFailed) throw new SuiteError(`cannot follow the ${resource}: ${problems.at(-1)}`);
    },
    stop,
  };
}
