/**
 * The 2026-04 media stack: fixtures/2026-04/services against upstream b5d50e90's
 * e2e/fixtures/services/{jellyfin,nzbget,sonarr}.yaml (minus the commented differences), the model
 * the media feature's table states, and the permits upstream's media test applies
 * (media_server_e2e.rs:37-106).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { buildMediaModel, prepareMediaManifests } from '../../../support/media/media-model.js';
import { services2026_04 } from '../../../support/versions/v2026-04/service/index.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import { loadMediaServices2026_04 } from '../../../support/versions/v2026-04/service/media.js';
import { FixtureError } from '../../../support/errors.js';

const spelling = services2026_04;
type Obj = Record<string, unknown>;

test('the 2026-04 media fixtures have upstream\'s shape: spec.workload, integer replicas, limits, security, allowedConsumers, the inline external', () => {
  const [jellyfin, nzbget, sonarr] = spelling.loadMediaServices();
  for (const s of [jellyfin!, nzbget!, sonarr!]) {
    assert.equal(s.spec.replicas, 1);
    assert.equal(s.spec.containers, undefined);
    const main = ((s.spec.workload as Obj).containers as Obj).main as Obj;
    assert.ok((main.resources as Obj).limits, `${s.metadata.name} has limits`);
    assert.equal((main.security as Obj).runAsUser, 0);
    assert.equal(s.spec.imagePullSecrets, undefined, 'deliberately without upstream\'s GHCR ImageProvider');
    assert.equal(s.spec.ingress, undefined, 'deliberately without upstream\'s routes');
  }
  const res = (s: typeof jellyfin) => (s!.spec.workload as Obj).resources as Obj;
  assert.deepEqual(res(jellyfin)['media-storage'], { type: 'volume', id: 'media-storage', params: { size: '1Ti', accessMode: 'ReadWriteOnce', allowedConsumers: ['sonarr', 'nzbget'] } });
  assert.deepEqual(res(jellyfin)['jellyfin-repo'], { type: 'external-service', direction: 'outbound', params: { endpoints: { repo: 'https://repo.jellyfin.org' } } });
  assert.deepEqual(res(nzbget)['media-storage'], { type: 'volume', id: 'media-storage' });
  assert.deepEqual(res(sonarr).jellyfin, { type: 'service', direction: 'outbound' });
  assert.equal(nzbget!.spec.sidecars, undefined, 'deliberately without the VPN sidecar');
});

test('the media model is the feature\'s at 2026-04 too: same claims, co-location and agreements; owner label lattice.io/vol-<id>; a waypoint', () => {
  const manifests = prepareMediaManifests(spelling.loadMediaServices(), 'run-7');
  const model = buildMediaModel(manifests.map((m) => spelling.declaredView(m)), { volumeOwnerLabel: spelling.volumeOwnerLabel, expectsWaypoint: spelling.expectsWaypoint(manifests) });
  assert.deepEqual(model.volumes.claims.map((c) => `${c.name} ${c.size}${c.shared ? ' shared' : ''}`).sort(),
    ['jellyfin-cache 20Gi', 'jellyfin-config 10Gi', 'nzbget-config 1Gi', 'sonarr-config 5Gi', 'vol-media-storage 1Ti shared']);
  assert.deepEqual(model.volumes.sharedVolumes.map((v) => [v.ownerLabel.key, v.allowedConsumers, v.references.map((r) => r.service)]),
    [['lattice.io/vol-media-storage', ['sonarr', 'nzbget'], ['nzbget', 'sonarr']]]);
  assert.deepEqual(model.volumes.nodeGroups, [['jellyfin', 'nzbget', 'sonarr']]);
  assert.deepEqual(model.checks.map((c) => `${c.source}->${c.target} ${c.url} ${c.expected}`),
    ['sonarr->jellyfin http://jellyfin:8096/ ALLOWED', 'sonarr->nzbget http://nzbget:6789/ ALLOWED', 'jellyfin->sonarr http://sonarr:8989/ BLOCKED']);
  assert.equal(model.expectsWaypoint, true, 'jellyfin\'s inline external gives the namespace a ServiceEntry');
  assert.ok(!model.volumes.mounts.some((m) => m.mountPath === '/tmp'), 'emptyDirs are no claims');
  for (const m of manifests) assert.equal(m.metadata.labels?.['lattice-acceptance/run-id'], 'run-7');
});

test('a reference the owner did not consent to is named before Lattice refuses it', () => {
  const [jellyfin, nzbget, sonarr] = spelling.loadMediaServices().map((m) => spelling.declaredView(m));
  (jellyfin!.spec.resources!['media-storage']!.params as Obj).allowedConsumers = ['sonarr'];
  assert.throws(() => buildMediaModel([jellyfin!, nzbget!, sonarr!], { volumeOwnerLabel: spelling.volumeOwnerLabel, expectsWaypoint: true }),
    (e: unknown) => e instanceof FixtureError && /nzbget: volume resource media-storage references media-storage, but its owner jellyfin does not list nzbget in allowedConsumers/.test(e.message));
});

test('the media permits cover what upstream permits: s6-overlay overrides per service, nzbget\'s KILL, jellyfin\'s endpoint, the baseline', () => {
  const manifests = prepareMediaManifests(spelling.loadMediaServices(), 'run-7');
  const permits = spelling.permitsFor(manifests, 'run-7');
  const ids = (name: string) => [...String(permits.find((p) => p.metadata.name === name)!.spec.policies).matchAll(/::"([^"]+)"/g)].map((m) => m[1]).slice(2).sort();
  const s6 = ['capability:CHOWN', 'capability:DAC_OVERRIDE', 'capability:FOWNER', 'capability:SETGID', 'capability:SETUID', 'readWriteRootFilesystem', 'runAsRoot'];
  assert.deepEqual(permits.map((p) => p.metadata.name), ['permit-binary-wildcard', 'permit-apparmor-unconfined', 'permit-security-media-jellyfin', 'permit-ext-media-jellyfin', 'permit-security-media-nzbget', 'permit-security-media-sonarr']);
  assert.deepEqual(ids('permit-security-media-jellyfin'), s6);
  assert.deepEqual(ids('permit-security-media-sonarr'), s6);
  assert.deepEqual(ids('permit-security-media-nzbget'), [...s6, 'capability:KILL'].sort());
  assert.match(String(permits.find((p) => p.metadata.name === 'permit-ext-media-jellyfin')!.spec.policies), /principal == Lattice::Service::"media\/jellyfin",\n {2}action == Lattice::Action::"AccessExternalEndpoint",\n {2}resource == Lattice::ExternalEndpoint::"repo.jellyfin.org:443"/);
  assert.deepEqual(services2026_01.permitsFor(services2026_01.loadMediaServices(), 'run-7'), []);
});

test('a 2026-01-shaped or limit-less media fixture is refused in one line naming the file and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'media-2026-04-'));
  const [jellyfin, nzbget, sonarr] = spelling.loadMediaServices();
  const write = (name: string, m: unknown) => writeFileSync(join(dir, `${name}.yaml`), yaml.dump(m));
  write('nzbget', nzbget); write('sonarr', sonarr);
  write('jellyfin', services2026_01.loadMediaServices()[0]);
  assert.throws(() => loadMediaServices2026_04(dir), /jellyfin\.yaml: spec\.containers is the 2026-01 spelling; 2026-04 has spec\.workload\.containers \(Lattice API 2026-04\)/);
  const noLimits = structuredClone(jellyfin!);
  delete (((noLimits.spec.workload as Obj).containers as Obj).main as { resources: Obj }).resources.limits;
  write('jellyfin', noLimits);
  assert.throws(() => loadMediaServices2026_04(dir), /spec\.workload\.containers\.main\.resources\.limits is missing: every container must have resource limits/);
  write('jellyfin', { ...jellyfin, spec: { ...jellyfin!.spec, replicas: { min: 1 } } });
  assert.throws(() => loadMediaServices2026_04(dir), /spec\.replicas is \{"min":1\}, not a whole number/);
});
