import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadConfig, repoRoot, WAIT_ORDER } from '../../../support/config/index.js';
import { DEFAULT_LATTICE_VERSION, spellingFor } from '../../../support/versions/index.js';

// Bare fixture names resolve in the default Lattice API version's folder (support/versions).
const fixture = (name: string) => resolve(spellingFor(DEFAULT_LATTICE_VERSION).clusters.fixturesDir, name);
/** A real run must name its image (LATTICE_IMAGE); any reference does for these tests. */
const IMAGE = 'ghcr.io/evan-hines-js/lattice:test';

test('embedded defaults: simulated CLI, docker fixtures, mesh on, spec versions', () => {
  const cfg = loadConfig({});
  assert.equal(cfg.target, 'embedded');
  assert.equal(cfg.latticeCli, resolve(repoRoot, 'sim', 'bin', 'lattice'));
  assert.equal(cfg.image, 'ghcr.io/evan-hines-js/lattice:latest');
  assert.equal(cfg.registryCredentialsFile, undefined);
  assert.equal(cfg.keepResources, false);
  assert.equal(cfg.enableMeshTest, true);
  assert.deepEqual(cfg.upgrade, { fromVersion: '1.31.0', toVersion: '1.32.0' });
  assert.deepEqual(cfg.clusters, {
    mgmt: fixture('docker-mgmt.yaml'),
    workload: fixture('docker-workload.yaml'),
    workload2: fixture('docker-workload2.yaml'),
    indepMgmt: fixture('docker-mgmt.yaml'),
    indepWorkload: fixture('docker-workload.yaml'),
    upgradeMgmt: fixture('docker-mgmt.yaml'),
    upgradeWorkload: fixture('docker-workload.yaml'),
  });
  assert.equal(cfg.runIdGenerated, true);
  assert.match(cfg.runId, /^r[a-z0-9]+$/);
  assert.ok(cfg.runId.length <= 32);
  assert.equal(cfg.workDir, resolve(repoRoot, '.tmp', 'runs', cfg.runId));
  assert.equal(cfg.repoRoot, repoRoot);
  assert.deepEqual(cfg.fromEnv, []);
});

test('real defaults carry upstream Lattice figures', () => {
  const cfg = loadConfig({ LATTICE_TARGET: 'real', LATTICE_IMAGE: IMAGE });
  assert.equal(cfg.target, 'real');
  assert.equal(cfg.latticeCli, 'lattice');
  const w = cfg.waits;
  assert.deepEqual(w.clusterPhase, { timeoutMs: 1_800_000, intervalMs: 10_000 });
  assert.equal(w.install.timeoutMs, 600_000);
  assert.deepEqual(w.workerScaling, { timeoutMs: 600_000, intervalMs: 15_000 });
  assert.deepEqual(w.deletion, { timeoutMs: 600_000, intervalMs: 10_000 });
  assert.deepEqual(w.deployments, { timeoutMs: 300_000, intervalMs: 5_000 });
  assert.deepEqual(w.meshPods, { timeoutMs: 300_000, intervalMs: 10_000 });
  assert.deepEqual(w.randomMeshPods, { timeoutMs: 600_000, intervalMs: 15_000 });
  assert.deepEqual(w.waypoint, { timeoutMs: 120_000, intervalMs: 5_000 });
  assert.deepEqual(w.upgrade, { timeoutMs: 1_800_000, intervalMs: 30_000 });
  assert.deepEqual(w.infrastructureGone, { timeoutMs: 150_000, intervalMs: 5_000 });
  assert.deepEqual(cfg.kubeconfigExtraction, { attempts: 60, intervalMs: 5_000 });
  assert.equal(cfg.cliTimeoutMs, 3_600_000);
});

test('embedded waits are all much shorter than real ones and poll faster than their timeout', () => {
  const embedded = loadConfig({});
  const real = loadConfig({ LATTICE_TARGET: 'real', LATTICE_IMAGE: IMAGE });
  for (const name of WAIT_ORDER) {
    const e = embedded.waits[name];
    assert.ok(e.timeoutMs <= 120_000, `${name} embedded timeout ${e.timeoutMs}`);
    assert.ok(e.timeoutMs * 2 <= real.waits[name].timeoutMs, `${name} should be well below real`);
    assert.ok(e.intervalMs < e.timeoutMs && e.intervalMs <= 1000, `${name} embedded interval ${e.intervalMs}`);
  }
  assert.ok(embedded.cliTimeoutMs < real.cliTimeoutMs);
  assert.ok(embedded.kubeconfigExtraction.intervalMs < real.kubeconfigExtraction.intervalMs);
});

test('LATTICE_TARGET is case-insensitive and blank values count as unset', () => {
  assert.equal(loadConfig({ LATTICE_TARGET: 'REAL', LATTICE_IMAGE: IMAGE }).target, 'real');
  const cfg = loadConfig({ LATTICE_TARGET: '  ', LATTICE_ENABLE_MESH_TEST: '', LATTICE_IMAGE: '' });
  assert.equal(cfg.target, 'embedded');
  assert.equal(cfg.enableMeshTest, true);
  assert.equal(cfg.image, 'ghcr.io/evan-hines-js/lattice:latest');
  assert.deepEqual(cfg.fromEnv, []);
});

test('generated run ids differ between loads and the config is frozen', () => {
  const a = loadConfig({});
  const b = loadConfig({});
  assert.notEqual(a.runId, b.runId);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.waits.clusterPhase) && Object.isFrozen(a.clusters));
  assert.throws(() => {
    (a as { target: string }).target = 'real';
  }, TypeError);
});
