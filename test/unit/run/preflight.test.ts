import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { assertPrerequisites, findMissingPrerequisites } from '../../../support/preflight.js';
import { scratch } from '../../helpers/scratch.js';

const bin = (t: { after: (fn: () => void) => void }, names: string[]) => {
  const dir = scratch(t, 'pf-');
  for (const n of names) writeFileSync(join(dir, n), '#!/bin/sh\necho ok\n', { mode: 0o755 });
  return dir;
};

test('an embedded run needs nothing', async () => {
  assert.deepEqual(await findMissingPrerequisites({ config: loadConfig({}), providers: ['aws'], env: { PATH: '' } }), []);
});

test('a real run names every missing prerequisite at once', async (t) => {
  const path = bin(t, ['lattice', 'docker']);
  const env = { PATH: path, LATTICE_TARGET: 'real', LATTICE_IMAGE: 'ghcr.io/evan-hines-js/lattice:test', LATTICE_CLI: 'lattice', AWS_REGION: 'us-west-2' };
  const config = loadConfig(env);
  const missing = await findMissingPrerequisites({
    config, providers: ['docker', 'aws', 'proxmox'], env,
    engineReachable: async () => { throw new Error('connect ENOENT /var/run/docker.sock'); },
    cliAnswers: async () => undefined,
  });
  assert.deepEqual(missing, [
    'kind is not on PATH (lattice install needs it)',
    'clusterctl is not on PATH (lattice install needs it)',
    'no Docker engine answers (connect ENOENT /var/run/docker.sock): the bootstrap cluster runs in Docker',
    'AWS_ACCESS_KEY_ID is not set (needed for aws fixtures)',
    'AWS_SECRET_ACCESS_KEY is not set (needed for aws fixtures)',
    'PROXMOX_URL is not set (needed for proxmox fixtures)',
    'PROXMOX_TOKEN is not set (needed for proxmox fixtures)',
    'PROXMOX_SECRET is not set (needed for proxmox fixtures)',
  ]);
  await assert.rejects(assertPrerequisites({ config, providers: ['aws'], env, engineReachable: async () => undefined, cliAnswers: async () => undefined }),
    /4 prerequisite\(s\) missing for a real run: kind is not on PATH.*AWS_SECRET_ACCESS_KEY is not set.*; fix them all/);
});

test('a missing lattice CLI is named with the variable to set', async (t) => {
  const env = { PATH: bin(t, ['docker', 'kind', 'clusterctl']), LATTICE_TARGET: 'real', LATTICE_IMAGE: 'ghcr.io/evan-hines-js/lattice:test', LATTICE_CLI: 'lattice' };
  const missing = await findMissingPrerequisites({ config: loadConfig(env), providers: ['docker'], env, engineReachable: async () => undefined });
  assert.deepEqual(missing, ['the lattice CLI (lattice) is not an executable on PATH: set LATTICE_CLI']);
});
