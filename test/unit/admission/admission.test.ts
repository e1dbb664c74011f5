import { test } from 'node:test';
import assert from 'node:assert/strict';
import { badSpec, parseAdmissionTable, refusalOf, refusalProblem } from '../../../support/admission/index.js';

const clusterSpec = { providerRef: 'docker', latticeImage: 'x', nodes: { controlPlane: { replicas: 1 }, workerPools: { default: { replicas: 1 } } }, parentConfig: { grpcPort: 50051, bootstrapPort: 8443, service: { type: 'LoadBalancer' } } };
const input = (index: number) => ({ clusterSpec, namespace: 'admission', runId: 'r1', index });

test('bad clusters are the base spec with one thing wrong, named by their row', () => {
  const even = badSpec('a cluster with 2 control-plane nodes', input(1));
  assert.equal(even.kind, 'LatticeCluster');
  assert.equal(even.manifest.metadata.name, 'refused-cluster-1');
  assert.equal(even.manifest.spec.nodes.controlPlane.replicas, 2);
  assert.equal(clusterSpec.nodes.controlPlane.replicas, 1, 'the base is not changed');
  const ports = badSpec('a cluster whose parent ports for gRPC and bootstrap are equal', input(2));
  assert.equal(ports.manifest.spec.parentConfig.grpcPort, ports.manifest.spec.parentConfig.bootstrapPort);
  assert.deepEqual(ports.manifest.spec.parentConfig.service, { type: 'LoadBalancer' });
});

test('bad services: replicas above the autoscaling maximum, two ports of one number, no limits', () => {
  const scale = badSpec('a service with 10 replicas and an autoscaling maximum of 5', input(3));
  assert.equal(scale.kind, 'LatticeService');
  assert.equal(scale.manifest.metadata.namespace, 'admission');
  assert.equal(scale.manifest.spec.replicas, 10);
  assert.deepEqual(scale.manifest.spec.autoscaling, { max: 5 });
  assert.ok(scale.manifest.spec.workload.containers.main.resources.limits, 'otherwise valid: it has limits');
  const dup = badSpec('a service with two ports numbered 8080', input(4));
  assert.deepEqual(Object.values(dup.manifest.spec.workload.service.ports).map((p) => (p as { port: number }).port), [8080, 8080]);
  const nolimits = badSpec('a service whose container has no resource limits', input(5));
  assert.equal(nolimits.manifest.spec.workload.containers.main.resources.limits, undefined);
  assert.throws(() => badSpec('a service with duplicate port names', input(6)), /no bad spec is known as "a service with duplicate port names"/);
});

test('a webhook denial is read from the Status body; other refusals keep their whole message', () => {
  const denied = refusalOf({ code: 400, body: JSON.stringify({ kind: 'Status', message: 'admission webhook "validate.lattice.dev" denied the request: replicas cannot exceed autoscaling max' }) });
  assert.deepEqual(denied, { status: 400, webhook: 'validate.lattice.dev', message: 'replicas cannot exceed autoscaling max' });
  const schema = refusalOf({ code: 422, body: { message: 'LatticeCluster.lattice.dev "x" is invalid: spec.providerRef: Required value' } });
  assert.equal(schema.webhook, undefined);
  assert.equal(refusalProblem('x', undefined, 'm'), 'x: was accepted; Lattice refuses it with "m"');
  assert.match(refusalProblem('x', schema, 'm')!, /not by validate.lattice.dev/);
  assert.match(refusalProblem('x', denied, 'other')!, /said "replicas cannot exceed autoscaling max", Lattice says "other"/);
  assert.equal(refusalProblem('x', denied, 'replicas cannot exceed autoscaling max'), undefined);
});

test('the table needs exactly | spec | Lattice says | and full rows', () => {
  assert.deepEqual(parseAdmissionTable([['spec', 'Lattice says'], ['a', 'b']]), [{ spec: 'a', says: 'b' }]);
  assert.throws(() => parseAdmissionTable([['spec', 'message'], ['a', 'b']]), /header is \| spec \| message \|/);
  assert.throws(() => parseAdmissionTable([['spec', 'Lattice says'], ['a', '']]), /row 1 .* empty cell/);
});
