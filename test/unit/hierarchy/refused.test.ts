import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusedManifest } from '../../../support/hierarchy/refused.js';

test('the refused cluster is the fixture under a name of its own, with the control-plane count asked and the run label; the fixture is untouched', () => {
  const fixture = { metadata: { name: 'e2e-mgmt', labels: { keep: 'x' } }, spec: { nodes: { controlPlane: 1, workers: 1 } } };
  const { name, manifest } = refusedManifest(fixture, 2, 'run-1');
  assert.equal(name, 'e2e-mgmt-refused');
  assert.deepEqual(manifest, { metadata: { name: 'e2e-mgmt-refused', labels: { keep: 'x', 'lattice-acceptance/run-id': 'run-1' } }, spec: { nodes: { controlPlane: 2, workers: 1 } } });
  assert.equal(fixture.metadata.name, 'e2e-mgmt');
  assert.equal(fixture.spec.nodes.controlPlane, 1);
});
