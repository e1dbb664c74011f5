/**
 * `GET <server>/kubeconfig[?format=]` with a bearer token (cli/commands/proxy.rs:49-136): retried
 * with backoff (2 s doubling to 30 s, scaled by LATTICE_SIM_SPEED like every duration of the target)
 * on connection failures, 5xx and 401 (and 403 when `retryForbidden`), fatal on other 4xx and on a
 * body that is not JSON. `maxAttempts` 0 retries forever. TLS is verified against the system's
 * roots unless `insecure`, as reqwest does: the cell CA is not one of them.
 */
import { request } from 'node:https';

export interface FetchKubeconfigInput {
  server: string; token: string; insecure: boolean; format?: string; maxAttempts: number; retryForbidden: boolean;
}

class Fatal extends Error {}

const REASON: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function get(url: string, token: string, insecure: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: !insecure, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('operation timed out')));
    req.on('error', reject);
    req.end();
  });
}

const speed = () => { const s = Number(process.env.LATTICE_SIM_SPEED ?? 1); return s > 0 ? s : 1; };

export async function fetchKubeconfig(i: FetchKubeconfigInput): Promise<string> {
  const url = `${i.server.replace(/\/+$/, '')}/kubeconfig${i.format ? `?format=${i.format}` : ''}`;
  let delay = 2000;
  for (let attempt = 1; ; attempt++) {
    let err: Error;
    try {
      let r: { status: number; body: string };
      try { r = await get(url, i.token, i.insecure); } catch (e) { throw new Error(`failed to connect to ${url}: ${(e as Error).message}`); }
      const line = `proxy returned ${r.status} ${REASON[r.status] ?? ''} from ${url}: ${r.body}`.replace(`${r.status}  from`, `${r.status} from`);
      if (r.status >= 200 && r.status < 300) {
        try { JSON.parse(r.body); } catch (e) { throw new Fatal(`proxy returned invalid JSON: ${(e as Error).message}`); }
        return r.body;
      }
      if (r.status >= 400 && r.status < 500 && !(r.status === 401 || (i.retryForbidden && r.status === 403))) throw new Fatal(line);
      throw new Error(line);
    } catch (e) {
      if (e instanceof Fatal) throw e;
      err = e as Error;
    }
    if (i.maxAttempts > 0 && attempt >= i.maxAttempts) throw err;
    await new Promise((r) => setTimeout(r, delay / speed()));
    delay = Math.min(delay * 2, 30_000);
  }
}
