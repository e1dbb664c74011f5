import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../support/errors.js';
import { DEFAULT_EXTERNALS, DEFAULT_RANDOM_MESH_CONFIG, readRandomMeshSettings, resolveSeed, validateRandomMeshConfig } from '../../../support/mesh/random-mesh-config.js';
import { generateRandomMeshFromEnv } from '../../../support/mesh/random-mesh.js';

test('defaults are the spec\'s: 10–20 services, 5 layers, 0.3/0.6, the five externals of §4.5', () => {
  const { config, seed } = readRandomMeshSettings({});
  assert.equal(seed, undefined);
  assert.deepEqual(
    [config.namespace, config.minServices, config.maxServices, config.layers, config.outboundP, config.bilateralP, config.externalOutboundP, config.externalAllowP],
    ['random-mesh', 10, 20, 5, 0.3, 0.6, 0.3, 0.6]);
  assert.deepEqual(DEFAULT_EXTERNALS.map((e) => `${e.name}=${e.url}`), [
    'httpbin=https://httpbin.org/status/200', 'example=https://example.com', 'google=https://www.google.com',
    'cloudflare=https://one.one.one.one', 'github=https://github.com',
  ]);
});

test('the four variables are read', () => {
  const s = readRandomMeshSettings({ LATTICE_RANDOM_MESH_SEED: '42', LATTICE_RANDOM_MESH_MIN_SERVICES: '30', LATTICE_RANDOM_MESH_MAX_SERVICES: ' 40 ', LATTICE_RANDOM_MESH_LAYERS: '3' });
  assert.equal(s.seed, 42);
  assert.deepEqual([s.config.minServices, s.config.maxServices, s.config.layers], [30, 40, 3]);
  assert.equal(readRandomMeshSettings({ LATTICE_RANDOM_MESH_SEED: '4294967295' }).seed, 4294967295);
  assert.equal(readRandomMeshSettings({ LATTICE_RANDOM_MESH_SEED: '' }).seed, undefined, 'empty = unset');
  // Raising only the minimum drags the default maximum along.
  assert.deepEqual([readRandomMeshSettings({ LATTICE_RANDOM_MESH_MIN_SERVICES: '500' }).config.minServices, readRandomMeshSettings({ LATTICE_RANDOM_MESH_MIN_SERVICES: '500' }).config.maxServices], [500, 500]);
});

test('every bad value is a ConfigError naming the variable', () => {
  const bad: [Record<string, string>, string][] = [
    [{ LATTICE_RANDOM_MESH_SEED: 'abc' }, 'LATTICE_RANDOM_MESH_SEED'],
    [{ LATTICE_RANDOM_MESH_SEED: '-1' }, 'LATTICE_RANDOM_MESH_SEED'],
    [{ LATTICE_RANDOM_MESH_SEED: '4294967296' }, 'LATTICE_RANDOM_MESH_SEED'],
    [{ LATTICE_RANDOM_MESH_SEED: '1.5' }, 'LATTICE_RANDOM_MESH_SEED'],
    [{ LATTICE_RANDOM_MESH_MIN_SERVICES: 'ten' }, 'LATTICE_RANDOM_MESH_MIN_SERVICES'],
    [{ LATTICE_RANDOM_MESH_MIN_SERVICES: '0' }, 'LATTICE_RANDOM_MESH_MIN_SERVICES'],
    [{ LATTICE_RANDOM_MESH_MAX_SERVICES: '99999' }, 'LATTICE_RANDOM_MESH_MAX_SERVICES'],
    [{ LATTICE_RANDOM_MESH_MIN_SERVICES: '30', LATTICE_RANDOM_MESH_MAX_SERVICES: '20' }, 'LATTICE_RANDOM_MESH_MAX_SERVICES'],
    [{ LATTICE_RANDOM_MESH_LAYERS: '1' }, 'LATTICE_RANDOM_MESH_LAYERS'],
    [{ LATTICE_RANDOM_MESH_LAYERS: 'x' }, 'LATTICE_RANDOM_MESH_LAYERS'],
    [{ LATTICE_RANDOM_MESH_LAYERS: '12' }, 'LATTICE_RANDOM_MESH_MIN_SERVICES'],
  ];
  for (const [env, name] of bad) {
    assert.throws(() => readRandomMeshSettings(env), (e: unknown) => e instanceof ConfigError && e.message.includes(name) && !e.message.includes('\n'), JSON.stringify(env));
  }
});

test('config validation rejects impossible settings', () => {
  assert.throws(() => validateRandomMeshConfig({ ...DEFAULT_RANDOM_MESH_CONFIG, outboundP: 1.5 }), /outboundP/);
  assert.throws(() => validateRandomMeshConfig({ ...DEFAULT_RANDOM_MESH_CONFIG, minServices: 3 }), /minServices/);
  assert.throws(() => validateRandomMeshConfig({ ...DEFAULT_RANDOM_MESH_CONFIG, externals: [DEFAULT_EXTERNALS[0]!, DEFAULT_EXTERNALS[0]!] }), /repeat/);
});

test('no seed: one is picked (not Math.random), reported, and replays the same mesh', () => {
  const original = Math.random;
  Math.random = () => { throw new Error('Math.random must not be used'); };
  try {
    const a = resolveSeed(undefined);
    assert.equal(a.picked, true);
    assert.ok(Number.isInteger(a.seed) && a.seed >= 0 && a.seed <= 0xffffffff);
    assert.deepEqual(resolveSeed(7), { seed: 7, picked: false });
    const first = generateRandomMeshFromEnv({});
    assert.equal(first.seedPicked, true);
    const replay = generateRandomMeshFromEnv({ LATTICE_RANDOM_MESH_SEED: String(first.mesh.seed) });
    assert.equal(replay.seedPicked, false);
    assert.deepEqual(replay.mesh, first.mesh);
  } finally {
    Math.random = original;
  }
});
