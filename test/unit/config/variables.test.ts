import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, repoRoot } from '../../../support/config/index.js';
import { scratchDir } from './helpers.js';
import { DEFAULT_LATTICE_VERSION, spellingFor } from '../../../support/versions/index.js';

// Bare fixture names resolve in the default Lattice API version's folder (support/versions).
const fixture = (name: string) => resolve(spellingFor(DEFAULT_LATTICE_VERSION).clusters.fixturesDir, name);

test('every variable of the spec tables and of the suite is read', (t) => {
  const dir = scratchDir(t);
  writeFileSync(join(dir, 'creds.json'), '{"auths":{}}');
  writeFileSync(join(dir, 'lattice-bin'), '#!/bin/sh\n');
  mkdirSync(join(dir, 'clusters'));
  writeFileSync(join(dir, 'clusters', 'custom.yaml'), 'kind: LatticeCluster\n');
  const cfg = loadConfig(
    {
      LATTICE_TARGET: 'real',
      LATTICE_CLI: './lattice-bin',
      LATTICE_IMAGE: 'registry.local:5000/lattice:dev',
      REGISTRY_CREDENTIALS_FILE: 'creds.json',
      LATTICE_E2E_RUN_ID: 'ci-42',
      LATTICE_E2E_KEEP: 'yes',
      LATTICE_E2E_WORK_DIR: 'work',
      LATTICE_MGMT_CLUSTER_CONFIG: 'aws-mgmt',
      LATTICE_WORKLOAD_CLUSTER_CONFIG: 'openstack-workload.yaml',
      LATTICE_WORKLOAD2_CLUSTER_CONFIG: fixture('proxmox-workload2.yaml'),
      LATTICE_INDEP_MGMT_CONFIG: 'clusters/custom.yaml',
      LATTICE_INDEP_WORKLOAD_CONFIG: 'proxmox-workload',
      LATTICE_UPGRADE_MGMT_CONFIG: 'aws-mgmt.yaml',
      LATTICE_UPGRADE_WORKLOAD_CONFIG: 'aws-workload',
      LATTICE_ENABLE_MESH_TEST: 'FALSE',
      LATTICE_UPGRADE_FROM_VERSION: '1.30.2',
      LATTICE_UPGRADE_TO_VERSION: '1.31.0',
      LATTICE_TIMEOUT_CLUSTER_PHASE: '900s',
      LATTICE_POLL_CLUSTER_PHASE: '5s',
      LATTICE_TIMEOUT_WAYPOINT: '10m',
      LATTICE_POLL_WAYPOINT: '500ms',
      LATTICE_TIMEOUT_UPGRADE: '1h',
      LATTICE_POLL_DEPLOYMENTS: '2',
      LATTICE_KUBECONFIG_ATTEMPTS: '12',
      LATTICE_POLL_KUBECONFIG_EXTRACTION: '1.5',
      LATTICE_TIMEOUT_CLI: '45m',
    },
    { cwd: dir },
  );
  assert.equal(cfg.target, 'real');
  assert.equal(cfg.latticeCli, join(dir, 'lattice-bin'));
  assert.equal(cfg.image, 'registry.local:5000/lattice:dev');
  assert.equal(cfg.registryCredentialsFile, join(dir, 'creds.json'));
  assert.equal(cfg.runId, 'ci-42');
  assert.equal(cfg.runIdGenerated, false);
  assert.equal(cfg.keepResources, true);
  assert.equal(cfg.workDir, join(dir, 'work'));
  assert.deepEqual(cfg.clusters, {
    mgmt: fixture('aws-mgmt.yaml'),
    workload: fixture('openstack-workload.yaml'),
    workload2: fixture('proxmox-workload2.yaml'),
    indepMgmt: join(dir, 'clusters', 'custom.yaml'),
    indepWorkload: fixture('proxmox-workload.yaml'),
    upgradeMgmt: fixture('aws-mgmt.yaml'),
    upgradeWorkload: fixture('aws-workload.yaml'),
  });
  assert.equal(cfg.enableMeshTest, false);
  assert.deepEqual(cfg.upgrade, { fromVersion: '1.30.2', toVersion: '1.31.0' });
  assert.deepEqual(cfg.waits.clusterPhase, { timeoutMs: 900_000, intervalMs: 5_000 });
  assert.deepEqual(cfg.waits.waypoint, { timeoutMs: 600_000, intervalMs: 500 });
  assert.equal(cfg.waits.upgrade.timeoutMs, 3_600_000);
  assert.equal(cfg.waits.upgrade.intervalMs, 30_000, 'untouched poll keeps the real default');
  assert.equal(cfg.waits.deployments.intervalMs, 2_000);
  assert.deepEqual(cfg.kubeconfigExtraction, { attempts: 12, intervalMs: 1_500 });
  assert.equal(cfg.cliTimeoutMs, 2_700_000);
  assert.equal(cfg.fromEnv.length, 26);
});

test('run id and work folder: the work folder follows a given run id', () => {
  const cfg = loadConfig({ LATTICE_E2E_RUN_ID: 'nightly-7' });
  assert.equal(cfg.workDir, resolve(repoRoot, '.tmp', 'runs', 'nightly-7'));
});

test('independence fixtures default to whatever mgmt/workload resolved to', () => {
  const cfg = loadConfig({ LATTICE_MGMT_CLUSTER_CONFIG: 'proxmox-mgmt', LATTICE_WORKLOAD_CLUSTER_CONFIG: 'proxmox-workload' });
  assert.equal(cfg.clusters.indepMgmt, fixture('proxmox-mgmt.yaml'));
  assert.equal(cfg.clusters.indepWorkload, fixture('proxmox-workload.yaml'));
  assert.equal(cfg.clusters.upgradeMgmt, fixture('docker-mgmt.yaml'), 'the upgrade pair has its own defaults');
  assert.equal(cfg.clusters.upgradeWorkload, fixture('docker-workload.yaml'));
});

for (const [text, expected] of [
  ['true', true], ['TRUE', true], ['1', true], ['yes', true], ['Yes', true],
  ['false', false], ['False', false], ['0', false], ['no', false], ['NO', false],
] as const) {
  test(`booleans: ${JSON.stringify(text)} means ${expected} for the mesh switch and the keep switch`, () => {
    const cfg = loadConfig({ LATTICE_ENABLE_MESH_TEST: text, LATTICE_E2E_KEEP: text });
    assert.equal(cfg.enableMeshTest, expected);
    assert.equal(cfg.keepResources, expected);
  });
}

for (const [text, ms] of [['500ms', 500], ['30s', 30_000], ['10m', 600_000], ['2h', 7_200_000], ['90', 90_000], ['1.5', 1_500], ['0.25s', 250], ['15 S', 15_000]] as const) {
  test(`durations: ${JSON.stringify(text)} is ${ms} ms`, () => {
    assert.equal(loadConfig({ LATTICE_TIMEOUT_DELETION: text }).waits.deletion.timeoutMs, ms);
  });
}

test('fixture names: a bare name not among the fixtures is taken from the cwd', (t) => {
  const dir = scratchDir(t);
  writeFileSync(join(dir, 'mine.yaml'), 'kind: LatticeCluster\n');
  const cfg = loadConfig({ LATTICE_WORKLOAD2_CLUSTER_CONFIG: 'mine.yaml' }, { cwd: dir });
  assert.equal(cfg.clusters.workload2, join(dir, 'mine.yaml'));
});

test('fixture names: a shipped fixture name wins over a same-named file in the cwd', (t) => {
  const dir = scratchDir(t);
  writeFileSync(join(dir, 'docker-mgmt.yaml'), 'kind: LatticeCluster\n');
  assert.equal(loadConfig({ LATTICE_MGMT_CLUSTER_CONFIG: 'docker-mgmt.yaml' }, { cwd: dir }).clusters.mgmt, fixture('docker-mgmt.yaml'));
  assert.equal(loadConfig({ LATTICE_MGMT_CLUSTER_CONFIG: './docker-mgmt.yaml' }, { cwd: dir }).clusters.mgmt, join(dir, 'docker-mgmt.yaml'));
});

test('LATTICE_CLI given as a bare command is kept for a PATH lookup', () => {
  assert.equal(loadConfig({ LATTICE_CLI: 'lattice-dev' }).latticeCli, 'lattice-dev');
});
