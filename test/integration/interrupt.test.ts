// Ctrl-C in the middle of a real run: cleanup runs, the reports are still written, nothing is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonPid, descendants, readJson, readStat, sandbox, simClusters, startSuite, sim, stillRunning, waitUntil, type Proc } from './helpers.js';

test('SIGINT mid-run: remaining steps skipped, clusters torn down, daemon and probes gone, reports written, exit 130', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'sigint');
  const work = join(box.workRoot, 'run');
  const run = startSuite(t, ['--tags', '@media'], { LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: work, LATTICE_E2E_REPORTS_DIR: box.reports });

  // State, not time: the media services' shell processes run under the target's daemon.
  const pid = await waitUntil('the embedded target daemon', () => daemonPid(box.home), 180_000, 500, () => run.err().slice(-300));
  let snapshot: Proc[] = [];
  await waitUntil('a media pod process (sh) under the daemon', () => {
    snapshot = [{ pid, ppid: 0, start: '', comm: 'daemon' }, ...descendants(pid)];
    return snapshot.some((p) => p.comm === 'sh') || undefined;
  }, 180_000, 100, () => `processes: ${snapshot.map((p) => p.comm).join(',')}; stderr: ${run.err().slice(-300)}`);
  snapshot = [readStat(String(pid))!, ...descendants(pid)];
  assert.ok(snapshot.length > 1, 'the daemon and its pod processes were seen');

  run.signalGroup('SIGINT');
  const { code } = await run.exited;

  assert.equal(code, 130, `exit code; stderr:\n${run.err()}`);
  assert.match(run.err(), /SIGINT received: finishing the current step/);
  assert.doesNotMatch(run.err(), /second SIGINT/, 'one Ctrl-C reaching several processes counts once');
  // Reports written.
  const json = readJson(join(box.reports, 'cucumber.json')) as Array<{ elements: unknown[] }>;
  assert.equal(json.length, 1, 'one feature in cucumber.json');
  assert.ok(existsSync(join(box.reports, 'cucumber.html')), 'cucumber.html written');
  const log = readFileSync(join(box.reports, 'run.log'), 'utf8');
  assert.match(log, /interrupted by SIGINT: tearing down/);
  assert.match(log, /run \S+ ended \(interrupted by SIGINT\)/);
  // Nothing left: no cluster, no daemon, no pod process, no kubeconfig.
  assert.deepEqual(simClusters(box.home), []);
  assert.equal(sim(box.home, ['status']).code, 3, 'the daemon is stopped');
  const left = stillRunning(snapshot);
  assert.deepEqual(left.map((p) => `${p.pid} ${p.comm}`), [], 'processes of the run still running');
  assert.equal(existsSync(work), false, 'the work folder (kubeconfigs) is removed');
});
