/**
 * The target's home holds no more than one daemon's files: cluster folders (pod roots, volumes)
 * are removed when a daemon starts (a killed one's) and when it stops (its own), and the log is
 * rotated past 1 MiB. Files that are not the daemon's (the suite's claim) stay.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pruneHome, rotateLog } from '../../src/daemon/home.js';
import { LATTICE_SIM_BIN, newSimEnv, run } from '../cli/run.js';

function plantPodFolders(home: string, cluster: string, n: number): void {
  for (let i = 0; i < n; i++) mkdirSync(join(home, 'clusters', cluster, 'services', 'pods', `media_jellyfin-${i}`, 'root'), { recursive: true });
}

test('pruneHome removes every cluster folder and keeps the rest of the home', () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  plantPodFolders(sim.home, 'e2e-workload', 5);
  writeFileSync(join(sim.home, '.lattice-run.json'), '{}');
  writeFileSync(join(sim.home, 'daemon.log'), 'x');
  pruneHome(sim.home);
  assert.deepEqual(readdirSync(sim.home).sort(), ['.lattice-run.json', 'daemon.log']);
});

test('the daemon log moves aside past its size limit', () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  mkdirSync(sim.home, { recursive: true });
  writeFileSync(join(sim.home, 'daemon.log'), 'x'.repeat(2048));
  rotateLog(sim.home, 1024);
  assert.ok(!existsSync(join(sim.home, 'daemon.log')));
  assert.equal(statSync(join(sim.home, 'daemon.log.1')).size, 2048);
});

test("a daemon removes a killed daemon's cluster folders when it starts, and its own when it stops", async () => {
  const sim = newSimEnv();
  after(() => sim.dispose());
  plantPodFolders(sim.home, 'e2e-old', 20);
  const started = await run(LATTICE_SIM_BIN, ['start'], { env: sim.env, timeoutMs: 60_000 });
  assert.equal(started.code, 0, started.stderr);
  assert.ok(!existsSync(join(sim.home, 'clusters', 'e2e-old')), 'the stale cluster folders are gone once the daemon runs');
  // What this daemon's clusters leave behind (pods come and go over a run).
  plantPodFolders(sim.home, 'e2e-workload', 20);
  const stopped = await run(LATTICE_SIM_BIN, ['stop'], { env: sim.env, timeoutMs: 60_000 });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.deepEqual(readdirSync(sim.home).filter((f) => f !== 'daemon.log').sort(), [], `the home holds only the log: ${readdirSync(sim.home).join(', ')}`);
});
