/**
 * The target as the suite meets it: `lattice install`, real kubectl 1.32 against the HTTPS APIs,
 * a child created on its parent, the admin kubeconfig from the control surface, the parent
 * destroyed (`docker rm -f`) while the child keeps scaling, deletion through the child's own API,
 * `lattice uninstall`, and no process left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ensureKubectl, kubectl, KUBECTL_PATH } from '../helpers/kubectl.js';
import { LATTICE_BIN, LATTICE_SIM_BIN, alive, daemonPid, newSimEnv, run, waitForExit } from './run.js';

const manifest = (name: string, o: { workers: number; host?: string; parent?: boolean }) => `apiVersion: lattice.dev/v1alpha1
kind: LatticeCluster
metadata:
  name: ${name}
  labels:
    lattice-acceptance/run-id: cli-test
spec:
  provider:
    kubernetes:
      version: "1.32.0"
      certSANs: ["127.0.0.1", "localhost"]
    config:
      docker: {}
  nodes:
    controlPlane: 1
    workers: ${o.workers}
${o.parent ? `  parentConfig:\n    host: ${o.host}\n    grpcPort: 50051\n    bootstrapPort: 8443\n    service:\n      type: LoadBalancer\n` : ''}`;

/** Polls kubectl until `check` passes on its stdout; kubectl has no wait for node counts. */
async function eventually(what: string, probe: () => Promise<string>, check: (out: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await probe();
    if (check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last output: ${last.trim()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('install, children, destruction, deletion and uninstall through the CLI and kubectl', () => {
  const sim = newSimEnv({ LATTICE_SIM_SPEED: '2' });
  const mgmtKc = join(sim.dir, 'e2e-mgmt-kubeconfig');
  const wlKc = join(sim.dir, 'e2e-workload-kubeconfig');
  const lattice = (args: string[]) => run(LATTICE_BIN, args, { env: sim.env });
  const ctl = (args: string[]) => run(LATTICE_SIM_BIN, args, { env: sim.env });
  const k = async (kc: string, args: string[], input?: string) => kubectl(kc, args, { input, timeoutMs: 30_000 });
  before(() => { ensureKubectl(); });
  after(() => sim.dispose());

  it('installs the management cluster through a bootstrap cluster that is then removed', async () => {
    const file = join(sim.dir, 'mgmt.yaml');
    writeFileSync(file, manifest('e2e-mgmt', { workers: 1, parent: true, host: '172.18.255.10' }));
    const r = await lattice(['install', '-f', file, '--kubeconfig-out', mgmtKc]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Creating bootstrap cluster "lattice-bootstrap"/);
    assert.match(r.stdout, /Deleting bootstrap cluster "lattice-bootstrap"/);
    assert.match(r.stdout, new RegExp(`Kubeconfig written to ${mgmtKc}`));
    assert.equal(statSync(mgmtKc).mode & 0o777, 0o600);
    assert.match(readFileSync(mgmtKc, 'utf8'), /server: https:\/\/127\.0\.0\.1:\d+/);
    const list = await ctl(['list', '--json']);
    assert.deepEqual(JSON.parse(list.stdout).map((c: { name: string }) => c.name), ['e2e-mgmt']);
    const phase = await k(mgmtKc, ['get', 'latticecluster', 'e2e-mgmt', '-o', 'jsonpath={.status.phase}']);
    assert.equal(phase.stdout, 'Ready', phase.stderr);
    const clusters = await k(mgmtKc, ['get', 'clusters', '-A', '-o', 'wide']);
    assert.ok(clusters.stdout.includes('e2e-mgmt'), clusters.stdout);
  });

  it('creates a child with kubectl, which becomes Ready and reachable by its admin kubeconfig', async (t) => {
    // Watch through the real API first, so every phase the child passes through is seen.
    const watcher = spawn(KUBECTL_PATH, ['--kubeconfig', mgmtKc, 'get', 'latticeclusters', '--watch', '--no-headers',
      '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase,COND:.status.conditions[0].reason'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let timer: NodeJS.Timeout | undefined;
    const watchTimeoutMs = 60_000;
    const readySeen = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no Ready row for e2e-workload in the watch; saw:\n${seen}`)), watchTimeoutMs);
      watcher.stdout.on('data', (c: Buffer) => { seen += c.toString(); if (/e2e-workload\s+Ready/.test(seen)) resolve(); });
    });
    readySeen.catch(() => undefined); // awaited below; never unhandled if an earlier assertion fails
    t.after(() => { clearTimeout(timer); watcher.kill(); });
    await eventually('the watch to list e2e-mgmt', async () => seen, (out) => out.includes('e2e-mgmt'));
    const created = await k(mgmtKc, ['apply', '-f', '-'], manifest('e2e-workload', { workers: 1, parent: true, host: '172.18.255.20' }));
    assert.equal(created.code, 0, created.stderr);
    const wait = await k(mgmtKc, ['wait', 'latticecluster/e2e-workload', '--for=jsonpath={.status.phase}=Ready', '--timeout=60s']);
    assert.equal(wait.code, 0, wait.stderr);
    try { await readySeen; } finally { clearTimeout(timer); watcher.kill(); }
    const phases = seen.split('\n').filter((l) => l.startsWith('e2e-workload')).map((l) => l.split(/\s+/)[1])
      .filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['<none>', 'Provisioning', 'Pivoting', 'Ready'], `watch rows:\n${seen}`);
    const kc = await ctl(['kubeconfig', 'e2e-workload', '--out', wlKc]);
    assert.equal(kc.code, 0, kc.stderr);
    await eventually('a Ready worker on e2e-workload',
      async () => (await k(wlKc, ['get', 'nodes', '-l', '!node-role.kubernetes.io/control-plane', '--no-headers'])).stdout,
      (out) => out.split('\n').filter((l) => /\sReady\s/.test(l)).length >= 1);
    const own = await k(wlKc, ['get', 'clusters', '-A']);
    assert.ok(own.stdout.includes('e2e-workload'), 'the child holds its own CAPI Cluster');
    const secret = await k(wlKc, ['get', 'secret', '-n', 'capi-e2e-workload', 'e2e-workload-kubeconfig', '-o', 'jsonpath={.data.value}']);
    assert.match(Buffer.from(secret.stdout, 'base64').toString(), /https:\/\/kubernetes\.default\.svc:443/);
  });

  it('destroys the parent at once; the child keeps scaling on its own', async () => {
    const d = await ctl(['destroy', 'e2e-mgmt']);
    assert.equal(d.code, 0, d.stderr);
    const gone = await k(mgmtKc, ['get', 'nodes', '--request-timeout=5s']);
    assert.notEqual(gone.code, 0, 'the destroyed API no longer answers');
    const patched = await k(wlKc, ['patch', 'latticecluster', 'e2e-workload', '--type=merge', '-p', '{"spec":{"nodes":{"workers":2}}}']);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually('two Ready workers on e2e-workload',
      async () => (await k(wlKc, ['get', 'nodes', '-l', '!node-role.kubernetes.io/control-plane', '--no-headers'])).stdout,
      (out) => out.split('\n').filter((l) => /\sReady\s/.test(l)).length >= 2);
  });

  it('keeps tokens and kubeconfigs out of the daemon log', () => {
    const logText = readFileSync(join(sim.home, 'daemon.log'), 'utf8');
    const token = JSON.parse(readFileSync(join(sim.home, 'daemon.json'), 'utf8')).token as string;
    assert.ok(logText.includes('e2e-workload'), 'the log describes what happened');
    assert.ok(!logText.includes(token), 'no control-surface token');
    for (const kc of [mgmtKc, wlKc]) {
      const apiToken = /token: (\S+)/.exec(readFileSync(kc, 'utf8'))?.[1];
      assert.ok(apiToken && !logText.includes(apiToken), 'no API token');
    }
    assert.doesNotMatch(logText, /certificate-authority-data|BEGIN CERTIFICATE/);
    assert.equal(statSync(join(sim.home, 'daemon.json')).mode & 0o777, 0o600);
  });

  it('a daemon whose last cluster is destroyed exits, leaving no process behind', async () => {
    const pid = daemonPid(sim.home);
    assert.ok(pid && alive(pid), 'the daemon runs');
    const r = await ctl(['sweep', '--run-id', 'cli-test']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed cluster e2e-workload/);
    await waitForExit(pid!);
    const status = await ctl(['status']);
    assert.equal(status.code, 3);
  });
});

describe('uninstall tears everything down and stops the daemon', () => {
  const sim = newSimEnv({ LATTICE_SIM_SPEED: '2' });
  const kc = join(sim.dir, 'kc');
  after(() => sim.dispose());

  it('install then uninstall leaves no cluster and no process', async () => {
    const file = join(sim.dir, 'mgmt.yaml');
    writeFileSync(file, manifest('solo', { workers: 1 }));
    const inst = await run(LATTICE_BIN, ['install', '-f', file, '--kubeconfig-out', kc], { env: { ...sim.env, LATTICE_SIM_RUN_ID: 'run-solo' } });
    assert.equal(inst.code, 0, inst.stderr);
    const listed = JSON.parse((await run(LATTICE_SIM_BIN, ['list', '--json'], { env: sim.env })).stdout);
    assert.equal(listed[0]?.labels?.['lattice-acceptance/run-id'], 'cli-test', 'a label the manifest carries is kept');
    const pid = daemonPid(sim.home);
    assert.ok(pid && alive(pid));
    const un = await run(LATTICE_BIN, ['uninstall', '-k', kc, '-n', 'solo', '-y'], { env: sim.env });
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, /Creating uninstall cluster "lattice-uninstall"/);
    assert.match(un.stdout, /Uninstall complete/);
    await waitForExit(pid!);
  });

  it('lattice-sim sets faults on a running daemon and stop stops it', async () => {
    const start = await run(LATTICE_SIM_BIN, ['start'], { env: sim.env });
    assert.equal(start.code, 0, start.stderr);
    const pid = daemonPid(sim.home);
    assert.ok(pid && alive(pid));
    const set = await run(LATTICE_SIM_BIN, ['faults', 'no-pivot,workers-never-scale'], { env: sim.env });
    assert.equal(set.code, 0, set.stderr);
    const status = JSON.parse((await run(LATTICE_SIM_BIN, ['status', '--json'], { env: sim.env })).stdout);
    assert.deepEqual([...status.faults].sort(), ['no-pivot', 'workers-never-scale']);
    const bad = await run(LATTICE_SIM_BIN, ['faults', 'bogus'], { env: sim.env });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown fault "bogus"/);
    const stop = await run(LATTICE_SIM_BIN, ['stop'], { env: sim.env });
    assert.equal(stop.code, 0, stop.stderr);
    await waitForExit(pid!);
  });
});
