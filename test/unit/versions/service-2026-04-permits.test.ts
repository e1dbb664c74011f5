/**
 * The CedarPolicies the 2026-04 spelling asks the platform for, against upstream's e2e policies
 * (helpers/services.rs:1022-1041, helpers/cedar.rs:241-258, mesh_random.rs:567-590,
 * media_server_e2e.rs:37-106 at b5d50e90) and Lattice's override rules (security.rs:85-250).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceResources, type MeshDeclarations } from '../../../support/mesh/agreement.js';
import { buildMeshManifests } from '../../../support/mesh/manifests.js';
import { buildFixedMesh } from '../../../support/mesh/fixed-mesh.js';
import { platformPoliciesFor } from '../../../support/traffic/deploy-mesh.js';
import { services2026_04 } from '../../../support/versions/v2026-04/service/index.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import { securityOverridesOf } from '../../../support/versions/v2026-04/service/security-overrides.js';
import { endpointId } from '../../../support/versions/v2026-04/service/endpoint.js';

const RUN = 'run-1';
const spelling = services2026_04;
const policyText = (p: { spec: Record<string, unknown> }) => String(p.spec.policies);

test('the fixed mesh needs exactly upstream\'s two baseline permits, in lattice-system, labelled with the run id', () => {
  const fixed = buildFixedMesh();
  const { services } = buildMeshManifests({ declarations: fixed.declarations, checks: fixed.checks, runId: RUN, spelling });
  const permits = spelling.permitsFor(services, RUN);
  assert.deepEqual(permits.map((p) => [p.kind, p.metadata.namespace, p.metadata.name, p.metadata.labels?.['lattice-acceptance/run-id'], p.spec.enabled, p.spec.priority]), [
    ['CedarPolicy', 'lattice-system', 'permit-binary-wildcard', RUN, true, 50],
    ['CedarPolicy', 'lattice-system', 'permit-apparmor-unconfined', RUN, true, 50],
  ]);
  assert.equal(policyText(permits[0]!), 'permit(\n  principal,\n  action == Lattice::Action::"OverrideSecurity",\n  resource == Lattice::SecurityOverride::"allowedBinary:*"\n);');
  assert.equal(policyText(permits[1]!), 'permit(\n  principal,\n  action == Lattice::Action::"OverrideSecurity",\n  resource == Lattice::SecurityOverride::"apparmor:Unconfined"\n);');
  assert.deepEqual(services2026_01.permitsFor(services, RUN), [], 'no Cedar at 2026-01');
});

test('a wildcard the platform permits gets AllowWildcard on Mesh "inbound"; an external gets AccessExternalEndpoint on host:port', () => {
  const mesh: MeshDeclarations = {
    namespace: 'random-mesh',
    services: [{ name: 'frontend-0', resources: serviceResources([], [], ['httpbin', 'example']) }, { name: 'api-0', resources: serviceResources([], ['*']) }],
    externals: [{ name: 'httpbin', url: 'https://httpbin.org/status/200', allowedRequesters: [] }, { name: 'example', url: 'https://example.com', allowedRequesters: [] }],
    anyCallerPermitted: ['api-0'],
  };
  const { services } = buildMeshManifests({ declarations: mesh, checks: [], runId: RUN, spelling });
  const all = platformPoliciesFor(spelling, { declarations: mesh, checks: [], sources: [], tiers: [] }, services, RUN);
  const byName = new Map(all.map((p) => [p.metadata.name, p]));
  assert.equal(policyText(byName.get('permit-ext-random-mesh-frontend-0')!),
    'permit(\n  principal == Lattice::Service::"random-mesh/frontend-0",\n  action == Lattice::Action::"AccessExternalEndpoint",\n  resource\n) when {\n  resource == Lattice::ExternalEndpoint::"httpbin.org:443" ||\n  resource == Lattice::ExternalEndpoint::"example.com:443"\n};');
  assert.equal(byName.get('permit-ext-random-mesh-frontend-0')!.spec.priority, 100);
  assert.equal(policyText(byName.get('permit-wildcard-inbound-random-mesh-api-0')!),
    'permit(\n  principal == Lattice::Service::"random-mesh/api-0",\n  action == Lattice::Action::"AllowWildcard",\n  resource == Lattice::Mesh::"inbound"\n);');
  // Without the platform's word the wildcard gets no permit (Lattice then fails the service).
  const unstated = platformPoliciesFor(spelling, { declarations: { ...mesh, anyCallerPermitted: [] }, checks: [], sources: [], tiers: [] }, services, RUN);
  assert.equal(unstated.some((p) => p.metadata.name.startsWith('permit-wildcard-inbound')), false);
  assert.deepEqual(services2026_01.anyCallerPermit('ns', 'catalog', RUN), [], 'a no-op at 2026-01');
});

test('override ids follow security.rs: implicit allowedBinary:*, capabilities, root, writable root, profiles, retained defaults', () => {
  const svc = (containers: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ spec: { workload: { containers }, ...extra } });
  assert.deepEqual(securityOverridesOf(svc({ main: { image: 'x' } })), ['allowedBinary:*'], 'no command, no allowedBinaries');
  assert.deepEqual(securityOverridesOf(svc({ main: { image: 'x', command: ['/app'] } })), [], 'an absolute command and no security block needs nothing');
  assert.deepEqual(securityOverridesOf(svc({ main: { image: 'x', security: { runAsUser: 0, readOnlyRootFilesystem: false, apparmorProfile: 'Unconfined', capabilities: ['CHOWN'], allowedBinaries: ['*'] } } })),
    ['capability:CHOWN', 'runAsRoot', 'readWriteRootFilesystem', 'apparmor:Unconfined', 'allowedBinary:*']);
  assert.deepEqual(securityOverridesOf(svc({ main: { image: 'x', command: ['/a'], security: { dropCapabilities: ['NET_RAW', 'MKNOD', 'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID'] } } })),
    ['capability:SYS_CHROOT'], 'a default capability not dropped is retained');
  assert.deepEqual(securityOverridesOf(svc({ main: { image: 'x', command: ['/a'] } }, { hostNetwork: true, sidecars: { vpn: { image: 'y' } } })), ['hostNetwork', 'allowedBinary:*']);
});

test('endpoint ids as Lattice parses URLs: https 443, http 80, explicit ports, a bad URL named', () => {
  assert.equal(endpointId('https://repo.jellyfin.org'), 'repo.jellyfin.org:443');
  assert.equal(endpointId('https://httpbin.org/status/200'), 'httpbin.org:443');
  assert.equal(endpointId('http://example.com:8080/x'), 'example.com:8080');
  assert.equal(endpointId('tcp://db.example.com:5432'), 'db.example.com:5432');
  assert.equal(endpointId('cache.example.com:6379'), 'cache.example.com:6379');
  assert.throws(() => endpointId('tcp://nohost'), /has no port Lattice can tell/);
});
