/**
 * `?fieldValidation=` on writes of a Lattice CRD, as a real API server answers it: Strict refuses
 * unknown fields with 400 `strict decoding error: unknown field "spec.x"` and stores nothing; Warn
 * (also the default without the parameter) prunes and sends a `Warning` header per field; Ignore
 * prunes silently. Raw HTTPS requests, then real kubectl 1.32, whose apply/create/replace send
 * Strict by default (`--validate=strict`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, registerKinds, startApiServer, type ApiServer, type ObjectStore } from '../../src/apiserver/index.js';
import { callApi } from '../helpers/api-call.js';
import { ensureKubectl, kubectl } from '../helpers/kubectl.js';

const LC_API = 'lattice.dev/v1alpha1';
const COLLECTION = '/apis/lattice.dev/v1alpha1/latticeclusters';

let store: ObjectStore;
let server: ApiServer;
let dir: string;
let kc: string;

before(async () => {
  ensureKubectl();
  store = createStore();
  registerKinds(store);
  server = await startApiServer({ store, clusterName: 'e2e-fieldvalidation' });
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-fieldvalidation-'));
  kc = join(dir, 'kubeconfig');
  writeFileSync(kc, server.kubeconfig());
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cluster = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: LC_API, kind: 'LatticeCluster', metadata: { name },
  spec: {
    provider: { kubernetes: { version: '1.32.0', certSANs: ['127.0.0.1'] }, config: { docker: {} } },
    nodes: { controlPlane: 1, workers: 1 },
    ...extra,
  },
});

const call = (method: string, path: string, body: unknown, contentType?: string) => callApi(server, method, path, body, contentType);

test('Strict: 400 naming every unknown field, nothing stored', async () => {
  const r = await call('POST', `${COLLECTION}?fieldValidation=Strict`, cluster('strict', { x: 1, nodes: { controlPlane: 1, workers: 1, extra: true } }));
  assert.equal(r.code, 400);
  assert.equal(r.body.reason, 'BadRequest');
  assert.equal(r.body.message, 'LatticeCluster in version "v1alpha1" cannot be handled as a LatticeCluster: strict decoding error: unknown field "spec.nodes.extra", unknown field "spec.x"');
  assert.equal(store.get(LC_API, 'LatticeCluster', 'strict'), undefined);
});

test('Strict on a merge patch of an existing object refuses the patch and keeps the object', async () => {
  store.create(cluster('patched'));
  const r = await call('PATCH', `${COLLECTION}/patched?fieldValidation=Strict`, { spec: { nodes: { workers: 3 }, bogus: 'y' } }, 'application/merge-patch+json');
  assert.equal(r.code, 400);
  assert.match(r.body.message ?? '', /strict decoding error: unknown field "spec.bogus"$/);
  assert.equal(store.get(LC_API, 'LatticeCluster', 'patched')?.spec.nodes.workers, 1);
});

test('Warn, and no parameter: stored pruned, one Warning header per unknown field', async () => {
  for (const [name, query] of [['warned', '?fieldValidation=Warn'], ['defaulted', '']] as const) {
    const r = await call('POST', `${COLLECTION}${query}`, cluster(name, { x: 1 }));
    assert.equal(r.code, 201, JSON.stringify(r.body));
    assert.deepEqual(r.warnings, ['299 - "unknown field \\"spec.x\\""']);
    assert.equal('x' in (store.get(LC_API, 'LatticeCluster', name)?.spec ?? {}), false);
  }
});

test('Ignore: stored pruned, no warning; a known-only body warns nothing', async () => {
  const r = await call('POST', `${COLLECTION}?fieldValidation=Ignore`, cluster('ignored', { x: 1 }));
  assert.equal(r.code, 201);
  assert.deepEqual(r.warnings, []);
  assert.equal('x' in (r.body.spec ?? {}), false);
  const clean = await call('POST', COLLECTION, cluster('clean'));
  assert.equal(clean.code, 201);
  assert.deepEqual(clean.warnings, []);
});

test('kubectl 1.32: apply refuses unknown fields by default, warns with --validate=warn, prunes silently with --validate=false', async () => {
  const file = join(dir, 'lc.yaml');
  writeFileSync(file, JSON.stringify(cluster('kubectl-lc', { cpSubnetIds: ['s-1'] })));
  const strict = await kubectl(kc, ['apply', '-f', file]);
  assert.equal(strict.code, 1, strict.stdout);
  assert.match(strict.stderr, /strict decoding error: unknown field "spec.cpSubnetIds"/);
  assert.equal(store.get(LC_API, 'LatticeCluster', 'kubectl-lc'), undefined);

  const warned = await kubectl(kc, ['apply', '--validate=warn', '-f', file]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /Warning: unknown field "spec.cpSubnetIds"/);
  assert.equal('cpSubnetIds' in (store.get(LC_API, 'LatticeCluster', 'kubectl-lc')?.spec ?? {}), false);

  const ignored = await kubectl(kc, ['apply', '--validate=false', '-f', file]);
  assert.equal(ignored.code, 0, ignored.stderr);
  assert.doesNotMatch(ignored.stderr, /unknown field/);
});
