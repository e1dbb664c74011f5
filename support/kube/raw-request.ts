/**
 * A GET on any API path with the cluster's own credentials, for the generic waits: the typed
 * client-node APIs need a kind per call, the waits only know a path. Non-2xx replies become
 * client-node `ApiException`s so retry and messages treat both the same way.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ApiException } from '@kubernetes/client-node';
import type { ClusterClient } from './clients.js';

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

export async function getJson<T>(client: ClusterClient, input: GetJsonInput): Promise<T> {
  const url = apiUrl(client, input.path, input.query);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json', Connection: 'close' } };
  await client.kc.applyToHTTPSOptions(opts);
  const agent = opts.agent as http.Agent | undefined;
  const signals = [AbortSignal.timeout(input.timeoutMs ?? 30_000)];
  if (input.signal) signals.push(input.signal);
  const signal = AbortSignal.any(signals);
  const send = url.protocol === 'http:' ? http.request : https.request;
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = send(url, { ...opts, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new ApiException(status, `HTTP ${status}`, text, {}));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new ApiException(status, 'reply is not JSON', text.slice(0, 200), {}));
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    agent?.destroy();
  }
}
