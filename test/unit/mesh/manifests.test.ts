import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { generateRandomMesh } from '../../../support/mesh/random-mesh.js';
import { DEFAULT_RANDOM_MESH_CONFIG } from '../../../support/mesh/random-mesh-config.js';
import { buildMeshManifests, declarationsFromManifests, manifestsByTier } from '../../../support/mesh/manifests.js';
import { EMBEDDED_PROBE_TIMING } from '../../../support/mesh/probe-script.js';
import { asLatticeService, type LatticeExternalServiceManifest, type LatticeServiceManifest } from '../../../support/mesh/lattice-objects.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import type { MeshManifests } from '../../../support/mesh/manifests.js';
import { indexDeclarations, isAllowed } from '../../../support/mesh/agreement.js';
import { FixtureError, SuiteError } from '../../../support/errors.js';
import { formatProblem, validateLatticeExternalService, validateLatticeService, type FixtureProblem } from '../../../support/fixtures/index.js';

const RUN = 'run-0123abcd';
const spelling = services2026_01;
/** The 2026-01 objects typed as 2026-01's shapes (this file checks the 2026-01 spelling; 2026-04: test/unit/versions/). */
const typed = (m: MeshManifests) => ({ services: m.services as unknown as LatticeServiceManifest[], externals: m.externals as unknown as LatticeExternalServiceManifest[] });

test('fixed mesh manifests: Lattice\'s shape, frontends run curl without a Service, backends nginx on port 80', () => {
  const mesh = buildFixedMesh();
  const { services, externals } = typed(buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling }));
  assert.equal(services.length, 9);
  assert.equal(externals.length, 0);
  for (const m of services) {
    assert.equal(m.apiVersion, 'lattice.dev/v1alpha1');
    assert.equal(m.kind, 'LatticeService');
    assert.equal(m.metadata.namespace, 'mesh-test');
    assert.deepEqual(m.metadata.labels, { 'lattice.dev/environment': 'mesh-test', 'lattice-acceptance/run-id': RUN });
    assert.deepEqual(Object.keys(m.spec.containers), ['main']);
    for (const e of Object.values(m.spec.resources ?? {})) { assert.equal(e.type, 'service'); assert.ok(e.direction && e.id); }
  }
  const web = services.find((s) => s.metadata.name === 'frontend-web')!;
  assert.equal(web.spec.containers.main!.image, 'curlimages/curl:latest');
  assert.deepEqual(web.spec.containers.main!.command, ['/bin/sh']);
  assert.equal(web.spec.containers.main!.args![0], '-c');
  assert.match(web.spec.containers.main!.args![1]!, /probe 'api-gateway' 'http:\/\/api-gateway\.mesh-test\.svc\.cluster\.local\/' ALLOWED 'bilateral agreement'/);
  assert.equal(web.spec.service, undefined, 'no service block ⇒ no Kubernetes Service');
  const cache = services.find((s) => s.metadata.name === 'cache')!;
  assert.deepEqual(cache.spec.containers.main, { image: 'nginx:alpine' });
  assert.deepEqual(cache.spec.service, { ports: { http: { port: 80 } } });
  assert.deepEqual(cache.spec.resources!['api-users'], { type: 'service', direction: 'inbound', id: 'api-users' });
  // Deploy order: stores, APIs, frontends.
  assert.deepEqual(manifestsByTier({ services, externals }, mesh.tiers).map((t) => t.map((m) => m.metadata.name)), mesh.tiers);
});

test('the manifests say exactly what the declarations say (round trip through the agreement function)', () => {
  const mesh = generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG }, 77);
  const manifests = typed(buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling, timing: EMBEDDED_PROBE_TIMING }));
  const idx = indexDeclarations(declarationsFromManifests('random-mesh', manifests.services, manifests.externals));
  for (const c of mesh.checks) assert.equal(isAllowed(idx, c.source, c.target), c.expected === 'ALLOWED', `${c.source}->${c.target}`);
  const ext = manifests.externals.find((e) => e.metadata.name === 'httpbin')!;
  assert.deepEqual(ext.spec, { endpoints: { default: 'https://httpbin.org/status/200' }, allowedRequesters: mesh.declarations.externals[0]!.allowedRequesters, resolution: 'dns' });
  assert.equal(ext.kind, 'LatticeExternalService');
  assert.deepEqual(ext.metadata.labels, { 'lattice.dev/environment': 'random-mesh', 'lattice-acceptance/run-id': RUN });
  // Only frontends probe; their scripts carry the embedded timing.
  for (const m of manifests.services) {
    const probing = mesh.sources.includes(m.metadata.name);
    assert.equal(m.spec.service === undefined, probing);
    if (probing) assert.ok(m.spec.containers.main!.args![1]!.includes(`\nINTERVAL=${EMBEDDED_PROBE_TIMING.intervalSeconds}\n`), 'the embedded probe pause');
  }
});

test('a bad run id is refused, not written into labels', () => {
  const mesh = buildFixedMesh();
  for (const runId of ['', 'has space', 'x'.repeat(64), '-leading']) {
    assert.throws(() => buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId, spelling }), SuiteError, runId);
  }
});

test('asLatticeService narrows parsed objects and names what is wrong', () => {
  assert.throws(() => asLatticeService({ apiVersion: 'v1', kind: 'Pod' }, 'x.yaml'), (e: unknown) => e instanceof FixtureError && /x\.yaml: is v1\/Pod/.test(e.message));
  assert.throws(() => asLatticeService({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'a' }, spec: { containers: {} } }, 'a'), /containers/);
  assert.throws(() => asLatticeService({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'a' }, spec: { containers: { main: { image: 'i' } }, resources: { b: { type: 'service', direction: 'sideways' } } } }, 'a'), /resources\.b\.direction/);
});

// Validated by the project's own validators (support/fixtures, ajv over fixtures/schemas written from §1.3/§1.4).
test('property: every generated manifest (fixed mesh, random meshes of any size) passes the LatticeService / LatticeExternalService schemas', () => {
  const check = (objs: unknown[], validate: (o: unknown) => FixtureProblem[]) => {
    for (const o of objs) { const problems = validate(o); assert.deepEqual(problems, [], `${JSON.stringify((o as { metadata: unknown }).metadata)}: ${problems.map(formatProblem).join('; ')}`); }
  };
  const fixed = buildFixedMesh();
  const fm = buildMeshManifests({ declarations: fixed.declarations, checks: fixed.checks, runId: RUN, spelling });
  check(fm.services, validateLatticeService);
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 10, max: 120 }), fc.constantFrom(0, 0.15), fc.constantFrom(undefined, EMBEDDED_PROBE_TIMING), (seed, n, wildcard, timing) => {
    const mesh = generateRandomMesh({ ...DEFAULT_RANDOM_MESH_CONFIG, minServices: 10, maxServices: n, wildcardInboundP: wildcard }, seed);
    const m = buildMeshManifests(timing ? { declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling, timing } : { declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling });
    check(m.services, validateLatticeService);
    check(m.externals, validateLatticeExternalService);
  }), { numRuns: 40 });
  // The validators can fail: a broken copy is rejected.
  const broken = structuredClone(fm.services[0]!) as unknown as { spec: { resources: Record<string, { direction: string }> } };
  Object.values(broken.spec.resources)[0]!.direction = 'sideways';
  assert.notDeepEqual(validateLatticeService(broken), []);
});
