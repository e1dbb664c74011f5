import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig, loadConfig } from '../../../support/config/index.js';
import { scratchDir } from './helpers.js';

test('describeConfig is a short multi-line summary naming the choices', () => {
  const cfg = loadConfig({ LATTICE_E2E_RUN_ID: 'sum-1', LATTICE_ENABLE_MESH_TEST: '0', LATTICE_MGMT_CLUSTER_CONFIG: 'aws-mgmt' });
  const text = describeConfig(cfg);
  const lines = text.split('\n');
  assert.ok(lines.length >= 8 && lines.length <= 15, `${lines.length} lines`);
  assert.match(text, /^target: embedded; Lattice API 2026-04 \(not named\)$/m);
  assert.match(text, /run id: sum-1; keep resources: no/);
  assert.match(text, /mgmt fixtures\/2026-04\/clusters\/aws-mgmt\.yaml/);
  assert.match(text, /mesh\/media scenarios: disabled/);
  assert.match(text, /upgrade: 1\.31\.0 -> 1\.32\.0/);
  assert.match(text, /clusterPhase 60s\/200ms/);
  assert.match(text, /set from environment: LATTICE_E2E_RUN_ID, LATTICE_ENABLE_MESH_TEST, LATTICE_MGMT_CLUSTER_CONFIG/);
});

test('describeConfig names the credentials file but never its content', (t) => {
  const dir = scratchDir(t);
  const secret = 'Z2hjcl91c2VyOnN1cGVyLXNlY3JldC10b2tlbg==';
  writeFileSync(join(dir, 'creds.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: secret } } }));
  const text = describeConfig(loadConfig({ REGISTRY_CREDENTIALS_FILE: join(dir, 'creds.json') }));
  assert.match(text, /registry credentials: file .*creds\.json/);
  assert.ok(!text.includes(secret));
  assert.match(describeConfig(loadConfig({})), /registry credentials: none/);
});
