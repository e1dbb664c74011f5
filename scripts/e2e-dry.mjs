#!/usr/bin/env node
// `npm run e2e:dry`: cucumber --dry-run exits 0 even with undefined steps, so read its output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!existsSync('features') || !readdirSync('features').some((f) => f.endsWith('.feature'))) {
  console.log('e2e:dry: no feature files yet; nothing to check');
  process.exit(0);
}
// The profile's report formatters write too: into a scratch folder, never over a real run's reports.
const scratch = mkdtempSync(join(tmpdir(), 'lattice-e2e-dry-'));
const res = spawnSync('npx', ['cucumber-js', '--profile', 'all-providers', '--dry-run', '--format', 'summary', ...process.argv.slice(2)], {
  encoding: 'utf8', env: { ...process.env, LATTICE_E2E_REPORTS_DIR: scratch },
});
rmSync(scratch, { recursive: true, force: true });
const out = `${res.stdout}\n${res.stderr}`;
process.stdout.write(res.stdout); process.stderr.write(res.stderr);
const bad = out.match(/\b\d+ (undefined|ambiguous)\b/g);
if (res.status !== 0 || bad || /Undefined\.|Multiple step definitions match/.test(out)) {
  console.error(`e2e:dry: FAILED: ${bad ? bad.join(', ') : `cucumber exited ${res.status}`}`);
  process.exit(1);
}
console.log('e2e:dry: every step is defined exactly once');
