/**
 * The 2026-04 spelling of mesh services against upstream b5d50e90's shapes, field by field
 * (crates/lattice-cli/tests/e2e/mesh_fixtures.rs:25-260, mesh_random.rs:470-480).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { serviceResources, type MeshDeclarations } from '../../../support/mesh/agreement.js';
import { buildMeshManifests } from '../../../support/mesh/manifests.js';
import { services2026_04 } from '../../../support/versions/v2026-04/service/index.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import { SERVER_SCRIPT } from '../../../support/versions/v2026-04/service/mesh-containers.js';

const RUN = 'run-0123abcd';
const spelling = services2026_04;
type Obj = Record<string, unknown>;

/** Upstream's resources and limits for every mesh container (mesh_fixtures.rs:68-77, :101-110). */
const LIMITS = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

test('a server is upstream\'s nginx_container behind http_port: unprivileged nginx on 8080, Service port 80, emptyDirs, limits, relaxations', () => {
  const mesh = buildFixedMesh();
  const { services, externals } = buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling });
  assert.equal(externals.length, 0, 'no LatticeExternalService at 2026-04');
  const cache = services.find((s) => s.metadata.name === 'cache')!;
  assert.deepEqual(cache, {
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService',
    metadata: { name: 'cache', namespace: 'mesh-test', labels: { 'lattice.dev/environment': 'mesh-test', 'lattice-acceptance/run-id': RUN } },
    spec: {
      workload: {
        containers: {
          main: {
            image: 'nginxinc/nginx-unprivileged:alpine',
            command: ['/bin/sh'],
            args: ['-c', 'printf \'server { listen 8080; location / { return 200 "ok\\n"; add_header Content-Type text/plain; } }\' > /etc/nginx/conf.d/default.conf && nginx -g \'daemon off;\''],
            volumes: { '/etc/nginx/conf.d': {}, '/var/cache/nginx': {}, '/var/run': {}, '/tmp': {} },
            resources: LIMITS,
            security: { apparmorProfile: 'Unconfined', allowedBinaries: ['*'] },
          },
        },
        // Keyed by the target, no id (inbound_allow, mesh_fixtures.rs:152-160).
        resources: {
          'api-gateway': { type: 'service', direction: 'inbound' },
          'api-users': { type: 'service', direction: 'inbound' },
          'api-orders': { type: 'service', direction: 'inbound' },
        },
        service: { ports: { http: { port: 80, targetPort: 8080 } } },
      },
      replicas: 1,
    },
  });
  assert.ok(SERVER_SCRIPT.includes('listen 8080'));
});

test('a probe is upstream\'s curl_container: UID 100, /tmp emptyDir, the probe script, no service block', () => {
  const mesh = buildFixedMesh();
  const web = buildMeshManifests({ declarations: mesh.declarations, checks: mesh.checks, runId: RUN, spelling }).services.find((s) => s.metadata.name === 'frontend-web')!;
  const workload = web.spec.workload as Obj;
  const main = (workload.containers as Obj).main as Obj;
  assert.equal(main.image, 'curlimages/curl:latest');
  assert.deepEqual(main.command, ['/bin/sh']);
  assert.equal((main.args as string[])[0], '-c');
  assert.match((main.args as string[])[1]!, /probe 'api-gateway' 'http:\/\/api-gateway\.mesh-test\.svc\.cluster\.local\/' ALLOWED/);
  assert.deepEqual(main.volumes, { '/tmp': {} });
  assert.deepEqual(main.resources, LIMITS);
  assert.deepEqual(main.security, { runAsUser: 100, apparmorProfile: 'Unconfined', allowedBinaries: ['*'] });
  assert.equal(workload.service, undefined, 'no Service for a probe');
  assert.deepEqual((workload.resources as Obj)['api-gateway'], { type: 'service', direction: 'outbound' });
  assert.equal(web.spec.containers, undefined, 'nothing at 2026-01\'s place');
});

const rules: MeshDeclarations = {
  namespace: 'mesh-rules',
  services: [
    { name: 'web', resources: serviceResources(['catalog'], [], ['httpbin']) },
    { name: 'catalog', resources: serviceResources([], ['*']) },
  ],
  externals: [{ name: 'httpbin', url: 'https://httpbin.org/status/200', allowedRequesters: ['web'] }],
  anyCallerPermitted: ['catalog'],
};

test('wildcard is any-caller {id: "*"} and an external is inline under params.endpoints (mesh_fixtures.rs:160-206)', () => {
  const { services } = buildMeshManifests({ declarations: rules, checks: [], runId: RUN, spelling });
  const res = (n: string) => ((services.find((s) => s.metadata.name === n)!.spec.workload as Obj).resources as Obj);
  assert.deepEqual(res('catalog'), { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } });
  assert.deepEqual(res('web'), {
    catalog: { type: 'service', direction: 'outbound' },
    httpbin: { type: 'external-service', direction: 'outbound', params: { endpoints: { default: 'https://httpbin.org/status/200' } } },
  });
  // 2026-01 keeps its own spelling: '*' key, LatticeExternalService.
  const old = buildMeshManifests({ declarations: rules, checks: [], runId: RUN, spelling: services2026_01 });
  assert.deepEqual((old.services.find((s) => s.metadata.name === 'catalog')!.spec.resources as Obj)['*'], { type: 'service', direction: 'inbound' });
  assert.deepEqual(old.externals.map((e) => [e.kind, e.spec]), [['LatticeExternalService', { endpoints: { default: 'https://httpbin.org/status/200' }, allowedRequesters: ['web'], resolution: 'dns' }]]);
});

test('a namespace has a waypoint at 2026-04 only with an external endpoint; always at 2026-01', () => {
  const fixed = buildFixedMesh();
  assert.equal(spelling.expectsWaypoint(buildMeshManifests({ declarations: fixed.declarations, checks: fixed.checks, runId: RUN, spelling }).services), false);
  assert.equal(spelling.expectsWaypoint(buildMeshManifests({ declarations: rules, checks: [], runId: RUN, spelling }).services), true);
  assert.equal(services2026_01.expectsWaypoint([]), true);
  // Upstream's 2026-04 e2e waits for every LatticeService Ready before traffic (mesh_tests.rs:262); 1236706e's for pods only.
  assert.equal(spelling.servicesReportReady, true);
  assert.equal(services2026_01.servicesReportReady, false);
});

test('compiled policies: by name at 2026-01, by their LatticeMeshMember owner at 2026-04 (hashed names)', () => {
  assert.deepEqual(services2026_01.compiledPolicyQuery('ns', 'api'), { by: 'name', names: [
    { kind: 'CiliumNetworkPolicy', namespace: 'ns', name: 'policy-api' },
    { kind: 'AuthorizationPolicy', namespace: 'ns', name: 'allow-to-api' },
    { kind: 'AuthorizationPolicy', namespace: 'ns', name: 'allow-waypoint-to-api' },
  ] });
  assert.deepEqual(spelling.compiledPolicyQuery('ns', 'api'), { by: 'owner', ownerKind: 'LatticeMeshMember', ownerName: 'api', namespace: 'ns', kinds: ['CiliumNetworkPolicy', 'AuthorizationPolicy', 'ServiceEntry'] });
  assert.equal(services2026_01.volumeOwnerLabel('media-storage'), 'lattice.dev/volume-owner-media-storage');
  assert.equal(spelling.volumeOwnerLabel('media-storage'), 'lattice.io/vol-media-storage');
});

test('the suite\'s view of a 2026-04 service reads spec.workload at spec\'s top', () => {
  const { services } = buildMeshManifests({ declarations: rules, checks: [], runId: RUN, spelling });
  const view = spelling.declaredView(services.find((s) => s.metadata.name === 'catalog')!);
  assert.deepEqual(view.spec.resources, { 'any-caller': { type: 'service', direction: 'inbound', id: '*' } });
  assert.deepEqual(view.spec.service, { ports: { http: { port: 80, targetPort: 8080 } } });
  assert.equal(view.spec.replicas as unknown, 1);
});
