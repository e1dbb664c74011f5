import { test } from 'node:test';
import assert from 'node:assert/strict';
import detectCiEnvironment from '@cucumber/ci-environment';
import { scrubCiEnv } from '../../../support/redact-ci-env.js';

const TOKEN = 'ghs_canaryCiToken1234567890';

function githubEnv(): NodeJS.ProcessEnv {
  return {
    GITHUB_SERVER_URL: `https://x-access-token:${TOKEN}@github.com`, GITHUB_REPOSITORY: 'faultdomain/lattice-acceptance',
    GITHUB_RUN_ID: '42', GITHUB_SHA: 'abc123', GITHUB_REF: 'refs/heads/main',
    HTTPS_PROXY: 'http://proxyuser:proxypass1@proxy.internal:3128', GITHUB_TOKEN: TOKEN,
  };
}

test("Cucumber's CI detection (the reports' meta) carries a CI URL's user info as it is", () => {
  // The premise of the scrub: if this ever stops holding, the scrub is no longer needed.
  assert.match(JSON.stringify(detectCiEnvironment(githubEnv())), new RegExp(TOKEN));
});

test("after the scrub, Cucumber's CI description holds no user info and no secret; the build URL stays", () => {
  const env = githubEnv();
  const names = scrubCiEnv(env, detectCiEnvironment);
  const meta = JSON.stringify(detectCiEnvironment(env));
  assert.deepEqual(names, ['GITHUB_SERVER_URL']);
  assert.ok(!meta.includes(TOKEN) && !meta.includes('x-access-token'), meta);
  assert.match(meta, /https:\/\/github\.com\/faultdomain\/lattice-acceptance\/actions\/runs\/42/);
  // What does not reach the description is left for the processes that need it.
  assert.equal(env.HTTPS_PROXY, 'http://proxyuser:proxypass1@proxy.internal:3128');
  assert.equal(env.GITHUB_TOKEN, TOKEN);
});

test('a declared secret inside a CI variable (GitLab job URL) is masked in the description', () => {
  const env: NodeJS.ProcessEnv = { GITLAB_CI: 'true', CI_JOB_URL: `https://gitlab.example/job/1?t=${TOKEN}`, CI_COMMIT_SHA: 'abc', CI_REPOSITORY_URL: `https://gitlab-ci-token:${TOKEN}@gitlab.example/x.git`, CI_PROJECT_URL: 'https://gitlab.example/x', CI_JOB_ID: '1', CI_JOB_TOKEN: TOKEN };
  scrubCiEnv(env, detectCiEnvironment);
  const meta = JSON.stringify(detectCiEnvironment(env));
  assert.ok(meta !== 'null' && !meta.includes(TOKEN), meta);
});
