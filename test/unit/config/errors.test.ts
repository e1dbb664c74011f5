import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../support/config/index.js';
import { expectConfigError, scratchDir } from './helpers.js';

const cases: Array<{ name: string; env: Record<string, string>; needles: string[] }> = [
  { name: 'unknown target', env: { LATTICE_TARGET: 'cloud' }, needles: ['LATTICE_TARGET', '"cloud"', 'embedded or real'] },
  { name: 'non-boolean mesh switch', env: { LATTICE_ENABLE_MESH_TEST: 'maybe' }, needles: ['LATTICE_ENABLE_MESH_TEST', '"maybe"', 'true/false'] },
  { name: 'non-boolean keep switch', env: { LATTICE_E2E_KEEP: 'on' }, needles: ['LATTICE_E2E_KEEP', '"on"', 'yes/no'] },
  { name: 'negative timeout', env: { LATTICE_TIMEOUT_CLUSTER_PHASE: '-5s' }, needles: ['LATTICE_TIMEOUT_CLUSTER_PHASE', '"-5s"', 'positive duration'] },
  { name: 'zero timeout', env: { LATTICE_TIMEOUT_INSTALL: '0' }, needles: ['LATTICE_TIMEOUT_INSTALL', '"0"'] },
  { name: 'zero interval with unit', env: { LATTICE_POLL_WAYPOINT: '0ms' }, needles: ['LATTICE_POLL_WAYPOINT', '"0ms"'] },
  { name: 'garbage duration', env: { LATTICE_POLL_MESH_PODS: 'soon' }, needles: ['LATTICE_POLL_MESH_PODS', '"soon"', '500ms, 30s, 10m'] },
  { name: 'unknown unit', env: { LATTICE_TIMEOUT_CLI: '10d' }, needles: ['LATTICE_TIMEOUT_CLI', '"10d"'] },
  { name: 'absurdly long duration', env: { LATTICE_TIMEOUT_UPGRADE: '48h' }, needles: ['LATTICE_TIMEOUT_UPGRADE', '"48h"', '24h'] },
  { name: 'unknown fixture name', env: { LATTICE_MGMT_CLUSTER_CONFIG: 'gcp-mgmt' }, needles: ['LATTICE_MGMT_CLUSTER_CONFIG', '"gcp-mgmt"', 'docker-mgmt', 'fixtures/2026-04/clusters'] },
  { name: 'missing fixture path', env: { LATTICE_WORKLOAD2_CLUSTER_CONFIG: '/nonexistent/w2.yaml' }, needles: ['LATTICE_WORKLOAD2_CLUSTER_CONFIG', '"/nonexistent/w2.yaml"'] },
  { name: 'unknown independence fixture', env: { LATTICE_INDEP_WORKLOAD_CONFIG: 'nope' }, needles: ['LATTICE_INDEP_WORKLOAD_CONFIG', '"nope"'] },
  { name: 'unknown upgrade fixture', env: { LATTICE_UPGRADE_MGMT_CONFIG: 'docker-mgmt2' }, needles: ['LATTICE_UPGRADE_MGMT_CONFIG', '"docker-mgmt2"'] },
  { name: 'version with v prefix', env: { LATTICE_UPGRADE_FROM_VERSION: 'v1.31.0' }, needles: ['LATTICE_UPGRADE_FROM_VERSION', '"v1.31.0"', 'x.y.z'] },
  { name: 'two-part version', env: { LATTICE_UPGRADE_TO_VERSION: '1.32' }, needles: ['LATTICE_UPGRADE_TO_VERSION', '"1.32"'] },
  { name: 'upgrade going backwards', env: { LATTICE_UPGRADE_FROM_VERSION: '1.32.0', LATTICE_UPGRADE_TO_VERSION: '1.31.5' }, needles: ['LATTICE_UPGRADE_TO_VERSION="1.31.5"', 'LATTICE_UPGRADE_FROM_VERSION="1.32.0"', 'not newer'] },
  { name: 'upgrade to the same version', env: { LATTICE_UPGRADE_FROM_VERSION: '1.32.0' }, needles: ['LATTICE_UPGRADE_TO_VERSION="1.32.0"', 'not newer'] },
  { name: 'minor compared numerically', env: { LATTICE_UPGRADE_FROM_VERSION: '1.10.0', LATTICE_UPGRADE_TO_VERSION: '1.9.0' }, needles: ['not newer'] },
  { name: 'missing credentials file', env: { REGISTRY_CREDENTIALS_FILE: '/nonexistent/creds.json' }, needles: ['REGISTRY_CREDENTIALS_FILE', '"/nonexistent/creds.json"', 'existing file'] },
  { name: 'missing CLI path', env: { LATTICE_CLI: './bin/nope' }, needles: ['LATTICE_CLI', '"./bin/nope"'] },
  { name: 'bad run id', env: { LATTICE_E2E_RUN_ID: 'My_Run' }, needles: ['LATTICE_E2E_RUN_ID', '"My_Run"', 'a-z, 0-9'] },
  { name: 'too long run id', env: { LATTICE_E2E_RUN_ID: 'r'.repeat(33) }, needles: ['LATTICE_E2E_RUN_ID', '1-32 characters'] },
  { name: 'bad image', env: { LATTICE_IMAGE: 'ghcr.io/x y' }, needles: ['LATTICE_IMAGE', '"ghcr.io/x y"'] },
  { name: 'bad attempts', env: { LATTICE_KUBECONFIG_ATTEMPTS: '0' }, needles: ['LATTICE_KUBECONFIG_ATTEMPTS', '"0"', '1 to 1000'] },
  { name: 'fractional attempts', env: { LATTICE_KUBECONFIG_ATTEMPTS: '2.5' }, needles: ['LATTICE_KUBECONFIG_ATTEMPTS', '"2.5"'] },
  { name: 'misspelt wait variable', env: { LATTICE_TIMEOUT_CLUSTER_PHAES: '10s' }, needles: ['LATTICE_TIMEOUT_CLUSTER_PHAES', 'not a known wait variable'] },
  { name: 'poll longer than timeout', env: { LATTICE_TIMEOUT_WAYPOINT: '10s', LATTICE_POLL_WAYPOINT: '1m' }, needles: ['LATTICE_POLL_WAYPOINT (60s)', 'LATTICE_TIMEOUT_WAYPOINT (10s)'] },
];

for (const c of cases) {
  test(`bad value: ${c.name}`, () => {
    expectConfigError(() => loadConfig(c.env, { cwd: '/' }), ...c.needles);
  });
}

test('all bad variables are reported at once, joined with "; "', () => {
  const msg = expectConfigError(
    () => loadConfig({ LATTICE_TARGET: 'k8s', LATTICE_ENABLE_MESH_TEST: 'perhaps', LATTICE_TIMEOUT_DELETION: '-1', LATTICE_UPGRADE_TO_VERSION: 'latest' }),
    'LATTICE_TARGET="k8s"',
    'LATTICE_ENABLE_MESH_TEST="perhaps"',
    'LATTICE_TIMEOUT_DELETION="-1"',
    'LATTICE_UPGRADE_TO_VERSION="latest"',
    'VARIABLES.md',
  );
  assert.ok(msg.startsWith('bad settings: '), msg);
  assert.equal(msg.split('; ').filter((part) => /^(bad settings: )?LATTICE_/.test(part)).length, 4, msg);
});

test('a work folder path that is a file is refused', (t) => {
  const dir = scratchDir(t);
  writeFileSync(join(dir, 'file'), '');
  expectConfigError(() => loadConfig({ LATTICE_E2E_WORK_DIR: 'file' }, { cwd: dir }), 'LATTICE_E2E_WORK_DIR', '"file"', 'not a folder');
});

test('a fixture path that is a folder is refused', (t) => {
  const dir = scratchDir(t);
  mkdirSync(join(dir, 'clusters.yaml'));
  expectConfigError(() => loadConfig({ LATTICE_MGMT_CLUSTER_CONFIG: './clusters.yaml' }, { cwd: dir }), 'LATTICE_MGMT_CLUSTER_CONFIG', '"./clusters.yaml"');
});

test('a bad target still reports problems found with the other variables', () => {
  expectConfigError(() => loadConfig({ LATTICE_TARGET: 'x', LATTICE_CLI: '/no/such/lattice' }), 'LATTICE_TARGET', 'LATTICE_CLI');
});
