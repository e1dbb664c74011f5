/**
 * ServiceAccount tokens as a real cluster issues them: `kubectl create token` (TokenRequest),
 * TokenReview (username, groups, audiences), the token controller filling a token Secret, and a
 * token authenticating on the API server while the admin token still does. Real kubectl 1.32.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { createStore, registerKinds, startApiServer, type ApiServer, type ObjectStore } from '../../src/apiserver/index.js';
import { startTokenController } from '../../src/apiserver/tokens.js';
import { ensureKubectl, kubectl as runKubectl } from '../helpers/kubectl.js';
import { until } from '../helpers/until.js';

let store: ObjectStore;
let server: ApiServer;
let dir: string;
let kc: string;
let stopTokens: () => void;
const k = (...args: string[]) => runKubectl(kc, args);

before(async () => {
  ensureKubectl();
  store = createStore();
  registerKinds(store);
  server = await startApiServer({ store, clusterName: 'tok' });
  stopTokens = startTokenController(store, () => server.caPem);
  dir = mkdtempSync(join(tmpdir(), 'sim-tokens-'));
  kc = join(dir, 'kubeconfig');
  writeFileSync(kc, server.kubeconfig());
});
after(async () => { stopTokens(); await server.stop(); rmSync(dir, { recursive: true, force: true }); });


/** POST a TokenReview with the admin kubeconfig through kubectl (`create -f -` returns the reviewed object). */
async function kubectlReview(token: string, audiences?: string[]): Promise<{ authenticated?: boolean; user?: { username: string; groups: string[] }; error?: string; audiences?: string[] }> {
  const body = yaml.dump({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } });
  const r = await runKubectl(kc, ['create', '--validate=false', '-o', 'json', '-f', '-'], { input: body });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).status;
}

test('kubectl create token issues a token TokenReview resolves to the ServiceAccount and its groups', async () => {
  assert.equal((await k('create', 'serviceaccount', 'alice', '-n', 'default')).code, 0);
  const t = await k('create', 'token', 'alice', '-n', 'default');
  assert.equal(t.code, 0, t.stderr);
  const token = t.stdout.trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const s = await kubectlReview(token);
  assert.equal(s.authenticated, true);
  assert.equal(s.user?.username, 'system:serviceaccount:default:alice');
  assert.deepEqual(s.user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  // The token authenticates on the API server too (a real API server's ServiceAccount authenticator).
  const cfg = yaml.load(server.kubeconfig()) as { users: Array<{ user: { token: string } }> };
  cfg.users[0].user.token = token;
  const saKc = join(dir, 'alice-kubeconfig');
  writeFileSync(saKc, yaml.dump(cfg));
  const ns = await runKubectl(saKc, ['get', 'namespaces', '-o', 'name']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.match(ns.stdout, /namespace\/default/);
  // The admin token still works.
  assert.equal((await k('get', 'namespaces')).code, 0);
});

test('TokenReview refuses a forged token, a token of a deleted ServiceAccount, and foreign audiences', async () => {
  assert.equal((await k('create', 'serviceaccount', 'bob', '-n', 'default')).code, 0);
  const token = (await k('create', 'token', 'bob', '-n', 'default')).stdout.trim();
  const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal((await kubectlReview(forged)).authenticated, undefined);
  const aud = await kubectlReview(token, ['lattice-proxy']);
  assert.equal(aud.authenticated, undefined);
  assert.match(aud.error ?? '', /audiences/);
  // The proxy's audiences include the API's default one (lattice-operator/src/main.rs:1080-1083).
  assert.equal((await kubectlReview(token, ['lattice-proxy', 'https://kubernetes.default.svc.cluster.local'])).authenticated, true);
  assert.equal((await k('delete', 'serviceaccount', 'bob', '-n', 'default')).code, 0);
  const gone = await kubectlReview(token);
  assert.equal(gone.authenticated, undefined);
  assert.match(gone.error ?? '', /has been deleted/);
});

test('kubectl create token for a missing ServiceAccount is NotFound; a short expiry is refused', async () => {
  const r = await k('create', 'token', 'nobody', '-n', 'default');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /serviceaccounts "nobody" not found/);
  assert.equal((await k('create', 'serviceaccount', 'carol', '-n', 'default')).code, 0);
  const short = await k('create', 'token', 'carol', '-n', 'default', '--duration=1m');
  assert.notEqual(short.code, 0);
  assert.match(short.stderr, /10 minutes/);
});

test('the token controller fills a service-account-token Secret with a token that authenticates', async () => {
  assert.equal((await k('create', 'serviceaccount', 'lattice-admin', '-n', 'default')).code, 0);
  const secret = yaml.dump({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'lattice-admin-token', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'lattice-admin' } } });
  assert.equal((await runKubectl(kc, ['apply', '-f', '-'], { input: secret })).code, 0);
  const tokenOf = () => (store.get('v1', 'Secret', 'lattice-admin-token', 'default')?.data as Record<string, string> | undefined)?.token;
  const token = Buffer.from(await until('token Secret populated', tokenOf), 'base64').toString();
  const s = await kubectlReview(token);
  assert.equal(s.user?.username, 'system:serviceaccount:default:lattice-admin');
  assert.equal((await k('delete', 'secret', 'lattice-admin-token', '-n', 'default')).code, 0);
  assert.equal((await kubectlReview(token)).authenticated, undefined, 'a legacy token dies with its Secret');
});
