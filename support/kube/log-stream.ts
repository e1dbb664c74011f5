/**
 * Follows one container's log (`follow=true`) as the kubelet streams it. client-node's `Log` pipes
 * the body into a stream but never says when or why the stream ended, and keeps its socket alive
 * after an abort; this request is closed for real on stop and reports how it ended.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ApiException } from '@kubernetes/client-node';
import type { ClusterClient } from './clients.js';
import { apiUrl } from './raw-request.js';

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
  const url = apiUrl(client, path, { container: input.container, follow: 'true' });
  void (async () => {
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'text/plain', Connection: 'close' } };
    await client.kc.applyToHTTPSOptions(opts);
    const agent = opts.agent as http.Agent | undefined;
    const send = url.protocol === 'http:' ? http.request : https.request;
    try {
      await new Promise<void>((resolve, reject) => {
        const req = send(url, { ...opts, signal: stop.signal }, (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => reject(new ApiException(status, `HTTP ${status}`, Buffer.concat(chunks).toString('utf8').slice(0, 300), {})));
            res.on('error', reject);
            return;
          }
          markOpen();
          res.setEncoding('utf8');
          res.on('data', (t: string) => { if (!stop.signal.aborted) input.onText(t); });
          res.on('end', () => resolve());
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
      settle(undefined);
    } catch (err) {
      settle(stop.signal.aborted ? undefined : err);
    } finally {
      agent?.destroy();
    }
  })().catch((err: unknown) => settle(err));
  return { opened, ended, stop: () => { stop.abort(); settle(undefined); } };
}
