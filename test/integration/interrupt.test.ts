// Ctrl-C in the middle of a real run: cleanup runs, the reports are still written, nothing is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonPid, descendants, readJson, readStat, runsPodOf, sandbox, simClusters, startSuite, sim, stillRunning, waitUntil, type Proc } from './helpers.js';

const MESH = ['frontend-web', 'frontend-mobile', 'frontend-admin', 'api-gateway', 'api-users', 'api-orders', 'db-users', 'db-orders', 'cache'];

// The fixed mesh: its probes are shell loops under the target's daemon, and the step deploying them
// waits on their traffic (a wait that takes the run's signal), with one step after it.
test('SIGINT while the mesh probes run: the traffic wait is cancelled, later steps skipped, clusters torn down, daemon and probes gone, reports written, exit 130', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'sigint');
  const work = join(box.workRoot, 'run');
  const run = startSuite(t, ['--tags', '@mesh and not @random-mesh'], { LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: work, LATTICE_E2E_REPORTS_DIR: box.reports });

  // State, not time: the media services' shell processes run under the target's daemon.
  const pid = await waitUntil('the embedded target daemon', () => daemonPid(box.home), 180_000, 500, () => run.err().slice(-300));
  let snapshot: Proc[] = [];
  await waitUntil('a mesh probe process (sh) under the daemon', () => {
    snapshot = [{ pid, ppid: 0, start: '', comm: 'daemon', state: '?' }, ...descendants(pid)];
    return snapshot.some((p) => p.comm === 'sh' && runsPodOf(p.pid, MESH)) || undefined;
  }, 180_000, 100, () => `processes: ${snapshot.map((p) => p.comm).join(',')}; stderr: ${run.err().slice(-300)}`);
  snapshot = [readStat(String(pid))!, ...descendants(pid)];
  assert.ok(snapshot.length > 1, 'the daemon and its pod processes were seen');

  const sentAt = new Date().toISOString();
  run.signalGroup('SIGINT');
  const { code } = await run.exited;

  assert.equal(code, 130, `exit code; stderr:\n${run.err()}`);
  assert.match(run.err(), /SIGINT received: finishing the current step/);
  assert.doesNotMatch(run.err(), /second SIGINT/, 'one Ctrl-C reaching several processes counts once');
  // Reports written.
  type Step = { keyword: string; name?: string; result: { status: string; error_message?: string } };
  const json = readJson(join(box.reports, 'cucumber.json')) as Array<{ elements: Array<{ steps: Step[] }> }>;
  assert.equal(json.length, 1, 'one feature in cucumber.json');
  const steps = json[0]!.elements.flatMap((e) => e.steps.filter((s) => s.keyword !== 'Before' && s.keyword !== 'After'));
  const stopped = steps.findIndex((s) => s.result.status === 'failed' && /was cancelled|interrupted by SIGINT/.test(s.result.error_message ?? ''));
  const runLogText = () => readFileSync(join(box.reports, 'run.log'), 'utf8').split('\n').filter((l) => /scenario|SIGINT/.test(l)).join('\n');
  if (stopped >= 0) {
    // The signal cut a wait short: that step fails with the reason, everything after it is skipped.
    assert.ok(steps.slice(stopped + 1).every((s) => s.result.status === 'skipped'), 'the steps after it were skipped');
  } else {
    // The running step finished just as the signal came: every later scenario is skipped instead.
    const firstSkipped = steps.findIndex((s) => s.result.status === 'skipped');
    assert.ok(firstSkipped > 0 && steps.slice(firstSkipped).every((s) => s.result.status === 'skipped') && steps.slice(0, firstSkipped).every((s) => s.result.status === 'passed'),
      `either a step failed because of the interruption, or all later steps were skipped: ${steps.map((s) => s.result.status).join(',')}; SIGINT sent at ${sentAt}; run log:\n${runLogText()}`);
  }
  assert.ok(existsSync(join(box.reports, 'cucumber.html')), 'cucumber.html written');
  const log = readFileSync(join(box.reports, 'run.log'), 'utf8');
  assert.match(log, /interrupted by SIGINT: tearing down/);
  assert.match(log, /run \S+ ended \(interrupted by SIGINT\)/);
  // Nothing left: no cluster, no daemon, no pod process, no kubeconfig.
  assert.deepEqual(simClusters(box.home), []);
  assert.equal(sim(box.home, ['status']).code, 3, 'the daemon is stopped');
  // The daemon acknowledges `stop` before its process has exited: give it a bounded moment.
  let left = stillRunning(snapshot);
  await waitUntil('the run\'s processes to exit', () => { left = stillRunning(snapshot); return left.length === 0 || undefined; }, 15_000, 100).catch(() => undefined);
  assert.deepEqual(left.map((p) => `${p.pid} ${p.comm}`), [], 'processes of the run still running');
  assert.equal(existsSync(work), false, 'the work folder (kubeconfigs) is removed');
});

test('a second SIGINT during the teardown exits at once, saying that the next run sweeps what is left', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'sigint2');
  const run = startSuite(t, ['--tags', '@mesh and not @random-mesh'], { LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports });
  const pid = await waitUntil('the embedded target daemon', () => daemonPid(box.home), 180_000, 500, () => run.err().slice(-300));
  await waitUntil('a mesh probe process (sh) under the daemon', () => descendants(pid).some((p) => p.comm === 'sh' && runsPodOf(p.pid, MESH)) || undefined, 180_000, 100);
  // Signals go to Cucumber itself here: the group's copies of one Ctrl-C are the first test's case.
  const cucumber = descendants(run.child.pid!).find((p) => /cucumber/.test(readFileSync(`/proc/${p.pid}/cmdline`, 'latin1')));
  assert.ok(cucumber, 'the Cucumber process under scripts/e2e.mjs');
  process.kill(cucumber.pid, 'SIGINT');
  const firstAt = Date.now();
  const log = join(box.reports, 'run.log');
  // During the teardown, and a separate Ctrl-C rather than a copy of the first (copies arriving
  // within 1 s count as one signal).
  await waitUntil('the teardown, over 1 s after the first SIGINT', () => {
    const text = readFileSync(log, 'utf8');
    if (/run \S+ ended/.test(text)) throw new Error('the run ended before a second signal could be sent');
    return (/interrupted by SIGINT: tearing down/.test(text) && Date.now() - firstAt > 1100) || undefined;
  }, 120_000, 20);
  process.kill(cucumber.pid, 'SIGINT');
  const { code } = await run.exited;
  assert.equal(code, 130, run.err());
  assert.match(run.err(), /second SIGINT: exiting now without cleanup; the next run's start-up sweep removes what is left/);
  assert.doesNotMatch(readFileSync(log, 'utf8'), /run \S+ ended/, 'the run stopped before its end');
});
