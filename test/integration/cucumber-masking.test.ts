// Cucumber renders a failed step's message, stack and assertion diff into the console and every
// report by itself. A step quoting secrets must leave none of them there; the control run without
// the suite's masking shows the canaries really reach those outputs, so the check can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './helpers.js';

const FIXTURE = join(REPO, 'test', 'integration', 'fixtures', 'leaky-step');

function runLeakyStep(masked: boolean): { reports: Map<string, string>; console: string; code: number | null } {
  const dir = mkdtempSync(join(tmpdir(), `lattice-it-masking-${masked ? 'on' : 'off'}-`));
  try {
    const config = {
      paths: [join(FIXTURE, 'leaky.feature')],
      import: [...(masked ? [join(REPO, 'support', 'cucumber', 'mask-errors.ts'), join(REPO, 'support', 'cucumber', 'ci-meta.ts')] : []), join(FIXTURE, 'leaky.steps.ts')],
      loader: [pathToFileURL(join(REPO, 'node_modules', 'ts-node', 'esm.mjs')).href],
      format: ['html:cucumber.html', 'json:cucumber.json', 'junit:cucumber.xml', 'message:cucumber.ndjson', 'progress'],
    };
    writeFileSync(join(dir, 'cucumber.mjs'), `export default ${JSON.stringify(config)};\n`);
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--config', 'cucumber.mjs'], {
      cwd: dir, encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, TS_NODE_PROJECT: join(REPO, 'tsconfig.json'), AWS_SECRET_ACCESS_KEY: SECRET, LEAKY_KUBECONFIG_TOKEN: TOKEN, ...CI_ENV },
    });
    const reports = new Map(readdirSync(dir).filter((f) => f.startsWith('cucumber.') && f !== 'cucumber.mjs').map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    return { reports, console: `${r.stdout}${r.stderr}`, code: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECRET = `canary-aws-${randomBytes(6).toString('hex')}`;
const TOKEN = `canary-kube-${randomBytes(6).toString('hex')}`;
// A CI URL carrying user info, as GitHub Actions can be set up to give it: Cucumber puts the build URL in its meta.
const CI_TOKEN = `canary-ci-${randomBytes(6).toString('hex')}`;
const CI_ENV = { GITHUB_SERVER_URL: `https://x-access-token:${CI_TOKEN}@github.com`, GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_SHA: 'abc', GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' };
const leaks = (text: string) => [SECRET, TOKEN, CI_TOKEN].filter((s) => text.includes(s) || text.includes(Buffer.from(s).toString('base64')));

test("a failing step's secrets and a CI URL's user info reach no Cucumber report nor the console (and do without the masking)", { timeout: 300_000 }, () => {
  const masked = runLeakyStep(true);
  assert.equal(masked.code, 1, `the leaky step fails the run: ${masked.console.slice(-800)}`);
  assert.deepEqual([...masked.reports.keys()].sort(), ['cucumber.html', 'cucumber.json', 'cucumber.ndjson', 'cucumber.xml'], masked.console.slice(-800));
  assert.match(masked.reports.get('cucumber.json')!, /cloud rejected secret «redacted»/, 'the failure itself is still reported');
  for (const [file, text] of [...masked.reports, ['console', masked.console] as const]) assert.deepEqual(leaks(text), [], `${file} leaks a canary`);

  const control = runLeakyStep(false);
  assert.equal(control.code, 1);
  for (const [file, text] of control.reports) {
    // Cucumber's meta (the CI URL) is written to the ndjson and the HTML only.
    const expected = /ndjson|html/.test(file) ? [SECRET, TOKEN, CI_TOKEN] : [SECRET, TOKEN];
    assert.deepEqual(leaks(text).sort(), expected.sort(), `without masking, ${file} would carry the canaries`);
  }
  assert.match(masked.reports.get('cucumber.ndjson')!, /"url":"https:\/\/github\.com\/o\/r\/actions\/runs\/7"/, 'the CI build URL stays, without its user info');
});
