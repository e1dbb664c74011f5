import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asLatticeService, type LatticeServiceManifest } from '../../../support/mesh/lattice-objects.js';
import { assertClaimsPresent, buildMediaModel, prepareMediaManifests } from '../../../support/media/media-model.js';
import { judgeMarkerRead, markerCommand, type MarkerStep } from '../../../support/media/marker-plan.js';
import { planVolumes } from '../../../support/media/volumes.js';
import { FixtureError, SuiteError } from '../../../support/errors.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';

/** 2026-01's rules: this file checks the model on 2026-01 objects (2026-04: test/unit/versions/service-2026-04-media.test.ts). */
const AT_2026_01 = { volumeOwnerLabel: services2026_01.volumeOwnerLabel, expectsWaypoint: true };
const owner = services2026_01.volumeOwnerLabel;
import { readManifestFile, serviceFixturePath, SERVICE_FIXTURE_NAMES, validateLatticeService } from '../../../support/fixtures/index.js';

/** Minimal services written from lattice-facts §4.6 (shared key named differently from the fixtures on purpose). */
function minimalStack(): LatticeServiceManifest[] {
  const svc = (name: string, port: number, resources: LatticeServiceManifest['spec']['resources'], volumes: Record<string, { source: string; path?: string }>): LatticeServiceManifest => ({
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name, namespace: 'media' },
    spec: { containers: { main: { image: `${name}:latest`, volumes } }, service: { ports: { http: { port } } }, resources },
  });
  return [
    svc('jellyfin', 8096, {
      config: { type: 'volume', params: { size: '10Gi' } },
      cache: { type: 'volume', params: { size: '20Gi' } },
      'media-storage': { type: 'volume', id: 'media-storage', params: { size: '1Ti', accessMode: 'ReadWriteOnce' } },
      sonarr: { type: 'service', direction: 'inbound' },
    }, { '/config': { source: '${resources.config}' }, '/cache': { source: '${resources.cache}' }, '/media': { source: '${resources.media-storage}', path: 'library' } }),
    svc('nzbget', 6789, {
      config: { type: 'volume', params: { size: '1Gi' } },
      'media-storage': { type: 'volume', id: 'media-storage' },
      sonarr: { type: 'service', direction: 'inbound' },
    }, { '/config': { source: '${resources.config}' }, '/downloads': { source: '${resources.media-storage}', path: 'downloads' } }),
    svc('sonarr', 8989, {
      config: { type: 'volume', params: { size: '5Gi' } },
      'media-storage': { type: 'volume', id: 'media-storage' },
      jellyfin: { type: 'service', direction: 'outbound' },
      nzbget: { type: 'service', direction: 'outbound' },
    }, { '/config': { source: '${resources.config}' }, '/downloads': { source: '${resources.media-storage}', path: 'downloads' }, '/tv': { source: '${resources.media-storage}', path: 'library' } }),
  ];
}

function realFixtures(): LatticeServiceManifest[] {
  return SERVICE_FIXTURE_NAMES.map((n) => asLatticeService(readManifestFile(serviceFixturePath(n), 'LatticeService'), `${n}.yaml`));
}

const EXPECTED_MARKERS: MarkerStep[] = [
  { kind: 'write', service: 'jellyfin', path: '/media/.test-marker', marker: 'jellyfin-marker' },
  { kind: 'expect-contains', service: 'sonarr', path: '/tv/.test-marker', marker: 'jellyfin-marker' },
  { kind: 'write', service: 'nzbget', path: '/downloads/.test-marker', marker: 'nzbget-marker' },
  { kind: 'expect-contains', service: 'sonarr', path: '/downloads/.test-marker', marker: 'nzbget-marker' },
  { kind: 'expect-not-contains', service: 'nzbget', path: '/downloads/.test-marker', marker: 'jellyfin-marker' },
  { kind: 'expect-not-contains', service: 'sonarr', path: '/downloads/.test-marker', marker: 'jellyfin-marker' },
  { kind: 'expect-not-contains', service: 'jellyfin', path: '/media/.test-marker', marker: 'nzbget-marker' },
  { kind: 'expect-not-contains', service: 'sonarr', path: '/tv/.test-marker', marker: 'nzbget-marker' },
];

for (const [label, load] of [['minimal §4.6 objects', minimalStack], ['the shipped fixtures', realFixtures]] as const) {
  test(`media model from ${label}: claims, co-location, marker plan, agreements`, () => {
    const model = buildMediaModel(load(), AT_2026_01);
    assert.deepEqual(model.volumes.claims.map((c) => `${c.name} ${c.size} ${c.accessMode} owner=${c.owner}${c.shared ? ' shared' : ''}`).sort(), [
      'jellyfin-cache 20Gi ReadWriteOnce owner=jellyfin',
      'jellyfin-config 10Gi ReadWriteOnce owner=jellyfin',
      'nzbget-config 1Gi ReadWriteOnce owner=nzbget',
      'sonarr-config 5Gi ReadWriteOnce owner=sonarr',
      'vol-media-storage 1Ti ReadWriteOnce owner=jellyfin shared',
    ]);
    assert.deepEqual(model.volumes.sharedVolumes.map((v) => [v.claim, v.owner, `${v.ownerLabel.key}=${v.ownerLabel.value}`, v.references.map((r) => r.service)]), [
      ['vol-media-storage', 'jellyfin', 'lattice.dev/volume-owner-media-storage=true', ['nzbget', 'sonarr']],
    ]);
    assert.deepEqual(model.volumes.colocation.map((c) => `${c.reference}@${c.owner}`), ['nzbget@jellyfin', 'sonarr@jellyfin']);
    assert.deepEqual(model.volumes.nodeGroups, [['jellyfin', 'nzbget', 'sonarr']]);
    assert.deepEqual(model.markers, EXPECTED_MARKERS);
    assert.ok(model.markers.some((s) => s.kind === 'expect-not-contains' && s.service === 'jellyfin' && s.path === '/media/.test-marker' && s.marker === 'nzbget-marker'), 'the spec\'s negative check');
    assert.deepEqual(model.checks.map((c) => `${c.source}->${c.target} ${c.url} ${c.expected}`), [
      'sonarr->jellyfin http://jellyfin:8096/ ALLOWED',
      'sonarr->nzbget http://nzbget:6789/ ALLOWED',
      'jellyfin->sonarr http://sonarr:8989/ BLOCKED',
    ]);
    assert.equal(model.checks[2]!.reason, 'no declaration on either side');
  });
}

test('media expectations follow declarations: without jellyfin\'s inbound, sonarr→jellyfin is blocked', () => {
  const stack = minimalStack();
  delete stack[0]!.spec.resources!.sonarr;
  const model = buildMediaModel(stack, AT_2026_01);
  assert.deepEqual(model.checks.map((c) => c.expected), ['BLOCKED', 'ALLOWED', 'BLOCKED']);
  assert.equal(model.checks[0]!.reason, 'jellyfin does not accept sonarr');
});

test('broken volume declarations are named, not guessed', () => {
  const orphan = minimalStack().slice(1);
  assert.throws(() => planVolumes(orphan, owner), (e: unknown) => e instanceof FixtureError && /nzbget: volume resource media-storage references media-storage, which no service owns/.test(e.message));
  const twice = minimalStack();
  twice[1]!.spec.resources!['media-storage']!.params = { size: '1Gi' };
  assert.throws(() => planVolumes(twice, owner), /owned by both jellyfin and nzbget/);
  const neither = minimalStack();
  neither[0]!.spec.resources!.scratch = { type: 'volume' };
  assert.throws(() => planVolumes(neither, owner), /neither a size/);
  const badMount = minimalStack();
  badMount[0]!.spec.containers.main!.volumes!['/x'] = { source: '${resources.nothing}' };
  assert.throws(() => planVolumes(badMount, owner), /mount \/x has source/);
});

test('private isolation adds a marker per private mount that no other service may see', () => {
  const steps = buildMediaModel(minimalStack(), { ...AT_2026_01, privateIsolation: true }).markers.slice(EXPECTED_MARKERS.length);
  assert.deepEqual(steps.filter((s) => s.marker === 'jellyfin-config-marker'), [
    { kind: 'write', service: 'jellyfin', path: '/config/.test-marker', marker: 'jellyfin-config-marker' },
    { kind: 'expect-not-contains', service: 'nzbget', path: '/config/.test-marker', marker: 'jellyfin-config-marker' },
    { kind: 'expect-not-contains', service: 'sonarr', path: '/config/.test-marker', marker: 'jellyfin-config-marker' },
  ]);
  assert.equal(steps.filter((s) => s.kind === 'write').length, 4, 'config ×3, cache');
});

test('marker commands are plain sh, and reads are judged by content', () => {
  assert.deepEqual(markerCommand(EXPECTED_MARKERS[0]!), ['sh', '-c', "echo 'jellyfin-marker' > '/media/.test-marker'"]);
  assert.deepEqual(markerCommand(EXPECTED_MARKERS[1]!), ['sh', '-c', "cat '/tv/.test-marker' 2>/dev/null || true"]);
  assert.equal(judgeMarkerRead(EXPECTED_MARKERS[1]!, 'jellyfin-marker\n').ok, true);
  assert.equal(judgeMarkerRead(EXPECTED_MARKERS[1]!, '').ok, false);
  assert.equal(judgeMarkerRead(EXPECTED_MARKERS[6]!, 'nzbget-marker\n').ok, false);
  assert.equal(judgeMarkerRead(EXPECTED_MARKERS[6]!, 'jellyfin-marker\n').ok, true);
});

test('prepared manifests carry the run id and stay valid; the fixtures are not changed', () => {
  const fixtures = realFixtures();
  const before = JSON.stringify(fixtures);
  const prepared = prepareMediaManifests(fixtures, 'run-42');
  assert.equal(JSON.stringify(fixtures), before);
  for (const m of prepared) {
    assert.equal(m.metadata.labels!['lattice-acceptance/run-id'], 'run-42');
    assert.equal(m.metadata.namespace, 'media');
    assert.deepEqual(validateLatticeService(m), []);
  }
  assert.throws(() => prepareMediaManifests(fixtures, 'bad id'), SuiteError);
});

test('claim check: each expected name contained in some PVC, exactly one vol- claim', () => {
  const model = buildMediaModel(minimalStack(), AT_2026_01);
  assertClaimsPresent(model, ['vol-media-storage', 'jellyfin-config', 'jellyfin-cache', 'nzbget-config', 'sonarr-config']);
  assert.throws(() => assertClaimsPresent(model, ['vol-media-storage', 'jellyfin-config', 'jellyfin-cache', 'nzbget-config']), /missing sonarr-config/);
  assert.throws(() => assertClaimsPresent(model, ['vol-media-storage', 'vol-other', 'jellyfin-config', 'jellyfin-cache', 'nzbget-config', 'sonarr-config']), /2 vol- claim/);
});
