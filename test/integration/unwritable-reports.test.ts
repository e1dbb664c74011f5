// A bare `npx cucumber-js` (no wrapper) with a reports folder it cannot write: the suite's support
// code stops it in one line, exit 2, before Cucumber opens its report files (which gave raw
// multi-line errors for a file, and a mkdir loop for ever under /proc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, sandbox } from './helpers.js';

function cucumber(reports: string, home: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--tags', '@media'], {
    cwd: REPO, encoding: 'utf8', timeout: 150_000,
    env: { ...process.env, LATTICE_E2E_REPORTS_DIR: reports, LATTICE_SIM_HOME: home },
  });
  return { code: r.status, stderr: r.stderr ?? '' };
}

for (const [what, reports] of [['a file', 'file'], ['under /proc', '/proc/lattice-reports']] as const) {
  test(`npx cucumber-js with a reports folder that is ${what}: one line, exit 2`, { timeout: 200_000 }, (t) => {
    const box = sandbox(t, 'reports');
    const path = reports === 'file' ? join(box.dir, 'reports-file') : reports;
    if (reports === 'file') writeFileSync(path, '');
    const r = cucumber(path, box.home);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, new RegExp(`^lattice-acceptance: .*${path.replace(/[/.]/g, '\\$&')}.*(not a folder|not writable)`));
  });
}
