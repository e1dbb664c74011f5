import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { applyLatticeObjects } from '../../../support/workloads/lattice-services.js';
import { holdPlatformPolicies } from '../../../support/workloads/platform-permits.js';
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

test('platform policies are shared: created by the first holder, deleted when the last one releases them', async (t) => {
  const server = await startFakeApiServer(t);
  server.ensureCollection(POLICIES);
  const client = openCluster(await server.writeKubeconfig('workload'));
  const base = cedarPolicy('permit-binary-wildcard', 'run-1', 50, 'permit(principal, action, resource);');
  const own = cedarPolicy('permit-ext-media-jellyfin', 'run-1', 100, 'permit(principal, action, resource);');
  const [releaseMesh, releaseMedia] = await Promise.all([holdPlatformPolicies(client, [base], () => undefined), holdPlatformPolicies(client, [base, own], () => undefined)]);
  const posts = server.requests.filter((r) => r.method === 'POST' && r.path === POLICIES);
  assert.equal(posts.filter((r) => r.body.includes('permit-binary-wildcard')).length, 1, 'one create for two holders');
  assert.equal(posts[0]!.query.get('fieldValidation'), 'Strict');
  await releaseMesh();
  assert.equal(server.requests.filter((r) => r.method === 'DELETE').length, 0, 'still held by the media stack');
  await releaseMedia();
  assert.deepEqual(server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').at(-1)).sort(), ['permit-binary-wildcard', 'permit-ext-media-jellyfin']);
});
