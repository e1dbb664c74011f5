import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../support/config/index.js';
import { chooseFixture } from '../../../support/hierarchy/fixture-choice.js';

test('the feature names the fixture unless the matching spec variable was set', () => {
  const plain = loadConfig({});
  // A bare name resolves in the run's version folder (support/versions).
  assert.match(chooseFixture(plain, 'lifecycle', 'management', 'aws-mgmt').path, /fixtures\/2026-04\/clusters\/aws-mgmt\.yaml$/);
  assert.match(chooseFixture(loadConfig({ LATTICE_VERSION: '2026-01' }), 'lifecycle', 'management', 'aws-mgmt').path, /fixtures\/clusters\/aws-mgmt\.yaml$/);
  assert.match(chooseFixture(plain, 'lifecycle', 'workload', undefined).path, /docker-workload\.yaml$/);
  const overridden = loadConfig({ LATTICE_MGMT_CLUSTER_CONFIG: 'proxmox-mgmt', LATTICE_INDEP_WORKLOAD_CONFIG: 'openstack-workload' });
  const c = chooseFixture(overridden, 'lifecycle', 'management', 'aws-mgmt');
  assert.match(c.path, /proxmox-mgmt\.yaml$/);
  assert.match(c.why, /LATTICE_MGMT_CLUSTER_CONFIG overrides/);
  assert.match(chooseFixture(overridden, 'independence', 'workload', 'docker-workload').path, /openstack-workload\.yaml$/);
  // The lifecycle variable does not leak into the independence family.
  assert.match(chooseFixture(overridden, 'independence', 'management', 'docker-mgmt').path, /docker-mgmt\.yaml$/);
  assert.throws(() => chooseFixture(plain, 'lifecycle', 'management', 'no-such-fixture'), /fixture "no-such-fixture" named by the feature/);
});
