import { test } from 'node:test';
import { scratch as scratchDir } from '../../helpers/scratch.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  claimWorkDir, findDeadRuns, findMarkedProcesses, isSuiteFile, killMarkedProcesses, markKept, OWNER_ENV, readOwner, removeRunFiles,
} from '../../../support/run/leftovers.js';

const scratch = (t: { after: (fn: () => void) => void }): string => scratchDir(t, 'lattice-leftovers-');

test('dead runs: an owner whose pid is gone, or a kept run; never the live ones, this run, or unmarked folders', (t) => {
  const root = scratch(t);
  const mk = (name: string, owner?: { runId: string; pid: number; kept?: boolean }) => {
    mkdirSync(join(root, name));
    if (owner) claimWorkDir(join(root, name), { ...owner, startedAt: '2026-01-01T00:00:00Z' });
  };
  mk('dead', { runId: 'rdead', pid: 111 });
  mk('live', { runId: 'rlive', pid: 222 });
  mk('self', { runId: 'rself', pid: 333 });
  mk('kept', { runId: 'rkept', pid: 444 });
  markKept(join(root, 'kept'));
  mk('user-folder');
  writeFileSync(join(root, 'a-file'), '');
  const alive = (o: { pid: number }) => o.pid === 222 || o.pid === 444;
  const dead = findDeadRuns(root, 'rself', alive);
  assert.deepEqual(dead.map((d) => `${d.runId}${d.kept ? ' kept' : ''}`), ['rdead', 'rkept kept']);
  assert.equal(readOwner(join(root, 'kept'))?.kept, true);
  assert.deepEqual(findDeadRuns(join(root, 'missing'), 'x'), []);
});

test('removeRunFiles removes kubeconfigs and the owner file, keeps other files and then the folder', (t) => {
  const root = scratch(t);
  const dir = join(root, 'w');
  mkdirSync(dir);
  claimWorkDir(dir, { runId: 'r1', pid: 1, startedAt: 'x' });
  writeFileSync(join(dir, 'e2e-mgmt.kubeconfig'), 'token: secret');
  writeFileSync(join(dir, 'e2e-workload-kubeconfig'), 'token: secret');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const lines = removeRunFiles(dir);
  assert.deepEqual(lines, [`removed ${join(dir, 'e2e-mgmt.kubeconfig')}`, `removed ${join(dir, 'e2e-workload-kubeconfig')}`]);
  assert.equal(existsSync(join(dir, 'notes.txt')), true, "the user's file stays, so does the folder");
  rmSync(join(dir, 'notes.txt'));
  claimWorkDir(dir, { runId: 'r1', pid: 1, startedAt: 'x' });
  assert.deepEqual(removeRunFiles(dir), [`removed folder ${dir}`]);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(removeRunFiles(dir), [], 'a missing folder is nothing to do');
  assert.equal(isSuiteFile('cucumber.json'), false);
});

test('processes marked with a run id are found through /proc and killed; others are not', async (t) => {
  if (!existsSync('/proc/self/environ')) { t.skip('no /proc here'); return; }
  const marked = spawn('sleep', ['30'], { env: { ...process.env, [OWNER_ENV]: 'rtestmark1' }, stdio: 'ignore' });
  const other = spawn('sleep', ['30'], { env: { ...process.env, [OWNER_ENV]: 'rtestother' }, stdio: 'ignore' });
  t.after(() => { marked.kill('SIGKILL'); other.kill('SIGKILL'); });
  const gone = new Promise((r) => marked.once('exit', r));
  const found = findMarkedProcesses(['rtestmark1']);
  assert.deepEqual(found.map((p) => p.pid), [marked.pid]);
  assert.match(found[0]!.command, /sleep 30/);
  assert.deepEqual(killMarkedProcesses(found), [`killed process ${marked.pid} (sleep 30) of run rtestmark1`]);
  await gone;
  assert.equal(other.exitCode, null, 'an unmarked process is left alone');
  assert.deepEqual(findMarkedProcesses([]), []);
});

test('unmarked run folders (from before owner files) count as dead only when run-id-like, kubeconfigs only, and old', async (t) => {
  const { findUnmarkedRunDirs } = await import('../../../support/run/leftovers.js');
  const { utimesSync } = await import('node:fs');
  const root = scratch(t);
  const old = (Date.now() - 2 * 3_600_000) / 1000;
  const mk = (name: string, files: string[], aged = true) => {
    mkdirSync(join(root, name));
    for (const f of files) writeFileSync(join(root, name, f), 'x');
    if (aged) utimesSync(join(root, name), old, old);
  };
  mk('rmwx78gnlij2w', ['e2e-mgmt.kubeconfig', 'e2e-workload.kubeconfig']);
  mk('rfresh1', ['e2e-mgmt.kubeconfig'], false);
  mk('rmixed1', ['e2e-mgmt.kubeconfig', 'notes.txt']);
  mk('Not_A_Run', ['e2e-mgmt.kubeconfig']);
  mk('rmarked1', []);
  claimWorkDir(join(root, 'rmarked1'), { runId: 'rmarked1', pid: 1, startedAt: 'x' });
  utimesSync(join(root, 'rmarked1'), old, old);
  assert.deepEqual(findUnmarkedRunDirs(root, 'rself').map((d) => d.runId), ['rmwx78gnlij2w']);
});
