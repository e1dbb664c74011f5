import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCluster } from '../../../support/kube/clients.js';
import { compiledPolicies } from '../../../support/workloads/compiled-policies.js';
import { services2026_01 } from '../../../support/versions/v2026-01/service/index.js';
import { services2026_04 } from '../../../support/versions/v2026-04/service/index.js';
import { startFakeApiServer } from '../../helpers/fake-apiserver.js';

const CNP = '/apis/cilium.io/v2/namespaces/ns/ciliumnetworkpolicies';
const AP = '/apis/security.istio.io/v1beta1/namespaces/ns/authorizationpolicies';
const SE = '/apis/networking.istio.io/v1beta1/namespaces/ns/serviceentries';
const owner = (name: string, controller = true) => [{ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeMeshMember', name, uid: `uid-${name}`, controller }];

test('compiled policies: by name at 2026-01 (absent ones skipped), by controller owner at 2026-04 (hashed names, other owners ignored)', async (t) => {
  const server = await startFakeApiServer(t);
  for (const c of [CNP, AP, SE]) server.ensureCollection(c);
  server.put(CNP, { metadata: { name: 'policy-api', namespace: 'ns' } });
  server.put(AP, { metadata: { name: 'allow-to-api', namespace: 'ns' } });
  server.put(CNP, { metadata: { name: 'cnp-mesh-1a2b3c4d', namespace: 'ns', ownerReferences: owner('api') } });
  server.put(AP, { metadata: { name: 'allow-to-1a2b3c4d', namespace: 'ns', ownerReferences: owner('api') } });
  server.put(AP, { metadata: { name: 'allow-to-9f8e7d6c', namespace: 'ns', ownerReferences: owner('web') } });
  server.put(SE, { metadata: { name: 'se-auto-5e6f7a8b', namespace: 'ns', ownerReferences: owner('api', false) } });
  const client = openCluster(await server.writeKubeconfig('workload'));
  assert.deepEqual(await compiledPolicies(client, services2026_01.compiledPolicyQuery('ns', 'api')), [
    { kind: 'CiliumNetworkPolicy', name: 'policy-api' }, { kind: 'AuthorizationPolicy', name: 'allow-to-api' },
  ]);
  assert.deepEqual(await compiledPolicies(client, services2026_04.compiledPolicyQuery('ns', 'api')), [
    { kind: 'CiliumNetworkPolicy', name: 'cnp-mesh-1a2b3c4d' }, { kind: 'AuthorizationPolicy', name: 'allow-to-1a2b3c4d' },
  ]);
});
