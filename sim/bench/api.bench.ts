/**
 * API section of `npm run bench:sim`: request throughput of one cluster's HTTPS API (GETs over
 * keep-alive connections, a few in flight) and watch event latency (from a store write to the
 * event arriving at a client watching over HTTPS), median and p99.
 */
import * as https from 'node:https';
import { createStore } from '../src/apiserver/store.js';
import { startApiServer } from '../src/apiserver/server.js';
import { registerKinds } from '../src/kinds/index.js';

const WATCH_BENCH_LIMIT_MS = 30_000;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))] ?? NaN; };

export async function runApiBench(opts: { log: (line: string) => void; requests?: number; concurrency?: number; events?: number }): Promise<void> {
  const { log } = opts;
  const requests = opts.requests ?? 3000; const concurrency = opts.concurrency ?? 8; const events = opts.events ?? 500;
  const store = createStore();
  registerKinds(store);
  store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' }, data: { a: '1' } } as never);
  const api = await startApiServer({ store, clusterName: 'bench' });
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: api.caPem });
  const get = (path: string) => new Promise<void>((resolve, reject) => {
    const req = https.request(`${api.url}${path}`, { agent, headers: { Authorization: `Bearer ${api.token}`, Accept: 'application/json' } }, (res) => {
      res.resume(); res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject); req.end();
  });
  try {
    // Throughput: `requests` GETs of one object, `concurrency` at a time.
    let next = 0; const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next++ < requests) await get('/api/v1/namespaces/default/configmaps/probe'); }));
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    log(`GET throughput: ${(requests / secs).toFixed(0)} requests/s (${requests} requests, ${concurrency} in flight, HTTPS keep-alive)`);

    // Watch latency: time from each write to its event at an HTTPS watcher.
    const sent = new Map<string, bigint>(); const lat: number[] = [];
    let resolveAll!: () => void; const all = new Promise<void>((r) => { resolveAll = r; });
    const rv = store.currentResourceVersion();
    const watchReq = https.request(`${api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, { agent: new https.Agent({ ca: api.caPem }), headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      let buf = '';
      res.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i); buf = buf.slice(i + 1);
          const ev = JSON.parse(line) as { object?: { data?: { n?: string } } };
          const n = ev.object?.data?.n; const at = n ? sent.get(n) : undefined;
          if (at !== undefined) { lat.push(Number(process.hrtime.bigint() - at) / 1e6); if (lat.length === events) resolveAll(); }
        }
      });
    });
    watchReq.end();
    await new Promise((r) => setTimeout(r, 200)); // let the watch connect before writing
    for (let n = 0; n < events; n++) {
      sent.set(String(n), process.hrtime.bigint());
      store.mergePatch('v1', 'ConfigMap', 'probe', 'default', { data: { n: String(n) } });
      if (n % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const limit = new Promise((r) => { const t = setTimeout(r, WATCH_BENCH_LIMIT_MS); t.unref(); });
    await Promise.race([all, limit]); // a bound, not a pause: it ends as soon as every event arrived
    watchReq.destroy();
    log(`watch event latency: median ${pct(lat, 0.5).toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms (${lat.length}/${events} events)`);
  } finally {
    agent.destroy();
    await api.stop();
  }
}
