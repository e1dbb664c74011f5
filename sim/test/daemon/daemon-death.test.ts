/**
 * A daemon that dies without stopping (today: a V8 fatal error; here: SIGKILL) is named, in one
 * line with its log, by the job that was streaming from it and by every later `lattice-sim`
 * command, until a new daemon starts (which says so once) or `stop` forgets it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LATTICE_BIN, LATTICE_SIM_BIN, alive, daemonPid, newSimEnv, run, waitForExit } from '../cli/run.js';
import { causeFromLog } from '../../src/daemon/death.js';

const FIXTURE = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../fixtures/2026-04/clusters/docker-mgmt.yaml');
const deathLine = (stderr: string) => stderr.split('\n').filter((l) => l.includes('died unexpectedly'));

describe('a daemon that died is reported in one line naming its log', () => {
  const sim = newSimEnv({ LATTICE_SIM_API_VERSION: '2026-04', LATTICE_SIM_SPEED: '0.2' });
  const log = join(sim.home, 'daemon.log');
  after(() => sim.dispose());

  it('the install streaming from it fails with the line; later commands repeat it; a new daemon says it once', async () => {
    const install = spawn(LATTICE_BIN, ['install', '-f', FIXTURE], { env: sim.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    install.stderr.on('data', (d: Buffer) => { stderr += d; });
    const code = new Promise<number | null>((resolve) => install.once('exit', resolve));
    // Killed mid-job, once the job has started streaming.
    await new Promise<void>((resolve, reject) => {
      install.stdout.on('data', (d: Buffer) => { stdout += d; if (stdout.includes('Creating bootstrap cluster')) resolve(); });
      install.once('exit', () => reject(new Error(`install ended before streaming: ${stdout}${stderr}`)));
    });
    const pid = daemonPid(sim.home)!;
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid);
    assert.equal(await code, 1, `install exit code; stderr: ${stderr}`);
    const jobLines = deathLine(stderr);
    assert.equal(jobLines.length, 1, `one death line from install: ${stderr}`);
    assert.match(jobLines[0], new RegExp(`^Error: the lattice-sim daemon \\(pid ${pid}\\) died unexpectedly \\(.+\\); see its log ${log.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));

    for (const args of [['list', '--json'], ['kubeconfig', 'e2e-mgmt']]) {
      const r = await run(LATTICE_SIM_BIN, args, { env: sim.env });
      assert.equal(r.code, 1, `lattice-sim ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.deepEqual(deathLine(r.stderr), [`Error: the lattice-sim daemon (pid ${pid}) died unexpectedly (nothing about it in the log (killed from outside?)); see its log ${log}`]);
    }
    const status = await run(LATTICE_SIM_BIN, ['status'], { env: sim.env });
    assert.equal(status.code, 3);
    assert.equal(deathLine(status.stderr).length, 1, status.stderr);

    const start = await run(LATTICE_SIM_BIN, ['start'], { env: sim.env });
    assert.equal(start.code, 0, start.stderr);
    assert.equal(deathLine(start.stderr).length, 1, `start names the previous death once: ${start.stderr}`);
    assert.ok(alive(daemonPid(sim.home)!), 'a new daemon runs');
    const list = await run(LATTICE_SIM_BIN, ['list', '--json'], { env: sim.env });
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual([JSON.parse(list.stdout), deathLine(list.stderr)], [[], []], 'the death is not repeated once a new daemon runs');
  });

  it('an orderly stop is no death', async () => {
    const stop = await run(LATTICE_SIM_BIN, ['stop'], { env: sim.env });
    assert.equal(stop.code, 0, stop.stderr);
    const list = await run(LATTICE_SIM_BIN, ['list', '--json'], { env: sim.env });
    assert.deepEqual([list.code, list.stdout.trim(), deathLine(list.stderr)], [0, '[]', []]);
  });
});

describe('the cause taken from the log', () => {
  it('a V8 fatal error block (as the daemon crashed on 2026-12-03) gives its message', () => {
    const tail = `2026-12-03T14:55:52.167Z [e2e-mgmt] auth proxy: serving https://127.86.103.11:8082\n\n\n#\n# Fatal error in , line 0\n# unreachable code\n#\n#\n#\n#FailureMessage Object: 0x7ffe456dcea0\n----- Native stack trace -----\n\n 1: 0xd32b41  [/usr/bin/node]\n 2: 0x214a881 V8_Fatal(char const*, ...) [/usr/bin/node]\n`;
    assert.equal(causeFromLog(tail), 'V8 fatal error: unreachable code');
  });
  it('else the last line naming an error; else that the log says nothing', () => {
    assert.equal(causeFromLog('a\ndaemon: uncaught TypeError: x is undefined\n    at f (file.ts:1:1)\nlast\n'), 'daemon: uncaught TypeError: x is undefined');
    assert.equal(causeFromLog('job: Creating bootstrap cluster\n'), 'nothing about it in the log (killed from outside?)');
  });
});
