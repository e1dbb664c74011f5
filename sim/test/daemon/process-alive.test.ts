import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processAlive } from '../../src/daemon/home.js';
import { until } from '../helpers/until.js';

const state = (pid: number): string | undefined => {
  try { return /^\S+ \(.*\) (\S) /s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1]; } catch { return undefined; }
};

test('a zombie counts as exited: stop need not wait for an init that reaps slowly', async () => {
  // `sleep 0.05` exits under a parent (the exec'd `sleep 5`) that never reaps it: a zombie.
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    await until(`pid ${zombie} to be a zombie`, () => state(zombie) === 'Z', 5000, () => state(zombie));
    assert.equal(processAlive(zombie), false, 'a zombie is not alive');
    assert.equal(processAlive(parent.pid!), true, 'a sleeping process is alive');
  } finally {
    parent.kill('SIGKILL');
  }
  assert.equal(processAlive(2 ** 22 + 1), false, 'a pid above pid_max is not alive');
});
