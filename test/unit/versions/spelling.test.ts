// Each Lattice API version's cluster spelling says what that version's Lattice does (docs/LATTICE-2026-04.md
// §3 for 2026-04, lattice-facts for 2026-01): workers over pools, MachineDeployment names, the parent's
// phase for a pivoted child, Deleting, upgrades, kind names, the scale patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LATTICE_VERSION, LATTICE_API_VERSIONS, spellingFor } from '../../../support/versions/index.js';
import { DEFAULT_VERSION, VERSIONS, versionOf, versionTagFilter, withVersionFilter } from '../../../support/versions/tag-filter.mjs';
import { clusterShapeVersion } from '../../../support/versions/cluster-spellings.js';

const pools = { nodes: { controlPlane: { replicas: 3 }, workerPools: { a: { replicas: 2 }, b: { replicas: 1 } } } };

test('2026-04: workers are the sum of the pools, one MachineDeployment per pool, a pivoted child is Pivoted on its parent', () => {
  const c = spellingFor('2026-04').clusters;
  assert.equal(c.workers(pools), 3);
  assert.equal(c.controlPlane(pools), 3);
  assert.deepEqual(c.machineDeploymentNames('e2e-workload', pools), ['e2e-workload-pool-a', 'e2e-workload-pool-b']);
  assert.equal(c.pivotedPhaseOnParent, 'Pivoted');
  assert.ok(c.phases.includes('Deleting') && c.phases.includes('Pivoted'));
  assert.equal(c.hasDeletingPhase, true);
  assert.equal(c.upgradeRollsNodes, true);
  assert.deepEqual(c.bootstrapClusterNames('r1'), ['lattice-bootstrap-r1', 'lattice-uninstall-r1']);
  assert.deepEqual(c.cliRunEnv('r1'), { LATTICE_RUN_ID: 'r1' });
  assert.equal(spellingFor('2026-04').access.childKubeconfig, 'auth-proxy');
});

test('2026-04: scaling changes the first pool by the difference and keeps the others; too few is refused in one line', () => {
  const c = spellingFor('2026-04').clusters;
  assert.deepEqual(c.scaleWorkersPatch(pools, 5), { spec: { nodes: { workerPools: { a: { replicas: 4 } } } } });
  assert.equal(c.describeScale(pools, 1), 'spec.nodes.workerPools.a.replicas=0');
  assert.throws(() => c.scaleWorkersPatch(pools, 0), /cannot run 0 worker\(s\): the pools after a already ask for 1; use a fixture with one worker pool/);
  const refused = c.withControlPlane({ spec: pools }, 2) as { spec: typeof pools };
  assert.equal(refused.spec.nodes.controlPlane.replicas, 2);
  assert.equal(pools.nodes.controlPlane.replicas, 3, 'the original is untouched');
});

test('2026-01: integer counts, <name>-md-0, Ready on the parent, no Deleting, no roll, fixed kind names', () => {
  const c = spellingFor('2026-01').clusters;
  const spec = { nodes: { controlPlane: 1, workers: 2 } };
  assert.equal(c.workers(spec), 2);
  assert.deepEqual(c.machineDeploymentNames('e2e-workload', spec), ['e2e-workload-md-0']);
  assert.deepEqual(c.scaleWorkersPatch(spec, 3), { spec: { nodes: { workers: 3 } } });
  assert.equal(c.pivotedPhaseOnParent, 'Ready');
  assert.equal(c.hasDeletingPhase, false);
  assert.equal(c.upgradeRollsNodes, false);
  assert.deepEqual(c.bootstrapClusterNames('r1'), ['lattice-bootstrap', 'lattice-uninstall']);
  assert.deepEqual(c.cliRunEnv('r1'), {});
  assert.equal(spellingFor('2026-01').access.childKubeconfig, 'capi-secret');
});

test('a manifest\'s shape tells its version by the fields only that version has', () => {
  assert.equal(clusterShapeVersion({ spec: { providerRef: 'docker', latticeImage: '', ...pools } })?.version, '2026-04');
  assert.deepEqual(clusterShapeVersion({ spec: { nodes: { controlPlane: 1, workers: 1 } } }), { version: '2026-01', fields: ['spec.nodes.controlPlane (a number)', 'spec.nodes.workers'] });
  assert.equal(clusterShapeVersion({ spec: {} }), undefined);
});

test('the tag filter of a run leaves out the promises of later versions only; its lists agree with support/versions', () => {
  assert.deepEqual(VERSIONS, [...LATTICE_API_VERSIONS]);
  assert.equal(DEFAULT_VERSION, DEFAULT_LATTICE_VERSION);
  assert.equal(versionTagFilter('2026-01'), 'not @lattice-2026-04');
  assert.equal(versionTagFilter('2026-04'), '');
  assert.equal(versionTagFilter('2025-12'), 'not @lattice-2026-01 and not @lattice-2026-04');
  assert.equal(versionOf({ LATTICE_VERSION: '2026-04' }), '2026-04');
  assert.equal(versionOf({}), DEFAULT_VERSION);
  assert.equal(withVersionFilter('not @wip', { LATTICE_VERSION: '2026-04' }), 'not @wip');
  assert.equal(withVersionFilter('not @wip', { LATTICE_VERSION: '2026-01' }), '(not @wip) and not @lattice-2026-04');
});
