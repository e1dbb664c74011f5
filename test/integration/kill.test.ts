// SIGKILL leaves everything behind; the next run's start finds it, removes it and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { daemonPid, descendants, readStat, sandbox, simClusters, startSuite, sim, stillRunning, waitUntil, type Proc } from './helpers.js';

test('after a SIGKILLed run, the next run sweeps its clusters, daemon, processes and kubeconfigs and reports each', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'sigkill');
  const first = join(box.workRoot, 'first');
  const env = { LATTICE_SIM_HOME: box.home, LATTICE_E2E_REPORTS_DIR: box.reports };
  const killed = startSuite(t, ['--tags', '@media'], { ...env, LATTICE_E2E_WORK_DIR: first });

  // Kill once the workload cluster is up and the media pods run: clusters, kubeconfigs and processes exist.
  const pid = await waitUntil('the embedded target daemon', () => daemonPid(box.home), 180_000, 500, () => killed.err().slice(-300));
  let snapshot: Proc[] = [];
  await waitUntil('a media pod process (sh) under the daemon', () => {
    snapshot = descendants(pid);
    return (snapshot.some((p) => p.comm === 'sh') && existsSync(join(first, 'e2e-workload.kubeconfig'))) || undefined;
  }, 180_000, 100, () => `processes: ${snapshot.map((p) => p.comm).join(',')}`);
  snapshot = [readStat(String(pid))!, ...snapshot];
  killed.signalGroup('SIGKILL');
  await killed.exited;
  assert.deepEqual(simClusters(box.home).sort(), ['e2e-mgmt', 'e2e-workload'], 'the killed run left its clusters');
  assert.ok(readdirSync(first).some((f) => f.endsWith('.kubeconfig')), 'the killed run left its kubeconfigs');

  // The next run (its scenario switched off, so only the start-up and the end run) cleans up.
  const next = startSuite(t, ['--tags', '@media'], { ...env, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'next'), LATTICE_ENABLE_MESH_TEST: 'false' });
  const { code } = await next.exited;
  const err = next.err();
  assert.equal(code, 0, err);
  assert.match(err, /start-up sweep: removed cluster e2e-mgmt/);
  assert.match(err, /start-up sweep: removed cluster e2e-workload/);
  assert.match(err, new RegExp(`start-up sweep: stopped the embedded target's daemon \\(pid ${pid}\\)`));
  assert.match(err, /start-up sweep: dead run \S+ \(pid \d+, started [^)]+\): removed \S+e2e-mgmt\.kubeconfig/);

  assert.deepEqual(simClusters(box.home), []);
  assert.equal(sim(box.home, ['status']).code, 3, 'no daemon runs');
  // The sweep waits for the daemon; its children may take a moment more to be gone.
  let left = stillRunning(snapshot);
  await waitUntil('the killed run\'s processes to exit', () => { left = stillRunning(snapshot); return left.length === 0 || undefined; }, 15_000, 100).catch(() => undefined);
  const describe = (p: Proc) => `${p.pid} ${p.comm} (state ${readStat(String(p.pid))?.state ?? 'gone'}, parent ${p.ppid}${p.pid === pid ? ', the daemon' : ''})`;
  assert.deepEqual(left.map(describe), [], 'processes of the killed run still running');
  assert.equal(existsSync(first), false, "the killed run's work folder is removed");
});
