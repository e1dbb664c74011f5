/**
 * The 2026-04 cluster lifecycle as real kubectl 1.32 sees it, over the clusters' HTTPS API servers:
 * a child applied on the management cluster is `Pivoted` there (kubectl wait), its pools are
 * `<name>-pool-<id>` MachineDeployments whose nodes carry `lattice.dev/pool`, scaling a pool scales
 * its MachineDeployment, and `kubectl delete --wait=false` on the parent shows `Deleting` until the
 * copy and the child's machines are gone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import * as yaml from 'js-yaml';
import { startApiServer } from '../../src/apiserver/index.js';
import { Infrastructure, install } from '../../src/lifecycle/index.js';
import { ensureKubectl, kubectl } from '../helpers/kubectl.js';
import { cluster0404 } from '../lifecycle/v2026-04.js';

let dir: string;
let infra: Infrastructure;
let mgmtKc: string;

const kubeconfigOf = (name: string) => {
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(path, infra.adminKubeconfig(name)!);
  return path;
};

async function ok(kc: string, args: string[], input?: string): Promise<string> {
  const r = await kubectl(kc, args, { input, timeoutMs: 60_000 });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A running `kubectl get -w`: `until(re)` resolves with the lines seen once one matches (bounded). */
function startWatch(kc: string, args: string[]): { until(re: RegExp, timeoutMs?: number): Promise<string[]>; stop(): void } {
  const child = spawn(ensureKubectl(), ['--kubeconfig', kc, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir } });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters) w();
  });
  return {
    until: (re, timeoutMs = 30_000) => new Promise((resolve, reject) => {
      const check = () => { if (lines.some((l) => re.test(l))) { waiters.delete(check); clearTimeout(timer); resolve([...lines]); } };
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`kubectl ${args.join(' ')}: no line matching ${re} in ${timeoutMs} ms; saw ${JSON.stringify(lines)}`)); }, timeoutMs);
      waiters.add(check);
      check();
    }),
    stop: () => child.kill(),
  };
}

before(async () => {
  ensureKubectl();
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-v2026-04-lc-'));
  infra = new Infrastructure({ workDir: dir, apiServer: ({ store, clusterName }) => startApiServer({ store, clusterName }) });
  await install({ infra, cluster: cluster0404('e2e-mgmt', { default: 1 }, { parent: true }), log: () => undefined, timeoutMs: 30_000, apiVersion: '2026-04' });
  mgmtKc = kubeconfigOf('e2e-mgmt');
});
after(async () => { await infra?.destroyAll(); rmSync(dir, { recursive: true, force: true }); });

test('kubectl: a child on its parent goes Pivoted, pools and pool labels on the child, scaling, Deleting on the parent', async () => {
  const child = cluster0404('e2e-workload', { 'zone-a': { replicas: 1, labels: { 'topology.kubernetes.io/zone': 'zone-a' } }, 'zone-b': 1 });
  await ok(mgmtKc, ['apply', '-f', '-'], yaml.dump(child));
  await ok(mgmtKc, ['wait', 'lc/e2e-workload', '--for=jsonpath={.status.phase}=Pivoted', '--timeout=30s']);
  const table = await ok(mgmtKc, ['get', 'lc']);
  assert.match(table, /^e2e-mgmt\s+Ready\s+1\.32\.0/m);
  assert.match(table, /^e2e-workload\s+Pivoted\s+1\.32\.0/m);
  assert.equal(await ok(mgmtKc, ['get', 'machinedeployments', '-n', 'capi-e2e-workload', '-o', 'name']), '', 'the pivot moved them');

  const childKc = kubeconfigOf('e2e-workload');
  await ok(childKc, ['wait', 'lc/e2e-workload', '--for=jsonpath={.status.readyWorkers}=2', '--timeout=30s']);
  assert.equal((await ok(childKc, ['get', 'machinedeployments', '-n', 'capi-e2e-workload', '-o', 'name'])).trim().split('\n').sort().join(' '),
    'machinedeployment.cluster.x-k8s.io/e2e-workload-pool-zone-a machinedeployment.cluster.x-k8s.io/e2e-workload-pool-zone-b');
  const pools = await ok(childKc, ['get', 'nodes', '-l', 'lattice.dev/pool', '-o', 'jsonpath={range .items[*]}{.metadata.labels.lattice\\.dev/pool}/{.metadata.labels.topology\\.kubernetes\\.io/zone}{"\\n"}{end}']);
  assert.deepEqual(pools.trim().split('\n').sort(), ['zone-a/zone-a', 'zone-b/']);

  await ok(childKc, ['patch', 'lc', 'e2e-workload', '--type=merge', '-p', '{"spec":{"nodes":{"workerPools":{"zone-b":{"replicas":2}}}}}']);
  await ok(childKc, ['wait', 'lc/e2e-workload', '--for=jsonpath={.status.workerPools.zone-b.readyReplicas}=2', '--timeout=30s']);
  assert.equal(await ok(childKc, ['get', 'md', 'e2e-workload-pool-zone-b', '-n', 'capi-e2e-workload', '-o', 'jsonpath={.spec.replicas}']), '2');

  // The parent's copy shows Deleting while the child unpivots (watched: at the target's speed it is brief).
  const watch = startWatch(mgmtKc, ['get', 'lc', 'e2e-workload', '--watch', '--output-watch-events', '-o', 'jsonpath={.type} {.object.status.phase}{"\\n"}']);
  let events: string[];
  try {
    await watch.until(/^ADDED Pivoted$/); // the watch runs before the delete
    await ok(mgmtKc, ['delete', 'lc', 'e2e-workload', '--wait=false']);
    events = await watch.until(/^DELETED /);
  } finally { watch.stop(); }
  assert.ok(events.includes('MODIFIED Deleting'), `the watch saw Deleting: ${JSON.stringify(events)}`);
  await ok(mgmtKc, ['wait', 'lc/e2e-workload', '--for=delete', '--timeout=30s']);
  assert.equal(infra.has('e2e-workload'), false, 'the child\'s machines are gone');
});
