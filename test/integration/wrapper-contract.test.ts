// What `npm run e2e` (scripts/e2e.mjs) and a bare `npx cucumber-js` promise around a run: bad command
// lines are one line and exit 2 before Cucumber starts, a killed Cucumber is reported by its signal
// and no empty report is announced, and the dry run leaves a real run's reports alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, daemonPid, descendants, sandbox, startSuite, waitUntil } from './helpers.js';
import { scratch } from '../helpers/scratch.js';

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = ''; let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function assertOneLine(r: { code: number | null; stderr: string }, needle: RegExp): void {
  assert.equal(r.code, 2, `exit 2; stderr:\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line:\n${r.stderr}`);
  assert.match(lines[0]!, /^lattice-acceptance: /);
  assert.match(lines[0]!, needle);
}

describe('bad command lines: one line, exit 2, through the wrapper and through npx cucumber-js', { concurrency: 4 }, () => {
  // Ids are the entries of docs/BAD-INPUT.md (the catalogue's index test reads them here).
  const cases: Array<[string, string, string[], RegExp, Record<string, string>?]> = [
    ['B44', 'a tag syntax error', ['--tags', '@mesh and ('], /--tags "@mesh and \(" is not a tag expression .*write e\.g\./],
    ['B32', 'an unknown profile', ['--profile', 'nope'], /unknown profile "nope"; use one of .*default/],
    ['B45', '--parallel 2', ['--parallel', '2'], /--parallel 2: .*workers would collide; split the features across CI jobs/],
    ['B46', 'a cloud profile on the embedded target', ['--profile', 'aws'], /--profile aws runs AWS clusters and needs LATTICE_TARGET=real.*--tags @aws/, { LATTICE_TARGET: '' }],
  ];
  for (const [id, what, args, needle, env] of cases) {
    test(`${id} npm run e2e with ${what}`, async (t) => {
      const dir = scratch(t, 'lattice-wrapper-');
      assertOneLine(await run('npm', ['run', '--silent', 'e2e', '--', ...args], { LATTICE_E2E_REPORTS_DIR: join(dir, 'reports'), ...env }), needle);
    });
    test(`${id} npx cucumber-js with ${what}`, async (t) => {
      const dir = scratch(t, 'lattice-npx-');
      assertOneLine(await run('npx', ['cucumber-js', ...args], { LATTICE_E2E_REPORTS_DIR: join(dir, 'reports'), ...env }), needle);
    });
  }
  test('npm run e2e with a reports folder that is a file', async (t) => {
    const dir = scratch(t, 'lattice-wrapper-');
    writeFileSync(join(dir, 'file'), '');
    assertOneLine(await run('npm', ['run', '--silent', 'e2e'], { LATTICE_E2E_REPORTS_DIR: join(dir, 'file') }), /reports folder .*file cannot be used \(ENOTDIR\); set LATTICE_E2E_REPORTS_DIR/);
  });
  test('B47 npm run e2e with a stop grace that is not a whole number of seconds', async (t) => {
    const dir = scratch(t, 'lattice-wrapper-');
    assertOneLine(await run('npm', ['run', '--silent', 'e2e'], { LATTICE_E2E_REPORTS_DIR: join(dir, 'reports'), LATTICE_E2E_STOP_GRACE: 'soon' }), /LATTICE_E2E_STOP_GRACE="soon" is not a whole number of seconds; set e\.g\. 60/);
  });
  test('B50 npm run e2e with a Lattice API version the suite does not speak', async (t) => {
    const dir = scratch(t, 'lattice-wrapper-');
    assertOneLine(await run('npm', ['run', '--silent', 'e2e', '--', '--lattice-version', '2025-12'], { LATTICE_E2E_REPORTS_DIR: join(dir, 'reports') }), /--lattice-version "2025-12" is not a Lattice API version; use 2026-01 or 2026-04/);
    assertOneLine(await run('npm', ['run', '--silent', 'e2e', '--', '--lattice-version', '2026-04'], { LATTICE_E2E_REPORTS_DIR: join(dir, 'reports'), LATTICE_VERSION: '2026-01' }), /--lattice-version 2026-04 and LATTICE_VERSION=2026-01 disagree; give one of them/);
  });
  test('npm run e2e with a reports folder under /proc', async () => {
    assertOneLine(await run('npm', ['run', '--silent', 'e2e'], { LATTICE_E2E_REPORTS_DIR: '/proc/lattice/reports' }), /reports folder \/proc\/lattice\/reports cannot be used/);
  });
});

test('e2e:dry writes no report into the reports folder of real runs', async (t) => {
  const dir = scratch(t, 'lattice-dry-');
  const reports = join(dir, 'reports');
  mkdirSync(reports);
  const r = await run('node', ['scripts/e2e-dry.mjs'], { LATTICE_E2E_REPORTS_DIR: reports });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(reports), []);
});

test('a SIGKILLed Cucumber: exit 137 (not SIGINT\'s 130), reports rebuilt from the messages, no empty report announced', { timeout: 300_000 }, async (t) => {
  const box = sandbox(t, 'cucumber-kill');
  // An earlier run's diagnostics: each run starts without them (they would be read, and uploaded, as its own).
  mkdirSync(join(box.reports, 'diagnostics', 'media-old-scenario', 'attempt-1'), { recursive: true });
  const suite = startSuite(t, ['--tags', '@media'], { LATTICE_SIM_HOME: box.home, LATTICE_E2E_WORK_DIR: join(box.workRoot, 'run'), LATTICE_E2E_REPORTS_DIR: box.reports });
  await waitUntil('the embedded target daemon', () => daemonPid(box.home), 180_000, 250, () => suite.err().slice(-300));
  await waitUntil('a scenario under way in the messages', () => { try { return /"testStepStarted"/.test(readFileSync(join(box.reports, 'cucumber.ndjson'), 'utf8')) || undefined; } catch { return undefined; } }, 180_000, 100);
  const cucumber = descendants(suite.child.pid!).find((p) => /cucumber/.test(readFileSync(`/proc/${p.pid}/cmdline`, 'latin1')));
  assert.ok(cucumber, 'the Cucumber process under the wrapper');
  process.kill(cucumber.pid, 'SIGKILL');
  const { code } = await suite.exited;
  assert.equal(code, 137, `exit code; stderr:\n${suite.err()}`);
  assert.match(suite.err(), /Cucumber was killed by SIGKILL; exit 137/);
  const announced = [...suite.out().matchAll(/: (\/\S+)/g)].map((m) => m[1]!);
  assert.ok(announced.length > 0, `reports announced:\n${suite.out()}`);
  for (const f of announced) assert.ok(existsSync(f) && statSync(f).size > 0, `announced report ${f} exists and is not empty`);
  assert.ok(!announced.some((f) => f.endsWith('cucumber.json')), 'the JSON report Cucumber never wrote is not announced');
  assert.match(suite.err(), /HTML and JUnit reports rebuilt from the messages/);
  assert.equal(existsSync(join(box.reports, 'diagnostics', 'media-old-scenario')), false, 'the earlier run\'s diagnostics were removed at the start');
  assert.match(readFileSync(join(box.reports, 'cucumber.xml'), 'utf8'), /<testsuite name="lattice-acceptance \(embedded target, seed \d+\)"[^>]* tests="1"/);
});
