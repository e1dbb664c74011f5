/**
 * `npm run bench:sim`: figures of the embedded target on this machine.
 *  - lifecycle: install → workload → workload2 → delete both → uninstall, in-process over real HTTPS
 *    API servers (median of a few runs, per step), and the same through the real CLIs and daemon,
 *    once per Lattice API version (2026-01 beside 2026-04; BENCH_VERSIONS narrows it);
 *  - further sections (API throughput, services) come from sibling bench modules: add an entry to
 *    SECTIONS below.
 * Options: BENCH_RUNS (default 3), BENCH_SECTIONS (comma-separated names, default all), BENCH_VERSIONS
 * (comma-separated Lattice API versions, default both).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { startApiServer } from '../src/apiserver/server.js';
import type { KubeObject, ObjectStore } from '../src/apiserver/types.js';
import { getSpeed } from '../src/clock.js';
import { API_VERSIONS, parseApiVersion, type ApiVersion } from '../src/versions/index.js';
import { Infrastructure, install, uninstall } from '../src/lifecycle/index.js';
import { waitForObject } from '../src/lifecycle/waits.js';

const LC_API = 'lattice.dev/v1alpha1';
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A Docker LatticeCluster with one control plane and one worker, in the shape of `version`. */
function cluster(version: ApiVersion, name: string, parent?: string): KubeObject {
  const kubernetes = { version: '1.32.0', certSANs: ['127.0.0.1', 'localhost'] };
  if (version === '2026-01') {
    return {
      apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name },
      spec: {
        provider: { kubernetes, config: { docker: {} } },
        nodes: { controlPlane: 1, workers: 1 },
        ...(parent ? { parentConfig: { host: parent, grpcPort: 50051, bootstrapPort: 8443, service: { type: 'LoadBalancer' } } } : {}),
      },
    };
  }
  // b5d50e90: providerRef, latticeImage, controlPlane.replicas, workerPools (crd/cluster.rs:75-138).
  return {
    apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name },
    spec: {
      providerRef: 'docker', latticeImage: 'ghcr.io/evan-hines-js/lattice:latest',
      provider: { kubernetes, config: { docker: {} } },
      nodes: { controlPlane: { replicas: 1 }, workerPools: { default: { replicas: 1 } } },
      ...(parent ? { parentConfig: { service: { type: 'LoadBalancer' } } } : {}),
    },
  };
}

/** The phase a parent reports for a pivoted child: Ready at 2026-01, Pivoted at 2026-04 (phases/pivoting.rs:43-52). */
const pivotedPhase = (version: ApiVersion) => (version === '2026-01' ? 'Ready' : 'Pivoted');

const phase = (store: ObjectStore, name: string, want: string) => waitForObject({
  store, apiVersion: LC_API, kind: 'LatticeCluster', name, timeoutMs: 60_000, what: `reach ${want}`,
  until: (o) => o?.status?.phase === want,
});
const gone = (store: ObjectStore, name: string) => waitForObject({
  store, apiVersion: LC_API, kind: 'LatticeCluster', name, timeoutMs: 60_000, what: 'be gone', until: (o) => !o,
});
const workers = (store: ObjectStore, n: number) => new Promise<void>((resolve, reject) => {
  const ok = () => store.list('v1', 'Node', { labelSelector: '!node-role.kubernetes.io/control-plane' }).items.length >= n;
  const timeoutMs = 60_000;
  const timer = setTimeout(() => { stop(); reject(new Error(`timed out waiting for ${n} workers`)); }, timeoutMs);
  const stop = store.watch('v1', 'Node', {}, () => { if (ok()) { clearTimeout(timer); stop(); resolve(); } });
  if (ok()) { clearTimeout(timer); stop(); resolve(); }
});

/** One in-process lifecycle; returns milliseconds per step. */
async function lifecycleOnce(version: ApiVersion): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-bench-'));
  const infra = new Infrastructure({ workDir: dir, apiServer: (o) => startApiServer(o) });
  const steps: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => { const now = performance.now(); steps[name] = now - t; t = now; };
  try {
    await install({ infra, cluster: cluster(version, 'e2e-mgmt', '172.18.255.10'), log: () => undefined, apiVersion: version });
    const mgmt = infra.host('e2e-mgmt')!.store;
    await workers(mgmt, 1);
    lap('install e2e-mgmt (Ready, 1 worker)');
    mgmt.create(cluster(version, 'e2e-workload', '172.18.255.20'));
    await phase(mgmt, 'e2e-workload', pivotedPhase(version));
    const wl = infra.host('e2e-workload')!.store;
    await workers(wl, 1);
    lap('e2e-workload Ready with 1 worker');
    wl.create(cluster(version, 'e2e-workload2'));
    await phase(wl, 'e2e-workload2', pivotedPhase(version));
    const wl2 = infra.host('e2e-workload2')!.store;
    await workers(wl2, 1);
    lap('e2e-workload2 Ready with 1 worker');
    wl2.delete(LC_API, 'LatticeCluster', 'e2e-workload2');
    await gone(wl, 'e2e-workload2');
    lap('delete e2e-workload2 (gone from its parent)');
    wl.delete(LC_API, 'LatticeCluster', 'e2e-workload');
    await gone(mgmt, 'e2e-workload');
    lap('delete e2e-workload (gone from its parent)');
    await uninstall({ infra, cluster: 'e2e-mgmt', name: 'e2e-mgmt', log: () => undefined });
    lap('uninstall e2e-mgmt');
    if (infra.names().length) throw new Error(`clusters left after uninstall: ${infra.names().join(', ')}`);
    return steps;
  } finally {
    await infra.destroyAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function lifecycleSection(version: ApiVersion): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  log(`lifecycle at Lattice API ${version}, in-process over HTTPS APIs (speed ${getSpeed()}, median of ${runs} runs):`);
  const all: Array<Record<string, number>> = [];
  for (let i = 0; i < runs; i++) all.push(await lifecycleOnce(version));
  let total = 0;
  for (const step of Object.keys(all[0])) {
    const m = median(all.map((r) => r[step]));
    total += m;
    log(`  ${step.padEnd(46)} ${fmt(m)}`);
  }
  log(`  ${'total install → workload → workload2 → delete both → uninstall'.padEnd(46)} ${fmt(median(all.map((r) => Object.values(r).reduce((a, b) => a + b, 0))))} (sum of medians ${fmt(total)})`);
}

function runBin(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => execFile(bin, args, { env, timeout: 300_000 }, (err, _o, stderr) => {
    if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${stderr.trim()}`)); else resolve(performance.now() - t);
  }));
}

async function cliSection(version: ApiVersion): Promise<void> {
  const simDir = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'lattice-sim-bench-cli-'));
  // HOME too: at 2026-04 lattice install writes ~/.lattice (upstream's config.rs), which a bench must not leave behind.
  const env = { ...process.env, HOME: dir, LATTICE_SIM_HOME: join(dir, 'home'), LATTICE_SIM_API_VERSION: version };
  const file = join(dir, 'mgmt.yaml');
  const kc = join(dir, 'kc');
  // At 2026-04 the management cluster needs a parentConfig: its auth proxy is what --kubeconfig-out points at.
  writeFileSync(file, yaml.dump(cluster(version, 'bench-mgmt', version === '2026-01' ? undefined : 'cell')));
  try {
    log(`lifecycle through the CLIs at Lattice API ${version} (wall time incl. process start):`);
    log(`  ${'lattice --help (warm start)'.padEnd(46)} ${fmt(await runBin(join(simDir, 'bin/lattice'), ['--help'], env))}`);
    log(`  ${'lattice install (starts the daemon)'.padEnd(46)} ${fmt(await runBin(join(simDir, 'bin/lattice'), ['install', '-f', file, '--kubeconfig-out', kc], env))}`);
    log(`  ${'lattice-sim list'.padEnd(46)} ${fmt(await runBin(join(simDir, 'bin/lattice-sim'), ['list'], env))}`);
    log(`  ${'lattice uninstall (daemon exits after)'.padEnd(46)} ${fmt(await runBin(join(simDir, 'bin/lattice'), ['uninstall', '-k', kc, '-y'], env))}`);
  } finally {
    await runBin(join(simDir, 'bin/lattice-sim'), ['stop'], env).catch(() => 0);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sections in print order; sibling bench modules are loaded only when their section runs. */
function benchVersionsOf(text: string | undefined): ApiVersion[] {
  try {
    return (text ?? '').split(',').map((v) => v.trim()).filter(Boolean).map((v) => parseApiVersion(v, 'BENCH_VERSIONS'));
  } catch (e) {
    process.stderr.write(`bench:sim: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
const versions = benchVersionsOf(process.env.BENCH_VERSIONS);
const benchVersions: readonly ApiVersion[] = versions.length ? versions : API_VERSIONS;
const eachVersion = (section: (v: ApiVersion) => Promise<void>) => async () => { for (const v of benchVersions) await section(v); };
const SECTIONS: Array<{ name: string; run: () => Promise<void> }> = [
  { name: 'lifecycle', run: eachVersion(lifecycleSection) },
  { name: 'cli', run: eachVersion(cliSection) },
  {
    name: 'api',
    run: async () => {
      const mod = await import('./api.bench.js');
      log('api:');
      await mod.runApiBench({ log: (l: string) => log(`  ${l}`) });
    },
  },
  {
    name: 'services',
    run: async () => {
      const mod = await import('./services.bench.js');
      log('services:');
      await mod.runServicesBench({ log: (l: string) => log(`  ${l}`) });
    },
  },
];

const wanted = (process.env.BENCH_SECTIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
log(`lattice-sim bench: node ${process.version}, ${new Date().toISOString()}`);
for (const s of SECTIONS) {
  if (wanted.length && !wanted.includes(s.name)) continue;
  await s.run();
}
process.exit(0);
