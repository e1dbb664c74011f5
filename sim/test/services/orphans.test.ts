import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { until } from './world.js';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('pod processes die with the target even when it is killed without cleanup', async (t) => {
  const child = spawn(process.execPath, ['--no-warnings', '--import', './sim/register.mjs', 'sim/test/services/helpers/run-script-pod.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '';
  child.stdout.on('data', (d) => { out += d.toString(); });
  const line = await until('the helper to report its pod pid', () => /PID (\d+) (\S+)/.exec(out) ?? undefined, 60_000, () => out);
  const pid = Number(line[1]);
  t.after(() => rmSync(line[2], { recursive: true, force: true }));
  assert.ok(alive(pid), 'the pod shell runs');
  child.kill('SIGKILL');
  await until(`pod shell ${pid} gone after its target was killed`, () => !alive(pid), 10_000);
});
