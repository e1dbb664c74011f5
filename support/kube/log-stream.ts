/**
 * Follows one container's log (`follow=true`) as the kubelet streams it. client-node's `Log` pipes
 * the body into a stream but never says when or why the stream ended, and keeps its socket alive
 * after an abort; this request is closed for real on stop and reports how it ended.
 */
import type { ClusterClient } from './clients.js';
import { openGet } from './raw-request.js';

export interface FollowPodLogInput {
  namespace: string;
  pod: string;
  container: string;
  /** Each chunk of text as it arrives (lines may be split across chunks). */
  onText: (text: string) => void;
}

export interface LogStreamHandle {
  /** Settles once the server answered (the stream is open) or the request ended. */
  readonly opened: Promise<void>;
  /** Settles when the stream ends: `undefined` when the server closed it, else the error. */
  readonly ended: Promise<unknown>;
  stop(): void;
}

export function followPodLog(client: ClusterClient, input: FollowPodLogInput): LogStreamHandle {
  const stop = new AbortController();
  let settle: (err: unknown) => void = () => {};
  const ended = new Promise<unknown>((resolve) => { settle = resolve; });
  let markOpen: () => void = () => {};
  const opened = new Promise<void>((resolve) => { markOpen = resolve; });
  void ended.then(() => markOpen());
  const path = `/api/v1/namespaces/${encodeURIComponent(input.namespace)}/pods/${encodeURIComponent(input.pod)}/log`;
  void (async () => {
    const { res, close } = await openGet(client, { path, query: { container: input.container, follow: 'true' }, accept: 'text/plain', signal: stop.signal });
    markOpen();
    try {
      res.setEncoding('utf8');
      res.on('data', (t: string) => { if (!stop.signal.aborted) input.onText(t); });
      await new Promise<void>((resolve, reject) => { res.on('end', resolve); res.on('error', reject); });
    } finally {
      close();
    }
  })().then(() => settle(undefined), (err: unknown) => settle(stop.signal.aborted ? undefined : err));
  return { opened, ended, stop: () => { stop.abort(); settle(undefined); } };
}
