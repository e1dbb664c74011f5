/**
 * LatticeService and LatticeMeshMember on a 2026-04 cluster's API: the CRD schema of b5d50e90
 * refuses 2026-01-shaped services (no `spec.workload`) and prunes unknown fields; the
 * `validate.lattice.dev` webhook refuses what `spec.validate()` refuses, with upstream's text
 * (docs/LATTICE-2026-04.md §2.1), and workload CRDs in system namespaces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, registerKinds, type KubeObject, type ObjectStore } from '../../src/apiserver/index.js';
import { container, service } from '../services/world-2026-04.js';

function store(): ObjectStore {
  const s = createStore();
  registerKinds(s, { apiVersion: '2026-04', crds: false });
  for (const name of ['lattice-system', 'istio-system']) s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return s;
}

const DENIED = 'admission webhook "validate.lattice.dev" denied the request: ';

function refusal(s: ObjectStore, o: KubeObject): { code: number; message: string } {
  try { s.create(o); } catch (e) { return { code: (e as { code: number }).code, message: (e as Error).message }; }
  assert.fail(`${o.kind} ${o.metadata.name} was accepted`);
}

test('a 2026-01-shaped LatticeService is refused by the schema (spec.workload: Required value); a b5d50e90 one is stored with unknown fields pruned', () => {
  const s = store();
  const old = { apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name: 'web', namespace: 'default' }, spec: { containers: { main: { image: 'nginx' } }, replicas: { min: 1 } } };
  const r = refusal(s, old);
  assert.equal(r.code, 422);
  assert.match(r.message, /spec\.workload: Required value/);
  assert.match(r.message, /spec\.replicas: Invalid value: "object": spec\.replicas in body must be of type integer/);
  const ok = s.create(service('web', 'default', { containers: { main: container() } }, { inbound: { x: 1 }, replicas: 2 }));
  assert.equal(ok.spec.replicas, 2);
  assert.equal(ok.spec.inbound, undefined, 'unknown fields are pruned');
});

const cases: Array<[string, KubeObject, string]> = [
  ['no containers', service('a', 'default', { containers: {} }), 'service must have at least one container'],
  ['no limits', service('a', 'default', { containers: { main: { image: 'nginx:1.27' } } }), "container 'main' must have resource limits"],
  ['requests only', service('a', 'default', { containers: { main: { image: 'nginx:1.27', resources: { requests: { cpu: '1' } } } } }), "container 'main' must have resource limits"],
  ['relative command', service('a', 'default', { containers: { main: container({ command: ['sh'] }) } }), "'main': command[0] 'sh' must be an absolute path (start with '/')"],
  ['replicas above autoscaling max', service('a', 'default', { containers: { main: container() } }, { replicas: 10, autoscaling: { max: 5 } }), 'replicas cannot exceed autoscaling max'],
  ['wildcard as a resource key', service('a', 'default', { containers: { main: container() }, resources: { '*': { type: 'service', direction: 'inbound' } } }),
    "resource name '*' is not a valid DNS label (must be lowercase alphanumeric with hyphens, max 63 chars)"],
  ['duplicate port number', service('a', 'default', { containers: { main: container() }, service: { ports: { http: { port: 80 }, web: { port: 80 } } } }), 'duplicate service port number: 80'],
  ['external service without endpoints', service('a', 'default', { containers: { main: container() }, resources: { api: { type: 'external-service', params: { endpoints: {} } } } }),
    'failed to deserialize LatticeService: external service resource requires at least one endpoint in params'],
  ['invalid endpoint URL', service('a', 'default', { containers: { main: container() }, resources: { api: { type: 'external-service', params: { endpoints: { x: 'https://' } } } } }),
    "failed to deserialize LatticeService: invalid endpoint URL for 'x': https://"],
  ['a CPU limit that is no quantity', service('a', 'default', { containers: { main: container({ resources: { limits: { cpu: 'lots', memory: '128Mi' } } }) } }),
    "container 'main' limits.cpu: invalid quantity 'lots' (expected e.g., '100m', '1', '0.5')"],
  ['millicores that are no integer', service('a', 'default', { containers: { main: container({ resources: { limits: { cpu: '0.5m' } } }) } }),
    "container 'main' limits.cpu: invalid quantity '0.5m' (expected e.g., '100m', '1', '0.5')"],
  ['a memory request that is no quantity (requests before limits)', service('a', 'default', { containers: { main: container({ resources: { requests: { memory: '1Gb' }, limits: { cpu: 'x' } } }) } }),
    "container 'main' requests.memory: invalid quantity '1Gb' (expected e.g., '128Mi', '1Gi')"],
  ['a world-writable file', service('a', 'default', { containers: { main: container({ files: { '/etc/x': { content: 'x', mode: '0666' } } }) } }),
    "container 'main' file '/etc/x': mode '0666' is world-writable which is not allowed"],
  ['a file without content', service('a', 'default', { containers: { main: container({ files: { '/etc/x': { mode: '0644' } } }) } }),
    "container 'main' file '/etc/x': must specify content, binary_content, or source"],
  ['system namespace', service('a', 'kube-system', { containers: { main: container() } }), "workload CRDs cannot be deployed in system namespace 'kube-system'"],
];

for (const [what, obj, message] of cases) {
  test(`webhook refuses a LatticeService with ${what}: ${message}`, () => {
    const r = refusal(store(), obj);
    assert.equal(r.code, 400);
    assert.equal(r.message, DENIED + message);
  });
}

test('webhook also runs on UPDATE, and a service in lattice-system (not a system namespace) is accepted', () => {
  const s = store();
  const ok = s.create(service('a', 'lattice-system', { containers: { main: container() } }, { replicas: 2, autoscaling: { max: 3 } }));
  const r = (() => { try { s.update({ ...ok, spec: { ...ok.spec, replicas: 4 } }); } catch (e) { return (e as Error).message; } return 'accepted'; })();
  assert.equal(r, DENIED + 'replicas cannot exceed autoscaling max');
});

test('LatticeMeshMember: a member in istio-system and a port name that is not a DNS label are refused by the webhook', () => {
  const lmm = (ns: string, port: string): KubeObject => ({
    apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeMeshMember', metadata: { name: 'm', namespace: ns },
    spec: { target: { selector: { app: 'x' } }, ports: [{ port: 9090, name: port }] },
  });
  assert.equal(refusal(store(), lmm('istio-system', 'metrics')).message, DENIED + "workload CRDs cannot be deployed in system namespace 'istio-system'");
  assert.equal(refusal(store(), lmm('default', 'Metrics')).message, DENIED + "port name 'Metrics' is not a valid DNS label (must be lowercase alphanumeric with hyphens, max 63 chars)");
  assert.ok(store().create(lmm('default', 'metrics')));
});

test('quantities Lattice parses are accepted (100m, 0.5, 1e3, 128Mi, 1.5Gi, 1000000); variables and file content must be strings (schema)', () => {
  const s = store();
  const limits = { cpu: '100m', memory: '128Mi' };
  for (const [i, resources] of [{ limits }, { requests: { cpu: '0.5', memory: '1.5Gi' }, limits: { cpu: '1e3', memory: '1000000' } }].entries()) {
    assert.ok(s.create(service(`q${i}`, 'default', { containers: { main: container({ resources }) } })));
  }
  const r = refusal(s, service('v', 'default', { containers: { main: container({ variables: { PORT: 8080 }, files: { '/etc/x': { content: { a: 1 } } } }) } }));
  assert.equal(r.code, 422);
  assert.match(r.message, /spec\.workload\.containers\.main\.variables\.PORT: Invalid value: "integer"/);
  assert.match(r.message, /spec\.workload\.containers\.main\.files\.\/etc\/x\.content: Invalid value: "object"/);
});
