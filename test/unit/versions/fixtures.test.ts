// One folder of cluster fixtures per Lattice API version: every shipped fixture loads against its own
// version's schema; a fixture of another version than the run's is refused at start-up in one line
// naming the file, the field and the version (BAD-INPUT B49); bare names resolve in the run's folder.
import { test } from 'node:test';
import type { LatticeApiVersion } from '../../../support/versions/index.js';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadConfig, repoRoot } from '../../../support/config/index.js';
import { ConfigError, FixtureError } from '../../../support/errors.js';
import { assertFixtureVersion, loadClusterFixture } from '../../../support/fixtures/index.js';
import { endRun, startRun } from '../../../support/run/run-context.js';
import { describeLeftOut, scenariosLeftOut } from '../../../support/versions/left-out.js';
import { spellingFor } from '../../../support/versions/index.js';
import { scratch } from '../../helpers/scratch.js';
import { assertClearMessage, thrown } from '../bad-input/contract.js';

for (const version of ['2026-01', '2026-04'] as const) {
  test(`every ${version} cluster fixture loads as ${version}, with the counts its spelling reads`, () => {
    const dir = spellingFor(version).clusters.fixturesDir;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    assert.equal(files.length, 12);
    for (const f of files) {
      const fx = loadClusterFixture(join(dir, f));
      assert.equal(fx.apiVersion, version, f);
      assert.ok(fx.controlPlane >= 1 && fx.workers >= 1, `${f}: ${fx.controlPlane} control plane, ${fx.workers} workers`);
    }
  });
}

test('2026-04 fixtures keep the names and parents the scenarios need, and no registry mirror we do not run', () => {
  const dir = spellingFor('2026-04').clusters.fixturesDir;
  for (const p of ['docker', 'aws', 'openstack', 'proxmox']) {
    assert.equal(loadClusterFixture(join(dir, `${p}-mgmt.yaml`)).name, 'e2e-mgmt');
    // Every workload parents workload2 in the pivot scenario (proxmox-workload: a deliberate difference, as at 2026-01).
    assert.equal(loadClusterFixture(join(dir, `${p}-workload.yaml`)).hasParentConfig, true, `${p}-workload has a parentConfig`);
    for (const r of ['mgmt', 'workload', 'workload2']) {
      assert.equal('registryMirrors' in (loadClusterFixture(join(dir, `${p}-${r}.yaml`)).manifest.spec as object), false, `${p}-${r}`);
    }
  }
  const w = loadClusterFixture(join(dir, 'docker-workload.yaml'));
  assert.equal(w.workers, 1, 'one pool, so the pivot scenario can scale it down to 1');
});

test('B49 a cluster fixture of another Lattice API version: refused at start-up naming the file, the field and the version', async (t) => {
  const dir = scratch(t);
  const err = await thrown(() => startRun({ LATTICE_VERSION: '2026-01', LATTICE_MGMT_CLUSTER_CONFIG: join(repoRoot, 'fixtures/2026-04/clusters/docker-mgmt.yaml'), LATTICE_E2E_WORK_DIR: dir, LATTICE_SIM_HOME: join(dir, 'sim') }));
  endRun();
  assert.ok(err instanceof FixtureError);
  assertClearMessage(err.message, { names: ['fixtures/2026-04/clusters/docker-mgmt.yaml', 'spec.providerRef', 'Lattice API 2026-04 field', 'this run speaks 2026-01', 'LATTICE_VERSION=2026-04'] });
  const fx = loadClusterFixture(join(repoRoot, 'fixtures/clusters/docker-mgmt.yaml'));
  assertClearMessage((await thrown(() => assertFixtureVersion(fx, '2026-04'))).message, { names: ['fixtures/clusters/docker-mgmt.yaml', 'spec.nodes.controlPlane', 'Lattice API 2026-01 field', 'this run speaks 2026-04'] });
});

test('a 2026-04 fixture that breaks its own schema is judged by 2026-04\'s schema', async (t) => {
  const dir = scratch(t);
  const m = yaml.load(readFileSync(join(repoRoot, 'fixtures/2026-04/clusters/docker-mgmt.yaml'), 'utf8')) as { spec: { nodes: { workerPools: Record<string, unknown> } } };
  m.spec.nodes.workerPools.default = { replicas: -1 };
  writeFileSync(join(dir, 'bad.yaml'), yaml.dump(m));
  const err = await thrown(() => loadClusterFixture(join(dir, 'bad.yaml')));
  assert.ok(err instanceof FixtureError);
  assertClearMessage(err.message, { names: ['bad.yaml', 'spec.nodes.workerPools.default.replicas', 'fixtures/2026-04/schemas/', 'API 2026-04'] });
});

test('B50 LATTICE_VERSION picks the folder bare fixture names resolve in; a version we do not speak is refused in one line', async () => {
  assert.match(loadConfig({ LATTICE_VERSION: '2026-04' }).clusters.mgmt, /fixtures\/2026-04\/clusters\/docker-mgmt\.yaml$/);
  assert.match(loadConfig({ LATTICE_VERSION: '2026-01' }).clusters.mgmt, /fixtures\/clusters\/docker-mgmt\.yaml$/);
  const err = await thrown(() => loadConfig({ LATTICE_VERSION: '2025-12' }));
  assert.ok(err instanceof ConfigError);
  assertClearMessage(err.message, { names: ['LATTICE_VERSION', '"2025-12"', '2026-01 or 2026-04'] });
});

test('the scenarios a run leaves out are those of promises since a later version, tagged on the scenario or its feature', (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'a.feature'), '@x @lattice-2026-04\nFeature: new things\n  Scenario: only new\n    Given x\n');
  writeFileSync(join(dir, 'b.feature'), 'Feature: both\n  Scenario: everywhere\n    Given x\n\n  @lattice-2026-01\n  Scenario: since the first\n    Given y\n');
  const at01 = scenariosLeftOut(dir, dir, '2026-01');
  assert.deepEqual(at01.map((s) => s.where), ['a.feature: only new']);
  // a promise of 2026-01 still holds at 2026-04, and a later version would run both
  assert.deepEqual(scenariosLeftOut(dir, dir, '2026-04'), []);
  assert.deepEqual(scenariosLeftOut(dir, dir, '2026-07' as LatticeApiVersion), []);
  assert.match(describeLeftOut(at01, '2026-01').join('\n'), /left out at Lattice API 2026-01: 1 scenario\(s\)[\s\S]*a\.feature: only new \(since 2026-04\)/);
});
