// The catalogue's whole-command entries (docs/BAD-INPUT.md): `npm run e2e` with a bad input stops at
// start-up with one line on stderr naming the input and the fix, exit code 2, no stack trace.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers.js';

function npmRunE2e(t: { after: (fn: () => void) => void }, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lattice-badcmd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const started = Date.now();
  const child = spawn('npm', ['run', '--silent', 'e2e', '--', ...args], {
    cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LATTICE_SIM_HOME: join(dir, 'sim'), LATTICE_E2E_WORK_DIR: join(dir, 'work'), LATTICE_E2E_REPORTS_DIR: join(dir, 'reports'), ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.resume();
  // A bad input must stop the run at start-up; far below any scenario's duration.
  const limitMs = 150_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr, ms: Date.now() - started }); }));
}

function assertOneLine(r: { code: number | null; stderr: string }, ...needles: RegExp[]): void {
  assert.equal(r.code, 2, `exit code 2; stderr:\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr:\n${r.stderr}`);
  assert.match(lines[0]!, /^lattice-acceptance: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error: /, 'no stack trace');
  for (const n of needles) assert.match(lines[0]!, n);
}

describe('bad input on the whole command', { concurrency: 3 }, () => {
  test('B31 npm run e2e with a bad env value', async (t) => {
    const r = await npmRunE2e(t, ['--tags', '@media'], { LATTICE_E2E_KEEP: 'perhaps' });
    assertOneLine(r, /LATTICE_E2E_KEEP="perhaps"/, /use true\/false/);
  });

  test('B32 npm run e2e with an unknown profile', async (t) => {
    const r = await npmRunE2e(t, ['--profile', 'nope'], {});
    assertOneLine(r, /unknown profile "nope"/, /use one of .*default/);
  });

  test('B15 npm run e2e with LATTICE_CLI naming a missing command', async (t) => {
    const r = await npmRunE2e(t, ['--tags', '@media'], { LATTICE_CLI: 'lattice-nope-cli' });
    assertOneLine(r, /lattice CLI not found at lattice-nope-cli/, /set LATTICE_CLI/);
  });

  test('B19 npm run e2e against a real Docker target with no engine (DOCKER_HOST wrong)', async (t) => {
    const r = await npmRunE2e(t, ['--tags', '@media'], { LATTICE_TARGET: 'real', LATTICE_IMAGE: 'ghcr.io/evan-hines-js/lattice:test', LATTICE_CLI: join(REPO, 'sim', 'bin', 'lattice'), DOCKER_HOST: 'tcp://127.0.0.1:1' });
    assertOneLine(r, /Docker engine at tcp:\/\/127\.0\.0\.1:1 is unreachable/, /start dockerd|point DOCKER_HOST/);
  });

  test('B01 npm run e2e with a malformed management fixture', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lattice-badfixture-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'mgmt.yaml');
    writeFileSync(file, 'kind: LatticeCluster\nmetadata:\n  name: e2e-mgmt\n spec: [\n');
    const r = await npmRunE2e(t, ['--tags', '@media'], { LATTICE_MGMT_CLUSTER_CONFIG: file });
    assertOneLine(r, /mgmt\.yaml/, /YAML/);
  });
});
