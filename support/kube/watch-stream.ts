/**
 * One watch request through client-node's `Watch`, with a stop that really closes the socket:
 * `Watch.watch` hands back its AbortController only once response headers arrive and 1.4.0 sets
 * no client timeout, so each watch gets its own agent, destroyed on stop.
 */
import type * as http from 'node:http';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { ClusterClient } from './clients.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTimeoutError } from './request-timeout.js';

export interface WatchEvent {
  type: string;
  object: unknown;
}

export interface WatchHandle {
  /** Settles when the stream ends: `undefined` for a clean close, else the error (`statusCode` on HTTP errors). */
  readonly ended: Promise<unknown>;
  /** Settles once the server has answered the watch (its headers came): events from then on reach `onEvent`. */
  readonly opened: Promise<void>;
  stop(): void;
}

export function startWatch(
  client: ClusterClient,
  path: string,
  query: Record<string, string | undefined>,
  onEvent: (event: WatchEvent) => void,
): WatchHandle {
  const agents: http.Agent[] = [];
  let stopped = false;
  let controller: AbortController | undefined;
  // Delegates to the real config; only records the agent each request gets.
  const config = Object.create(client.kc) as KubeConfig;
  config.applyToFetchOptions = async (opts) => {
    const init = await KubeConfig.prototype.applyToFetchOptions.call(client.kc, opts);
    const agent = init.agent as http.Agent | undefined;
    if (agent && typeof agent === 'object' && 'destroy' in agent) {
      agents.push(agent);
      if (stopped) agent.destroy();
    }
    return init;
  };
  let settle: (err: unknown) => void = () => {};
  const ended = new Promise<unknown>((resolve) => { settle = resolve; });
  let markOpened: () => void = () => {};
  const opened = new Promise<void>((resolve) => { markOpened = resolve; });
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params[k] = v;
  const close = () => {
    stopped = true;
    clearTimeout(noHeaders);
    controller?.abort();
    for (const a of agents) a.destroy();
  };
  // A watch may stay quiet once open, but its headers must come: a server that never answers ends it.
  const headersMs = client.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const noHeaders = setTimeout(() => {
    if (controller || stopped) return;
    close();
    settle(new RequestTimeoutError(`${client.kc.getCurrentCluster()?.server ?? ''}${path}`, headersMs));
  }, headersMs);
  new Watch(config)
    .watch(path, params, (type, object) => { if (!stopped) onEvent({ type, object }); }, (err) => settle(err ?? undefined))
    .then((c) => {
      controller = c;
      clearTimeout(noHeaders);
      markOpened();
      if (stopped) c.abort();
    })
    .catch((err: unknown) => settle(err));
  void ended.then(() => clearTimeout(noHeaders));
  return {
    ended,
    opened,
    stop() {
      if (stopped) return;
      close();
      settle(undefined);
    },
  };
}
