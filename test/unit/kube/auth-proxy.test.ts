// At 2026-04 a cloud child is reached through the management cluster's auth proxy: the suite permits its
// own ServiceAccount AccessCluster (upstream's permit form, e2e/integration/cedar.rs:95-114) and keeps the
// child's context of the proxy's /kubeconfig?format=sa (lattice-api/src/kubeconfig.rs:191-262).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as yaml from 'js-yaml';
import { accessPermit, kubeconfigForCluster } from '../../../support/kube/auth-proxy.js';
import { reachedThroughProxy } from '../../../support/hierarchy/child-access.js';
import { spellingFor } from '../../../support/versions/index.js';

const proxyDoc = {
  clusters: [{ name: 'e2e-mgmt', cluster: { server: 'https://127.0.0.9:8082/clusters/e2e-mgmt', 'certificate-authority-data': 'Q0E=' } },
    { name: 'e2e-workload', cluster: { server: 'https://127.0.0.9:8082/clusters/e2e-workload', 'certificate-authority-data': 'Q0E=' } }],
  contexts: [{ name: 'e2e-mgmt', context: { cluster: 'e2e-mgmt', user: 'sa' } }, { name: 'e2e-workload', context: { cluster: 'e2e-workload', user: 'sa' } }],
  users: [{ name: 'sa', user: { token: 't0ken' } }],
  'current-context': 'e2e-mgmt',
};

test('the child\'s kubeconfig is its context of the proxy\'s, current, with its server, CA and token only', () => {
  const doc = yaml.load(kubeconfigForCluster(proxyDoc, 'e2e-workload')!) as typeof proxyDoc;
  assert.equal(doc['current-context'], 'e2e-workload');
  assert.deepEqual(doc.clusters.map((c) => c.cluster.server), ['https://127.0.0.9:8082/clusters/e2e-workload']);
  assert.deepEqual(doc.users, [{ name: 'sa', user: { token: 't0ken' } }]);
  assert.equal(kubeconfigForCluster(proxyDoc, 'e2e-workload2'), undefined, 'a cluster the proxy does not list yet');
});

test('the suite\'s permit names its ServiceAccount as a Lattice::User and AccessCluster', () => {
  assert.equal(accessPermit(), 'permit(principal == Lattice::User::"system:serviceaccount:lattice-system:lattice-acceptance", action == Lattice::Action::"AccessCluster", resource);');
});

test('only a cloud child at 2026-04 goes through the proxy; Docker children keep their admin kubeconfig, 2026-01 its CAPI secret', () => {
  assert.equal(reachedThroughProxy({ spelling: spellingFor('2026-04') }, 'aws'), true);
  assert.equal(reachedThroughProxy({ spelling: spellingFor('2026-04') }, 'docker'), false);
  assert.equal(reachedThroughProxy({ spelling: spellingFor('2026-01') }, 'aws'), false);
});
