// A run stopped from outside, as CI cancel or `timeout` do it: SIGTERM to `npm` alone (npm dies
// without passing it on), or `timeout` ending `npm run e2e`. The run must notice, clean up within a
// bounded time and leave no process, cluster or daemon behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, daemonPid, descendants, readStat, sandbox, sim, simClusters, startSuite, stillRunning, waitUntil, type Proc } from './helpers.js';

/** Cleanup after SIGTERM on the embedded target takes seconds; the wrapper's own bound is 90 s. */
const STOP_BOUND_MS = 120_000;

function spawnInGroup(t: { after: (fn: () => void | Promise<void>) => void }, cmd: string, args: string[], env: Record<string, string>): { child: ChildProcess; err: () => string; exited: Promise<number | null> } {
  const child = spawn(cmd, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LATTICE_SIM_SPEED: process.env.LATTICE_SIM_SPEED ?? '1', LATTICE_VERSION: '2026-01', ...env } });
  let err = '';
  child.stdout!.resume();
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  t.after(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } });
  return { child, err: () => err, exited };
}

/** Every process of the run that exists now: the tree under `root` and the target's daemon with its pods. */
function runProcesses(root: number, home: string): Proc[] {
  const daemon = daemonPid(home);
  return [...descendants(root), ...(daemon ? [readStat(String(daemon))!, ...descendants(daemon)] : [])].filter(Boolean);
}

async function assertNothingLeft(snapshot: Proc[], home: string, reports: string): Promise<void> {
  let left = stillRunning(snapshot);
  await waitUntil('the run\'s processes to exit after SIGTERM', () => { left = stillRunning(snapshot); return left.length === 0 || undefined; }, STOP_BOUND_MS, 250)
    .catch(() => undefined);
  const describe = (p: Proc) => `${p.pid} ${p.comm} (parent now ${readStat(String(p.pid))?.ppid ?? '?'})`;
  assert.deepEqual(left.map(describe), [], 'processes of the run still running');
  assert.deepEqual(simClusters(home), [], 'clusters left on the embedded target');
  assert.equal(sim(home, ['status']).code, 3, 'the target\'s daemon is stopped');
  const log = readFileSync(join(reports, 'run.log'), 'utf8');
  assert.match(log, /interrupted by SIGTERM: tearing down/, 'the run was interrupted, not left to finish');
}

test('SIGTERM to the npm process alone: the orphaned wrapper stops Cucumber, which cleans up; nothing is left', { timeout: 400_000 }, async (t) => {
  const box = sandbox(t, 'npm-term');
  const run = spawnInGroup(t, 'npm', ['run', '--silent', 'e2e', '--', '--tags', '@media'], {
    LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports,
  });
  const npmPid = run.child.pid!;
  // Once the clusters exist there is something to clean up.
  await waitUntil('the workload cluster on the embedded target', () => (existsSync(box.home) && simClusters(box.home).includes('e2e-workload')) || undefined, 240_000, 250, () => run.err().slice(-300));
  const snapshot = runProcesses(npmPid, box.home);
  assert.ok(snapshot.some((p) => p.comm === 'node'), 'the wrapper and Cucumber run under npm');
  process.kill(npmPid, 'SIGTERM');
  await run.exited;
  await assertNothingLeft(snapshot, box.home, box.reports);
  assert.match(run.err(), /the parent process \(\d+\) is gone/, 'the wrapper said why it stopped');
});

test('timeout 20 npm run e2e: the run is stopped, cleans up and leaves nothing', { timeout: 400_000 }, async (t) => {
  const box = sandbox(t, 'timeout');
  const run = spawnInGroup(t, 'timeout', ['20', 'npm', 'run', '--silent', 'e2e'], {
    LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports,
  });
  let snapshot: Proc[] = [];
  // Follow the run's processes until `timeout` ends npm (their last set is what must go).
  const watching = setInterval(() => { const now = runProcesses(run.child.pid!, box.home); if (now.length) snapshot = [...new Map([...snapshot, ...now].map((p) => [p.pid, p])).values()]; }, 200);
  const code = await run.exited;
  clearInterval(watching);
  assert.equal(code, 124, `timeout ended the command; stderr:\n${run.err().slice(-1500)}`);
  assert.ok(snapshot.length > 2, `the run's processes were seen (${snapshot.map((p) => p.comm).join(',')})`);
  await assertNothingLeft(snapshot, box.home, box.reports);
});

test('a Cucumber that does not finish its cleanup within LATTICE_E2E_STOP_GRACE is killed with the processes under it', { timeout: 400_000 }, async (t) => {
  const box = sandbox(t, 'grace');
  // No grace at all: the kill follows the forwarded signal, whatever the cleanup is doing.
  const suite = startSuite(t, ['--tags', '@media'], {
    LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports, LATTICE_E2E_STOP_GRACE: '0',
  });
  await waitUntil('the workload cluster on the embedded target', () => (existsSync(box.home) && simClusters(box.home).includes('e2e-workload')) || undefined, 240_000, 250, () => suite.err().slice(-300));
  const tree = descendants(suite.child.pid!);
  assert.ok(tree.length > 0, 'Cucumber runs under the wrapper');
  process.kill(suite.child.pid!, 'SIGTERM');
  const { code } = await suite.exited;
  assert.equal(code, 137, `exit code; stderr:\n${suite.err()}`);
  assert.match(suite.err(), /Cucumber did not stop within 0 s of SIGTERM: killing it and the processes under it/);
  let left = stillRunning(tree);
  await waitUntil('the killed processes to be gone', () => { left = stillRunning(tree); return left.length === 0 || undefined; }, 15_000, 100).catch(() => undefined);
  assert.deepEqual(left.map((p) => `${p.pid} ${p.comm}`), [], 'processes under the wrapper still running');
});
