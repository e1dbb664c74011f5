/**
 * Services benchmark of the embedded target: time to compile and make Ready the fixed mesh and a
 * 200-service random mesh, enforcement decisions per second, and CPU/memory of the target (node
 * process plus every pod process) with the 200 services' probe scripts running.
 *
 * Run alone: node --no-warnings --import ./sim/register.mjs sim/bench/services.bench.ts
 * From another bench: `const figures = await runServicesBench({ log })`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KubeObject, ObjectStore } from '../src/apiserver/types.js';
import { createStore } from '../src/apiserver/store.js';
import { registerKinds } from '../src/kinds/index.js';
import { setFaults } from '../src/faults.js';
import { PolicySnapshot, compile, decide, startServiceRuntime, type ServiceRuntime } from '../src/services/index.js';

export interface ServicesBenchOptions {
  /** Services in the random mesh (default 200). */
  services?: number;
  /** Seconds between probe rounds of each frontend (default 30, as upstream). */
  probeIntervalS?: number;
  /** Length of the CPU/memory window in seconds (default 30). */
  windowS?: number;
  log?: (line: string) => void;
}

const LATTICE = 'lattice.dev/v1alpha1';

function rng(seed: number) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }

function ls(name: string, namespace: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: LATTICE, kind: 'LatticeService', metadata: { name, namespace }, spec };
}

function probe(targets: string[], intervalS: number): string {
  return `while true; do
  for u in ${targets.join(' ')}; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 "$u" 2>/dev/null) || code=000
    echo "$u: $code"
  done
  sleep ${intervalS}
done`;
}

/** Fixed mesh of lattice-facts §4.4. */
function fixedMesh(intervalS: number): KubeObject[] {
  const ns = 'mesh-test';
  const fronts = ['frontend-web', 'frontend-mobile', 'frontend-admin'];
  const inb = (...n: string[]) => Object.fromEntries(n.map((x) => [x, { type: 'service', direction: 'inbound' }]));
  const out = (...n: string[]) => Object.fromEntries(n.map((x) => [x, { type: 'service', direction: 'outbound' }]));
  const nginx = (name: string, resources: Record<string, unknown>) => ls(name, ns, { containers: { main: { image: 'nginx:alpine' } }, service: { ports: { http: { port: 80 } } }, resources });
  const all = [...fronts, 'api-gateway', 'api-users', 'api-orders', 'db-users', 'db-orders', 'cache'];
  return [
    nginx('db-users', inb('api-gateway', 'api-users')), nginx('db-orders', inb('api-gateway', 'api-orders')), nginx('cache', inb('api-gateway', 'api-users', 'api-orders')),
    nginx('api-gateway', { ...out('db-users', 'db-orders', 'cache'), ...inb(...fronts) }),
    nginx('api-users', { ...out('db-users', 'cache'), ...inb('frontend-web', 'frontend-admin') }),
    nginx('api-orders', { ...out('db-orders', 'cache'), ...inb('frontend-mobile', 'frontend-admin') }),
    ...fronts.map((f) => { const others = all.filter((x) => x !== f); return ls(f, ns, { containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh'], args: ['-c', probe(others.map((o) => `http://${o}.${ns}.svc.cluster.local/`), intervalS)] } }, resources: out(...others) }); }),
  ];
}

/** A layered random mesh in the shape of lattice-facts §4.5, scaled to n services (seeded). */
export function randomMesh(n: number, intervalS: number, seed = 42): { services: KubeObject[]; externals: KubeObject[]; frontends: number; checks: number } {
  const ns = 'random-mesh';
  const r = rng(seed);
  const names = ['frontend', 'gateway', 'api', 'backend', 'data'];
  const base = Math.floor(n / 5);
  const sizes = [base + Math.floor(r() * (base / 2)), ...[1, 2, 3].map(() => base + Math.floor(r() * (base / 3)))];
  let used = sizes.reduce((a, b) => a + b, 0);
  while (used > n - 1) { const i = sizes.indexOf(Math.max(...sizes)); sizes[i]--; used--; }
  sizes.push(n - used);
  const layers = sizes.map((s, l) => Array.from({ length: s }, (_, i) => `${names[l]}-${i}`));
  const res = new Map<string, Record<string, unknown>>(layers.flat().map((x) => [x, {}]));
  const targets = new Map<string, string[]>();
  for (let l = 0; l < 4; l++) for (const a of layers[l]) for (let m = l + 1; m < 5; m++) for (const b of layers[m]) {
    if (r() < 0.3) {
      res.get(a)![b] = { type: 'service', direction: 'outbound' };
      if (r() < 0.6) res.get(b)![a] = { type: 'service', direction: 'inbound' };
      if (l === 0) targets.set(a, [...(targets.get(a) ?? []), `http://${b}.${ns}.svc.cluster.local/`]);
    }
  }
  const exts = [['httpbin', 'https://httpbin.org/status/200'], ['example', 'https://example.com'], ['google', 'https://www.google.com'], ['cloudflare', 'https://one.one.one.one'], ['github', 'https://github.com']];
  const allowed = new Map<string, string[]>(exts.map(([e]) => [e, []]));
  for (const f of layers[0]) {
    for (const [e, url] of exts) {
      if (r() < 0.3) { res.get(f)![e] = { type: 'external-service', direction: 'outbound' }; if (r() < 0.6) allowed.get(e)!.push(f); }
      targets.set(f, [...(targets.get(f) ?? []), url]);
    }
    targets.set(f, [...(targets.get(f) ?? []), `http://${layers[0][(layers[0].indexOf(f) + 1) % layers[0].length]}.${ns}.svc.cluster.local/`]);
  }
  const services = layers.flat().map((name) => name.startsWith('frontend-')
    ? ls(name, ns, { containers: { main: { image: 'curlimages/curl:latest', command: ['/bin/sh'], args: ['-c', probe(targets.get(name) ?? [], intervalS)] } }, resources: res.get(name) })
    : ls(name, ns, { containers: { main: { image: 'nginx:alpine' } }, service: { ports: { http: { port: 80 } } }, resources: res.get(name) }));
  const externals = exts.map(([e, url]) => ({ apiVersion: LATTICE, kind: 'LatticeExternalService', metadata: { name: e, namespace: ns }, spec: { endpoints: { default: url }, allowedRequesters: allowed.get(e), resolution: 'dns' } }));
  return { services, externals, frontends: layers[0].length, checks: [...targets.values()].reduce((a, t) => a + t.length, 0) };
}

function node(name: string, controlPlane = false): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
  };
}

async function world(workers: number) {
  const store = createStore();
  registerKinds(store, { crds: false });
  store.create(node('bench-control-plane', true));
  for (let i = 0; i < workers; i++) store.create(node(`bench-md-0-${i}`));
  const workDir = mkdtempSync(join(tmpdir(), 'lattice-sim-bench-'));
  const runtime = await startServiceRuntime({ clusterName: 'bench', store, workDir });
  return { store, runtime, stop: async () => { await runtime.stop(); rmSync(workDir, { recursive: true, force: true }); } };
}

function readyCount(store: ObjectStore, ns: string) {
  const svcs = store.list(LATTICE, 'LatticeService', { namespace: ns }).items;
  const pods = store.list('v1', 'Pod', { namespace: ns }).items.filter((p) => p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
  return { ready: svcs.filter((s) => s.status?.phase === 'Ready').length, total: svcs.length, pods: pods.length };
}

async function timeToReady(store: ObjectStore, ns: string, objs: KubeObject[], timeoutMs: number): Promise<number> {
  if (!store.get('v1', 'Namespace', ns)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const t0 = performance.now();
  for (const o of objs) store.apply(o);
  const want = objs.filter((o) => o.kind === 'LatticeService').length;
  for (;;) {
    const c = readyCount(store, ns);
    if (c.ready === want && c.pods >= want + 1) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${ns}: not Ready after ${timeoutMs} ms: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const TICK = 100; // USER_HZ
function procTimes(pid: number): { cpu: number; rss: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICK; // utime stime cutime cstime
    const rss = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    return { cpu, rss };
  } catch { return undefined; }
}

async function resourceWindow(runtime: ServiceRuntime, seconds: number) {
  const pids = runtime.processIds();
  const before = new Map(pids.map((p) => [p, procTimes(p)]));
  const cpu0 = process.cpuUsage();
  const decisions0 = Object.values(runtime.proxy.counts).reduce((a, b) => a + b, 0);
  const t0 = performance.now();
  let peakRss = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    let rss = process.memoryUsage().rss;
    for (const p of runtime.processIds()) rss += procTimes(p)?.rss ?? 0;
    peakRss = Math.max(peakRss, rss);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = process.cpuUsage(cpu0);
  let childCpu = 0;
  for (const [p, b] of before) { const a = procTimes(p); if (a && b) childCpu += a.cpu - b.cpu; }
  const nodeCpu = (cpu1.user + cpu1.system) / 1e6;
  const decisions = Object.values(runtime.proxy.counts).reduce((a, b) => a + b, 0) - decisions0;
  return { wall, nodeCores: nodeCpu / wall, podCores: childCpu / wall, totalCores: (nodeCpu + childCpu) / wall, peakRssMiB: peakRss / 2 ** 20, processes: pids.length, proxiedPerSecond: decisions / wall };
}

export async function runServicesBench(opts: ServicesBenchOptions = {}): Promise<Record<string, number | string>> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const n = opts.services ?? 200;
  const interval = opts.probeIntervalS ?? 30;
  setFaults(new Set());
  const figures: Record<string, number | string> = {};

  // Pure compile of the fixed mesh and the random mesh.
  const rm = randomMesh(n, interval);
  const cpuS = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  let c0 = process.cpuUsage();
  for (let i = 0; i < 20; i++) compile(rm.services, rm.externals);
  figures[`compile ${n}-service mesh (CPU ms, pure)`] = +(cpuS(process.cpuUsage(c0)) * 1000 / 20).toFixed(2);

  // Enforcement decisions per second on the compiled random mesh (pure, in process).
  const { objects } = compile(rm.services, rm.externals);
  const pods = objects.filter((o) => o.kind === 'Deployment').map((d) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${d.metadata.name}-x`, namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels }, spec: d.spec.template.spec, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }));
  const snap = new PolicySnapshot([...objects, ...pods]);
  const callers = rm.services.filter((s) => s.metadata.name.startsWith('frontend-')).map((s) => ({ namespace: 'random-mesh', labels: { 'app.kubernetes.io/name': s.metadata.name }, serviceAccount: s.metadata.name }));
  const hosts = rm.services.map((s) => `${s.metadata.name}.random-mesh.svc.cluster.local`);
  let count = 0;
  let t = performance.now();
  c0 = process.cpuUsage();
  while (performance.now() - t < 1000) { for (let i = 0; i < 100; i++) { decide(snap, callers[count % callers.length], { host: hosts[(count * 7) % hosts.length], port: 80 }); count++; } }
  figures['enforcement decisions per CPU-second (pure, 200-service policy set)'] = Math.round(count / cpuS(process.cpuUsage(c0)));

  // Fixed mesh to Ready in a running target.
  const w1 = await world(1);
  try {
    figures['fixed mesh: apply → all Ready + 10 pods Running (ms)'] = Math.round(await timeToReady(w1.store, 'mesh-test', fixedMesh(interval), 60_000));
  } finally { await w1.stop(); }

  // Random mesh to Ready, then its probe scripts running.
  const w2 = await world(3);
  try {
    figures[`random mesh: ${n} services (${rm.frontends} probing, ${rm.checks} checks/round) apply → Ready + pods Running (ms)`] =
      Math.round(await timeToReady(w2.store, 'random-mesh', [...rm.externals, ...rm.services], 120_000));
    await w2.runtime.settled();
    // Decisions per second through the data plane entry point (snapshot cached, running pods).
    const fronts = w2.store.list('v1', 'Pod', { namespace: 'random-mesh' }).items.filter((p) => p.metadata.labels?.['app.kubernetes.io/name']?.startsWith('frontend-'));
    count = 0;
    t = performance.now();
    c0 = process.cpuUsage();
    while (performance.now() - t < 1000) { for (let i = 0; i < 100; i++) { try { w2.runtime.decideFor('random-mesh', fronts[count % fronts.length].metadata.name, hosts[(count * 7) % hosts.length], 80); } catch { /* pod restarting */ } count++; } }
    figures['enforcement decisions per CPU-second (runtime, live store)'] = Math.round(count / cpuS(process.cpuUsage(c0)));
    figures['  (decisions/s wall clock on this machine)'] = Math.round(count / ((performance.now() - t) / 1000));
    const r = await resourceWindow(w2.runtime, opts.windowS ?? 30);
    figures[`CPU cores over ${r.wall.toFixed(0)} s with ${n} services, probe every ${interval} s (node + pods)`] = +r.totalCores.toFixed(3);
    figures['  of which node process'] = +r.nodeCores.toFixed(3);
    figures['  of which pod processes (sh, curl, sleep)'] = +r.podCores.toFixed(3);
    figures['peak RSS, node + pod processes (MiB)'] = Math.round(r.peakRssMiB);
    figures['pod processes'] = r.processes;
    figures['proxied requests/s during the window'] = +r.proxiedPerSecond.toFixed(1);
  } finally { await w2.stop(); }

  figures['load average (1 min) at the end'] = +(await import('node:os')).loadavg()[0].toFixed(1);
  for (const [k, v] of Object.entries(figures)) log(`${k}: ${v}`);
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runServicesBench({
    services: Number(process.env.BENCH_SERVICES ?? 200),
    probeIntervalS: Number(process.env.BENCH_PROBE_INTERVAL_S ?? 30),
    windowS: Number(process.env.BENCH_WINDOW_S ?? 30),
  }).catch((e) => { console.error(e); process.exit(1); });
}
