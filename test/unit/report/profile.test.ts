import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProfile } from '../../../support/cucumber/profile.js';
import { PrerequisiteError } from '../../../support/errors.js';
import { attemptFolder } from '../../../support/diagnostics/attempt-folder.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../../helpers/scratch.js';

const AWS = { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'key', AWS_REGION: 'us-west-2' };

test('a cloud profile checks its own provider\'s credentials, whatever the fixtures say', () => {
  assert.match(checkProfile('aws', 'real', AWS), /aws credentials .* set/);
  assert.throws(() => checkProfile('aws', 'real', { ...AWS, AWS_SECRET_ACCESS_KEY: ' ' }), (e: Error) => e instanceof PrerequisiteError && /profile aws needs AWS_SECRET_ACCESS_KEY \(aws credentials\)/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => checkProfile('proxmox', 'real', AWS), /profile proxmox needs PROXMOX_URL, PROXMOX_TOKEN, PROXMOX_SECRET/);
  assert.match(checkProfile('openstack', 'real', {}), /openstack credentials \(none read from the environment\)/);
});

test('a cloud profile on the embedded target is refused; the others have nothing of their own to check', () => {
  assert.throws(() => checkProfile('aws', 'embedded', AWS), /profile aws selects aws clusters, but the target is the embedded one; set LATTICE_TARGET=real .* or use --tags @aws/);
  assert.match(checkProfile('default', 'embedded', {}), /no provider of its own/);
  assert.match(checkProfile(undefined, 'embedded', {}), /profile unknown/);
});

test('each attempt of a scenario gets its own diagnostics folder, linked relative to the reports folder', (t) => {
  const reports = scratch(t, 'lattice-attempt-');
  const root = join(reports, 'diagnostics');
  const first = attemptFolder(root, 'mesh-1-fixed');
  assert.equal(first.relative, 'diagnostics/mesh-1-fixed/attempt-1');
  mkdirSync(first.path, { recursive: true });
  const second = attemptFolder(root, 'mesh-1-fixed');
  assert.equal(second.relative, 'diagnostics/mesh-1-fixed/attempt-2');
  assert.equal(second.path, join(root, 'mesh-1-fixed', 'attempt-2'));
});
