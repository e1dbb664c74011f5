import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessClusterPermit, clusterPath, proxyBaseUrl, serviceAccountUser } from '../../../support/access/index.js';

test('the proxy is the lattice-cell ingress on 8082; hostname before ip; no address yet = undefined', () => {
  assert.equal(proxyBaseUrl({ status: { loadBalancer: { ingress: [{ ip: '172.18.255.1' }] } } }), 'https://172.18.255.1:8082');
  assert.equal(proxyBaseUrl({ status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', hostname: 'lb.example' }] } } }), 'https://lb.example:8082');
  assert.equal(proxyBaseUrl({ status: { loadBalancer: {} } }), undefined);
  assert.equal(proxyBaseUrl(undefined), undefined);
});

test('the embedded target\'s port annotation wins; a bad one is refused naming it', () => {
  assert.equal(proxyBaseUrl({ metadata: { annotations: { 'lattice-sim.dev/auth-proxy-port': '40123' } }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } }), 'https://127.0.0.1:40123');
  assert.throws(() => proxyBaseUrl({ metadata: { annotations: { 'lattice-sim.dev/auth-proxy-port': 'x' } }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } }), /auth-proxy-port="x" is not a port/);
});

test('cluster paths and the AccessCluster permit name the service account user and the cluster (integration/cedar.rs:95-114)', () => {
  assert.equal(clusterPath('e2e-workload2', '/api/v1/pods'), '/clusters/e2e-workload2/api/v1/pods');
  assert.equal(serviceAccountUser('proxy-access', 'a'), 'system:serviceaccount:proxy-access:a');
  const p = accessClusterPermit({ namespace: 'proxy-access', serviceAccount: 'a', cluster: 'e2e-workload', runId: 'r' });
  assert.equal(p.kind, 'CedarPolicy');
  assert.equal(p.metadata.namespace, 'lattice-system');
  const text = String(p.spec.policies);
  assert.match(text, /principal == Lattice::User::"system:serviceaccount:proxy-access:a"/);
  assert.match(text, /action == Lattice::Action::"AccessCluster"/);
  assert.match(text, /resource == Lattice::Cluster::"e2e-workload"/);
});
