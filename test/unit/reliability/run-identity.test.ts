// A run is alive only while its own process is: a pid the kernel has since given to another
// process (pid reuse) must not keep a dead run's leftovers from being swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../../helpers/scratch.js';
import { claimWorkDir, findDeadRuns, processStartTicks, readOwner, runAlive } from '../../../support/run/leftovers.js';

/** A live process unrelated to any run, standing in for the process that got a dead run's pid. */
function unrelatedProcess(t: { after: (fn: () => void) => void }): number {
  const p = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.after(() => { p.kill('SIGKILL'); });
  return p.pid!;
}

test("this run's owner file records its process's start time, and it counts as alive", (t) => {
  const dir = join(scratch(t, 'lattice-identity-'), 'rme');
  mkdirSync(dir);
  claimWorkDir(dir, { runId: 'rme', pid: process.pid, startedAt: new Date().toISOString() });
  const owner = readOwner(dir)!;
  assert.equal(owner.pidStart, processStartTicks(process.pid));
  assert.ok(owner.pidStart !== undefined);
  assert.equal(runAlive(owner), true);
});

test('a dead run whose pid now belongs to a live unrelated process is dead (recorded start time differs)', (t) => {
  const root = scratch(t, 'lattice-identity-');
  const pid = unrelatedProcess(t);
  mkdirSync(join(root, 'rreused'));
  // The dead run's process started earlier, at another tick count.
  claimWorkDir(join(root, 'rreused'), { runId: 'rreused', pid, startedAt: '2026-01-01T00:00:00Z', pidStart: '1' });
  assert.deepEqual(findDeadRuns(root, 'rself').map((d) => d.runId), ['rreused']);
});

test('an owner file without a start time (older runs) is dead when its pid started after the run did', (t) => {
  const root = scratch(t, 'lattice-identity-');
  const pid = unrelatedProcess(t);
  mkdirSync(join(root, 'rold'));
  claimWorkDir(join(root, 'rold'), { runId: 'rold', pid, startedAt: new Date(Date.now() - 3_600_000).toISOString() });
  assert.equal(readOwner(join(root, 'rold'))!.pidStart, undefined, 'written for another pid: no start time of ours');
  assert.deepEqual(findDeadRuns(root, 'rself').map((d) => d.runId), ['rold']);
});

test('a live run (its own pid and start time) is never reported dead', (t) => {
  const root = scratch(t, 'lattice-identity-');
  const pid = unrelatedProcess(t);
  mkdirSync(join(root, 'rlive'));
  claimWorkDir(join(root, 'rlive'), { runId: 'rlive', pid, startedAt: new Date(Date.now() + 5_000).toISOString(), pidStart: processStartTicks(pid)! });
  assert.deepEqual(findDeadRuns(root, 'rself'), []);
});
