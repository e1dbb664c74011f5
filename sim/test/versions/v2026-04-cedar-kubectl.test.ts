/**
 * CedarPolicy through a 2026-04 cluster's HTTPS API with real kubectl 1.32: `kubectl apply` gets
 * the schema's defaults and pruning, the status controller's phase shows in `kubectl get`'s Phase
 * column (crd/cedar_policy.rs:38-40), and a spec with a wrong type is refused with the schema's cause.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, registerKinds, startApiServer, type ApiServer, type ObjectStore } from '../../src/apiserver/index.js';
import { startCedarPolicyStatus } from '../../src/versions/v2026-04/cedar/status.js';
import { ensureKubectl, kubectl } from '../helpers/kubectl.js';
import { until } from '../helpers/until.js';

let dir: string;
let server: ApiServer;
let store: ObjectStore;
let kc: string;
const stop = new AbortController();

before(async () => {
  ensureKubectl();
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-cedar-'));
  store = createStore();
  registerKinds(store, { apiVersion: '2026-04' });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lattice-system' } });
  startCedarPolicyStatus(store, stop.signal);
  server = await startApiServer({ store, clusterName: 'e2e-cedar' });
  kc = join(dir, 'kubeconfig');
  writeFileSync(kc, server.kubeconfig());
});
after(async () => {
  stop.abort();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const manifest = (name: string, spec: string) => `apiVersion: lattice.dev/v1alpha1
kind: CedarPolicy
metadata:
  name: ${name}
  namespace: lattice-system
spec:
${spec}`;

test("kubectl apply: unknown fields refused (Strict) or pruned (--validate=false), defaults applied; kubectl get shows Description and the controller's Phase", async () => {
  const file = join(dir, 'allow.yaml');
  writeFileSync(file, manifest('allow-root', `  description: legacy may run as root
  unknownField: dropped
  policies: |
    permit(principal == Lattice::Service::"shop/legacy", action == Lattice::Action::"OverrideSecurity", resource == Lattice::SecurityOverride::"runAsRoot");
`));
  const strict = await kubectl(kc, ['apply', '-f', file]);
  assert.match(strict.stderr, /strict decoding error: unknown field "spec\.unknownField"/, 'kubectl 1.32 asks for fieldValidation=Strict');
  const applied = await kubectl(kc, ['apply', '--validate=false', '-f', file]);
  assert.equal(applied.code, 0, applied.stderr);
  await until('allow-root to be validated', () => store.get('lattice.dev/v1alpha1', 'CedarPolicy', 'allow-root', 'lattice-system')?.status?.phase === 'Valid', 5_000);
  const got = await kubectl(kc, ['get', 'cedarpolicies', '-n', 'lattice-system', '-o', 'json']);
  assert.equal(got.code, 0, got.stderr);
  const item = JSON.parse(got.stdout).items[0];
  assert.deepEqual(Object.keys(item.spec).sort(), ['description', 'enabled', 'policies', 'priority', 'propagate']);
  assert.deepEqual([item.spec.enabled, item.spec.priority, item.spec.propagate], [true, 0, true]);
  assert.deepEqual([item.status.phase, item.status.permitCount, item.status.forbidCount, item.status.message], ['Valid', 1, 0, '1 permit, 0 forbid statements']);
  const table = await kubectl(kc, ['get', 'cedarpolicy', 'allow-root', '-n', 'lattice-system']);
  assert.equal(table.code, 0, table.stderr);
  const [header, row] = table.stdout.trim().split('\n');
  assert.deepEqual(header.trim().split(/\s{2,}/), ['NAME', 'DESCRIPTION', 'PHASE', 'AGE']);
  assert.match(row, /^allow-root\s+legacy may run as root\s+Valid\s+\S+$/);
});

test('kubectl apply of a spec without policies or with a string priority is refused by the schema', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, manifest('bad', '  priority: high\n'));
  const res = await kubectl(kc, ['apply', '-f', file]);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /spec\.policies: Required value/);
  assert.match(res.stderr, /spec\.priority: Invalid value: "string": spec\.priority in body must be of type integer: "string"/);
});
