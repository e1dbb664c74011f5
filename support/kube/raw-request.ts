/**
 * A GET on any API path with the cluster's own credentials, for the generic waits: the typed
 * client-node APIs need a kind per call, the waits only know a path. Non-2xx replies become
 * client-node `ApiException`s so retry and messages treat both the same way.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ApiException } from '@kubernetes/client-node';
import type { ClusterClient } from './clients.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTimeoutError } from './request-timeout.js';

export interface GetJsonInput {
  path: string;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Per-request limit (default 30 s): client-node sets none. */
  timeoutMs?: number;
}

export function apiUrl(client: ClusterClient, path: string, query: Record<string, string | undefined> = {}): URL {
  const server = client.kc.getCurrentCluster()?.server ?? '';
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

export interface OpenGetInput {
  path: string;
  query?: Record<string, string | undefined>;
  accept: string;
  signal: AbortSignal;
  /** How long the reply's headers may take (default: the client's request timeout); the body may stream on. */
  headersTimeoutMs?: number;
}

export interface OpenResponse {
  /** A 2xx reply, its body not read yet. */
  res: http.IncomingMessage;
  /** Closes the connection (its own agent: client-node keeps sockets alive otherwise). */
  close(): void;
}

/**
 * Sends a GET; resolves at the reply's headers. A non-2xx reply rejects as an `ApiException` with
 * its body; no headers within the time limit rejects as a RequestTimeoutError and closes the socket.
 */
export async function openGet(client: ClusterClient, input: OpenGetInput): Promise<OpenResponse> {
  const url = apiUrl(client, input.path, input.query);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: input.accept, Connection: 'close' } };
  await client.kc.applyToHTTPSOptions(opts);
  const agent = opts.agent as http.Agent | undefined;
  const close = () => agent?.destroy();
  const send = url.protocol === 'http:' ? http.request : https.request;
  const headersMs = input.headersTimeoutMs ?? client.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const noHeaders = new AbortController();
  const timer = setTimeout(() => noHeaders.abort(), headersMs);
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = send(url, { ...opts, signal: AbortSignal.any([input.signal, noHeaders.signal]) }, resolve);
      req.on('error', (err) => reject(noHeaders.signal.aborted && !input.signal.aborted ? new RequestTimeoutError(url.href, headersMs) : err));
      req.end();
    });
    clearTimeout(timer);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw new ApiException(status, `HTTP ${status}`, await readText(res), {});
    return { res, close };
  } catch (err) {
    close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function readText(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function getJson<T>(client: ClusterClient, input: GetJsonInput): Promise<T> {
  const timeoutMs = input.timeoutMs ?? 30_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = input.signal ? AbortSignal.any([deadline, input.signal]) : deadline;
  const timedOut = (err: unknown) => (deadline.aborted && !input.signal?.aborted ? new RequestTimeoutError(apiUrl(client, input.path).href, timeoutMs) : err);
  let opened: OpenResponse;
  try {
    opened = await openGet(client, { path: input.path, ...(input.query ? { query: input.query } : {}), accept: 'application/json', signal, headersTimeoutMs: timeoutMs });
  } catch (err) { throw timedOut(err); }
  const { res, close } = opened;
  try {
    let text: string;
    try { text = await readText(res); } catch (err) { throw timedOut(err); }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiException(res.statusCode ?? 0, 'reply is not JSON', text.slice(0, 200), {});
    }
  } finally {
    close();
  }
}
