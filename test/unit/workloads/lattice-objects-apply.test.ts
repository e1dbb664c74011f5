import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { applyLatticeObjects } from '../../../support/workloads/lattice-services.js';
import { holdPlatformPolicies, releaseAtScenarioEnd, releaseUnclaimedHolds } from '../../../support/workloads/platform-permits.js';
import { cedarPolicy } from '../../../support/versions/v2026-04/service/permits.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';

const SERVICES = '/apis/lattice.dev/v1alpha1/namespaces/mesh-test/latticeservices';
const POLICIES = '/apis/lattice.dev/v1alpha1/namespaces/lattice-system/cedarpolicies';
const svc = (name: string) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name, namespace: 'mesh-test' }, spec: { containers: { main: { image: 'x' } } } });

test('objects are created with strict field validation; a schema refusal names the object and the version fix', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(SERVICES);
  const client = openCluster(await server.writeKubeconfig('workload'));
  await applyLatticeObjects(client, [[svc('web')]], () => undefined);
  assert.equal(server.requests.find((r) => r.method === 'POST')!.query.get('fieldValidation'), 'Strict');
  server.addFault({ match: (r) => r.method === 'POST', status: 400, reason: 'BadRequest', message: 'LatticeService in version "v1alpha1" cannot be handled as a LatticeService: strict decoding error: unknown field "spec.containers"' });
  await assert.rejects(applyLatticeObjects(client, [[svc('api')]], () => undefined),
    /LatticeService mesh-test\/api on workload: Lattice's schema refuses it: .*unknown field "spec\.containers"; spell the object for the cluster's Lattice API version/);
});

test('platform policies are shared: each holder makes sure they exist, the last release deletes them', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(POLICIES);
  const client = openCluster(await server.writeKubeconfig('workload'));
  const base = cedarPolicy('permit-binary-wildcard', 'run-1', 50, 'permit(principal, action, resource);');
  const own = cedarPolicy('permit-ext-media-jellyfin', 'run-1', 100, 'permit(principal, action, resource);');
  const [releaseMesh, releaseMedia] = await Promise.all([holdPlatformPolicies(client, [base], () => undefined), holdPlatformPolicies(client, [base, own], () => undefined)]);
  assert.ok(server.get(POLICIES, 'permit-binary-wildcard', 'lattice-system'), 'created');
  assert.equal(server.requests.filter((r) => r.method === 'PUT').length, 0, 'the second holder finds it as wanted and leaves it');
  assert.equal(server.requests.find((r) => r.method === 'POST')!.query.get('fieldValidation'), 'Strict');
  await releaseMesh();
  assert.equal(server.requests.filter((r) => r.method === 'DELETE').length, 0, 'still held by the media stack');
  await releaseMedia();
  assert.deepEqual(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').at(-1)).sort(), ['permit-binary-wildcard', 'permit-ext-media-jellyfin']);
});

test('a holder that never released does not stop a later holder from recreating a policy that is gone (a cluster made anew under the same name)', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(POLICIES);
  const client = openCluster(await server.writeKubeconfig('workload-anew'));
  const base = cedarPolicy('permit-binary-wildcard', 'run-1', 50, 'permit(principal, action, resource);');
  await holdPlatformPolicies(client, [base], () => undefined); // never released, as a deploy without a cleanup stack
  server.remove(POLICIES, 'permit-binary-wildcard', 'lattice-system');
  await holdPlatformPolicies(client, [base], () => undefined);
  assert.ok(server.get(POLICIES, 'permit-binary-wildcard', 'lattice-system'), 'there again');
  // A leftover with other content (a killed run's) is taken over.
  server.put(POLICIES, { ...cedarPolicy('permit-apparmor-unconfined', 'old-run', 50, 'forbid(principal, action, resource);') });
  await holdPlatformPolicies(client, [cedarPolicy('permit-apparmor-unconfined', 'run-1', 50, 'permit(principal, action, resource);')], () => undefined);
  assert.equal((server.get(POLICIES, 'permit-apparmor-unconfined', 'lattice-system') as unknown as { spec: { policies: string } }).spec.policies, 'permit(principal, action, resource);');
});

test('holds made without a cleanup stack are released at the scenario\'s end; a failure is a line, not a throw', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(POLICIES);
  const client = openCluster(await server.writeKubeconfig('workload-end'));
  const release = await holdPlatformPolicies(client, [cedarPolicy('permit-binary-wildcard', 'run-1', 50, 'permit(principal, action, resource);')], () => undefined);
  releaseAtScenarioEnd('platform policies of mesh-test on workload', release);
  releaseAtScenarioEnd('a gone cluster', () => Promise.reject(new Error('ECONNREFUSED\nstack')));
  assert.deepEqual(await releaseUnclaimedHolds(), ['a gone cluster: ECONNREFUSED']);
  assert.equal(server.get(POLICIES, 'permit-binary-wildcard', 'lattice-system'), undefined, 'deleted');
  assert.deepEqual(await releaseUnclaimedHolds(), [], 'each release runs once');
});
