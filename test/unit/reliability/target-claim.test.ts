// Two runs on one target: the second must refuse, naming the first, and never sweep (destroy) the
// first run's clusters; a dead run's claim is taken over so its leftovers are swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../../helpers/scratch.js';
import { processStartTicks } from '../../../support/run/leftovers.js';
import { endRun, startRun } from '../../../support/run/run-context.js';
import { claimTarget, releaseTarget, TargetBusyError } from '../../../support/run/target-claim.js';

/** A live process standing in for another run's Cucumber process. */
function liveOtherRun(t: { after: (fn: () => void) => void }): { pid: number; pidStart: string } {
  const p = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.after(() => { p.kill('SIGKILL'); });
  return { pid: p.pid!, pidStart: processStartTicks(p.pid!)! };
}

test('a target is claimed once: a live holder is returned, a dead one is replaced, only the holder releases it', (t) => {
  const path = join(scratch(t, 'lattice-claim-'), 'claim.json');
  const other = liveOtherRun(t);
  assert.equal(claimTarget(path, { runId: 'rfirst', ...other, startedAt: '2026-12-03T10:00:00Z' }), undefined);
  const holder = claimTarget(path, { runId: 'rsecond', pid: process.pid, startedAt: '2026-12-03T10:01:00Z' });
  assert.equal(holder?.runId, 'rfirst');
  releaseTarget(path, 'rsecond');
  assert.ok(existsSync(path), 'a run cannot release another run\'s claim');
  // The first run dies (its pid now names nothing of its own): the next run takes the target over.
  writeFileSync(path, JSON.stringify({ runId: 'rfirst', pid: other.pid, pidStart: '1', startedAt: '2026-12-03T10:00:00Z' }));
  assert.equal(claimTarget(path, { runId: 'rthird', pid: process.pid, startedAt: '2026-12-03T10:02:00Z' }), undefined);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).runId, 'rthird');
  releaseTarget(path, 'rthird');
  assert.ok(!existsSync(path));
});

test("a second run on a live run's embedded home refuses at start-up in one line naming the first, before any sweep", async (t) => {
  const dir = scratch(t, 'lattice-claim-');
  const home = join(dir, 'sim');
  mkdirSync(home);
  const other = liveOtherRun(t);
  writeFileSync(join(home, '.lattice-run.json'), JSON.stringify({ runId: 'rfirst', ...other, startedAt: '2026-12-03T10:00:00Z' }));
  const env = { LATTICE_SIM_HOME: home, LATTICE_E2E_WORK_DIR: join(dir, 'runs', 'rsecond'), LATTICE_E2E_RUN_ID: 'rsecond' };
  let err: unknown;
  try { await startRun(env); } catch (e) { err = e; } finally { endRun(); }
  assert.ok(err instanceof TargetBusyError, String(err));
  const message = (err as Error).message;
  assert.equal(message.split('\n').length, 1);
  assert.match(message, new RegExp(`^the embedded target's home ${home} is in use by run rfirst \\(pid ${other.pid}, started 2026-12-03T10:00:00Z\\), which is still running; wait for it to end, or give this run a home of its own \\(LATTICE_SIM_HOME=.*sim-rsecond\\)$`));
  assert.equal(JSON.parse(readFileSync(join(home, '.lattice-run.json'), 'utf8')).runId, 'rfirst', 'the claim stays the first run\'s');
  assert.deepEqual(readdirSync(join(dir, 'runs')), [], 'the refused run leaves no work folder');
});

test('a run whose home is free (or held by a dead run) claims it', async (t) => {
  const dir = scratch(t, 'lattice-claim-');
  const home = join(dir, 'sim');
  mkdirSync(home);
  writeFileSync(join(home, '.lattice-run.json'), JSON.stringify({ runId: 'rdead', pid: 2 ** 22 + 4321, startedAt: '2026-12-03T09:00:00Z' }));
  const run = await startRun({ LATTICE_SIM_HOME: home, LATTICE_E2E_WORK_DIR: join(dir, 'runs', 'rnext'), LATTICE_E2E_RUN_ID: 'rnext' });
  endRun();
  assert.equal(run.config.runId, 'rnext');
  const claim = JSON.parse(readFileSync(join(home, '.lattice-run.json'), 'utf8'));
  assert.equal(claim.runId, 'rnext');
  assert.equal(claim.pid, process.pid);
  releaseTarget(join(home, '.lattice-run.json'), 'rnext');
});
