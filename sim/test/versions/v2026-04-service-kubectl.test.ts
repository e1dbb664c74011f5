/**
 * Real kubectl 1.32 against a 2026-04 cluster with its services runtime: upstream's mesh fixture
 * shapes (nginx-unprivileged servers on 8080 behind port 80, curl clients with `runAsUser: 100`,
 * `apparmorProfile: Unconfined`, `allowedBinaries: ["*"]`, e2e/mesh_fixtures.rs) are applied with
 * the e2e baseline permits and a wildcard permit, reach Ready, show in `kubectl get ls/lmm`, and a
 * client's own curl loop sees 200 from the agreed server and 000 from the one it was not allowed;
 * the webhook's denial reads as upstream's e2e expects (`denied the request`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, registerKinds, startApiServer, type ApiServer } from '../../src/apiserver/index.js';
import { setFaults } from '../../src/faults.js';
import { startServiceRuntime, type ServiceRuntime } from '../../src/services/index.js';
import { ensureKubectl, kubectl } from '../helpers/kubectl.js';
import { until } from '../helpers/until.js';
import { node } from '../services/world.js';
import { E2E_BASELINE, cedarPolicy, nginxServer } from '../services/world-2026-04.js';

const NS = 'mesh-test';
let dir: string;
let server: ApiServer;
let runtime: ServiceRuntime;
let kc: string;

const LIMITS = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const fixtureSecurity = { apparmorProfile: 'Unconfined', allowedBinaries: ['*'] };
const serverSpec = (resources: Record<string, unknown>) => ({
  workload: { containers: { main: { ...nginxServer(), security: fixtureSecurity } }, service: { ports: { http: { port: 80, targetPort: 8080 } } }, resources },
});
const probe = (targets: string[]) => targets.map((t) => `echo "${t}=$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 1 --max-time 2 http://${t}.${NS}.svc.cluster.local/)"`).join('; ');
const clientSpec = (resources: Record<string, unknown>, targets: string[]) => ({
  workload: {
    containers: {
      main: {
        image: 'curlimages/curl:latest', command: ['/bin/sh'], args: ['-c', `while true; do ${probe(targets)}; sleep 0.3; done`],
        volumes: { '/tmp': {} }, resources: LIMITS, security: { ...fixtureSecurity, runAsUser: 100 },
      },
    },
    resources,
  },
});
const ls = (name: string, spec: unknown) => ({ apiVersion: 'lattice.dev/v1alpha1', kind: 'LatticeService', metadata: { name, namespace: NS }, spec });

before(async () => {
  ensureKubectl();
  setFaults(new Set());
  dir = mkdtempSync(join(tmpdir(), 'lattice-sim-2604-kubectl-'));
  const store = createStore();
  registerKinds(store, { apiVersion: '2026-04' });
  store.create(node('cp', { controlPlane: true }));
  store.create(node('pool-default-0'));
  for (const name of ['lattice-system', NS]) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  runtime = await startServiceRuntime({ clusterName: 'e2e-workload', store, workDir: dir });
  server = await startApiServer({ store, clusterName: 'e2e-workload', hooks: runtime.hooks });
  kc = join(dir, 'kubeconfig');
  writeFileSync(kc, server.kubeconfig());
});
after(async () => {
  await server?.stop();
  await runtime?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('kubectl: upstream-shaped mesh services with the e2e permits become Ready; get ls/lmm; a client logs 200 for the agreed server and 000 for the other', async () => {
  const objects = [
    ...E2E_BASELINE,
    cedarPolicy('wildcard-public-api', `permit(principal == Lattice::Service::"${NS}/public-api", action == Lattice::Action::"AllowWildcard", resource == Lattice::Mesh::"inbound");`),
    ls('api-users', serverSpec({ 'frontend-web': { type: 'service', direction: 'inbound' } })),
    ls('api-orders', serverSpec({})),
    ls('public-api', serverSpec({ 'any-caller': { type: 'service', direction: 'inbound', id: '*' } })),
    ls('frontend-web', clientSpec({ 'api-users': { type: 'service' }, 'api-orders': { type: 'service' }, 'public-api': { type: 'service' } }, ['api-users', 'api-orders', 'public-api'])),
  ];
  const file = join(dir, 'mesh.yaml');
  writeFileSync(file, objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('')); // YAML stream of JSON documents
  const applied = await kubectl(kc, ['apply', '-f', file]);
  assert.equal(applied.code, 0, applied.stderr);
  for (const s of ['api-users', 'api-orders', 'public-api', 'frontend-web']) {
    const waited = await kubectl(kc, ['wait', '-n', NS, `ls/${s}`, '--for=jsonpath={.status.phase}=Ready', '--timeout=30s']);
    assert.equal(waited.code, 0, `${s}: ${waited.stderr}`);
  }
  const table = await kubectl(kc, ['get', 'ls', '-n', NS]);
  assert.match(table.stdout.split('\n')[0], /^NAME\s+STRATEGY\s+PHASE\s+AGE/);
  const lmm = await kubectl(kc, ['get', 'lmm', '-n', NS, 'public-api', '--no-headers']);
  assert.match(lmm.stdout, /^public-api\s+Ready\s+Workload\s/);
  const round = /api-users=(\d{3})\napi-orders=(\d{3})\npublic-api=(\d{3})/g;
  const last = await until('frontend-web logs a full probe round', async () => {
    const r = await kubectl(kc, ['logs', '-n', NS, '-l', 'app.kubernetes.io/name=frontend-web', '--tail', '6']);
    const m = [...r.stdout.matchAll(round)].pop();
    return m && { 'api-users': m[1], 'api-orders': m[2], 'public-api': m[3] };
  }, 30_000);
  assert.deepEqual(last, { 'api-users': '200', 'api-orders': '000', 'public-api': '200' });
});

test('kubectl: the webhook refuses replicas above autoscaling.max with upstream\'s text', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, JSON.stringify(ls('too-many', { ...serverSpec({}), replicas: 10, autoscaling: { max: 5 } })));
  const r = await kubectl(kc, ['apply', '-f', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /admission webhook "validate\.lattice\.dev" denied the request: replicas cannot exceed autoscaling max/);
});
