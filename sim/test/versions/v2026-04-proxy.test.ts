/**
 * The 2026-04 auth proxy as a user meets it (lattice-api at b5d50e90), through the real CLI, daemon,
 * kubectl 1.32 and client-node: `lattice install --kubeconfig-out` writes the proxy kubeconfig
 * (~/.lattice too), the `lattice-cell` Service names where the proxy is, children and a grandchild
 * are reached through it (two hops: pods, logs -f, exec), ServiceAccount tokens from
 * `kubectl create token` are authorized per cluster by Cedar (403 / 200, `/kubeconfig` lists only
 * the accessible clusters), errors are error.rs's, login/logout work, an exec-plugin kubeconfig works,
 * and each 2026-04 access fault is seen next to the run without it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import * as yaml from 'js-yaml';
import { ensureKubectl, kubectl, KUBECTL_PATH } from '../helpers/kubectl.js';
import { LATTICE_BIN, LATTICE_SIM_BIN, newSimEnv, run } from '../cli/run.js';
import { clusterYaml0404 } from '../helpers/cluster-yaml.js';

const cluster = (name: string, o: { parent: boolean; proxyPort?: number }) =>
  clusterYaml0404(name, { ...o, pools: { default: 1 }, labels: { 'lattice-acceptance/run-id': 'proxy-test' } });

const STATUS = (code: number, message: string, reason: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: { retryAfterSeconds: 1 }, code });

/** One HTTPS call to the proxy, trusting its cell CA. */
function call(url: string, token: string | undefined, caPem: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An upgrade request to the proxy; the answer when it is refused (the status and body of the non-101 answer). */
function upgradeCall(url: string, token: string, caPem: string, method: string, protocol: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Connection: 'Upgrade', Upgrade: protocol };
    if (protocol === 'websocket') Object.assign(headers, { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' });
    const req = request(url, { method, ca: caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode ?? 101, body: '' }); });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Until the proxy's Cedar engine has reloaded after a permit was written (a task of its own upstream,
 * lattice-operator/src/main.rs:590-640: right after the write the proxy may still answer 403).
 */
async function untilPermitted(url: string, token: string, caPem: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = await call(url, token, caPem);
  while (last.status === 403 && JSON.parse(last.body).message === 'authorization failed') {
    if (Date.now() > deadline) assert.fail(`${url} still refused by Cedar 10 s after the permit: ${last.body}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await call(url, token, caPem);
  }
}

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }), text: () => Buffer.concat(chunks).toString() };
}

describe('the 2026-04 auth proxy through the CLI, kubectl and client-node', () => {
  const sim = newSimEnv({ LATTICE_SIM_API_VERSION: '2026-04', LATTICE_SIM_SPEED: '2' });
  sim.env.HOME = join(sim.dir, 'user');
  const proxyKc = join(sim.dir, 'proxy-kubeconfig');
  const lattice = (args: string[]) => run(LATTICE_BIN, args, { env: sim.env });
  const ctl = (args: string[]) => run(LATTICE_SIM_BIN, args, { env: sim.env });
  const k = (kc: string, args: string[], input?: string) => kubectl(kc, args, { input, timeoutMs: 60_000 });
  let base = '';
  let caPem = '';
  let adminToken = '';
  /** A copy of the admin proxy kubeconfig whose server is `<base><path>` (e.g. two hops). */
  const kubeconfigAt = (name: string, path: string, token = adminToken) => {
    const doc = JSON.parse(readFileSync(proxyKc, 'utf8'));
    doc.clusters[0].cluster.server = `${base}${path}`;
    doc.users[0].user = { token };
    const file = join(sim.dir, name);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };
  before(() => { ensureKubectl(); });
  after(() => sim.dispose());

  it('install writes the proxy kubeconfig to --kubeconfig-out and ~/.lattice, and lattice-cell names the proxy', async () => {
    const file = join(sim.dir, 'mgmt.yaml');
    writeFileSync(file, cluster('e2e-mgmt', { parent: true }));
    const r = await lattice(['install', '-f', file, '--kubeconfig-out', proxyKc]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Kubeconfig also written to: ${proxyKc}`));
    assert.match(r.stderr, /Proxy kubeconfig: {2}.*\.lattice\/kubeconfig\.proxy/);
    const doc = JSON.parse(readFileSync(proxyKc, 'utf8'));
    assert.equal(doc['api-version'], 'v1');
    assert.equal(doc['current-context'], 'e2e-mgmt');
    assert.equal(doc.users[0].name, 'system:serviceaccount:lattice-system:lattice-admin');
    const server: string = doc.clusters[0].cluster.server;
    assert.match(server, /^https:\/\/127\.\d+\.\d+\.\d+:\d+\/clusters\/e2e-mgmt$/);
    base = server.replace(/\/clusters\/e2e-mgmt$/, '');
    caPem = Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
    adminToken = doc.users[0].user.token;
    for (const f of ['kubeconfig.proxy', 'kubeconfig.root', 'config.json']) {
      assert.equal(statSync(join(sim.env.HOME!, '.lattice', f)).mode & 0o777, 0o600, f);
    }
    const cfg = JSON.parse(readFileSync(join(sim.env.HOME!, '.lattice', 'config.json'), 'utf8'));
    assert.equal(cfg.proxy_server, base);
    assert.equal(cfg.current_cluster, 'e2e-mgmt');
    // The lattice-cell Service: upstream's four ports, the proxy's address as LoadBalancer ingress.
    const svc = JSON.parse((await k(proxyKc, ['get', 'service', 'lattice-cell', '-n', 'lattice-system', '-o', 'json'])).stdout);
    assert.deepEqual(svc.spec.ports.map((p: { name: string; port: number }) => `${p.name}:${p.port}`), ['bootstrap:8443', 'grpc:50051', 'proxy:8081', 'auth-proxy:8082']);
    const host = new URL(base).hostname;
    assert.deepEqual(svc.status.loadBalancer.ingress, [{ ip: host }]);
    const port = svc.metadata.annotations?.['lattice-sim.dev/auth-proxy-port'] ?? '8082';
    assert.equal(new URL(base).port, port);
    assert.deepEqual(await call(`${base}/healthz`, undefined, caPem), { status: 200, body: 'ok' });
  });

  it('kubectl reaches the management cluster, a child and, through two hops, a grandchild: pods, logs -f and exec', async () => {
    const ns = await k(proxyKc, ['get', 'namespaces', '-o', 'name']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /namespace\/lattice-system/);
    writeFileSync(join(sim.dir, 'wl.yaml'), cluster('e2e-workload', { parent: true }));
    assert.equal((await k(proxyKc, ['apply', '-f', join(sim.dir, 'wl.yaml')])).code, 0);
    const waited = await k(proxyKc, ['wait', 'latticecluster/e2e-workload', '--for=jsonpath={.status.pivotComplete}=true', '--timeout=60s']);
    assert.equal(waited.code, 0, waited.stderr);
    // lattice login refreshes ~/.lattice/kubeconfig.proxy: now with the child's context.
    const login = await lattice(['login', '--server', base, '--token', adminToken, '--insecure']);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Logged in successfully\. Kubeconfig saved to .*kubeconfig\.proxy[\s\S]*- e2e-mgmt \*\n {2}- e2e-workload\n/);
    const saved = join(sim.env.HOME!, '.lattice', 'kubeconfig.proxy');
    // The workload has parentConfig: it is a cell too, with a proxy of its own at another address,
    // whose TokenReview does not know the management cluster's tokens.
    const wlSvc = JSON.parse((await k(saved, ['--context', 'e2e-workload', 'get', 'service', 'lattice-cell', '-n', 'lattice-system', '-o', 'json'])).stdout);
    const wlHost: string = wlSvc.status.loadBalancer.ingress[0].ip;
    assert.notEqual(wlHost, new URL(base).hostname);
    const wlBase = `https://${wlHost}:${wlSvc.metadata.annotations?.['lattice-sim.dev/auth-proxy-port'] ?? '8082'}`;
    const insecure = (url: string, token?: string) => new Promise<number>((resolve, reject) => {
      const req = request(url, { rejectUnauthorized: false, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(await insecure(`${wlBase}/healthz`), 200);
    assert.equal(await insecure(`${wlBase}/kubeconfig?format=sa`, adminToken), 401);
    writeFileSync(join(sim.dir, 'wl2.yaml'), cluster('e2e-workload2', { parent: false }));
    assert.equal((await k(saved, ['--context', 'e2e-workload', 'apply', '-f', join(sim.dir, 'wl2.yaml')])).code, 0);
    const w2 = await k(saved, ['--context', 'e2e-workload', 'wait', 'latticecluster/e2e-workload2', '--for=jsonpath={.status.pivotComplete}=true', '--timeout=60s']);
    assert.equal(w2.code, 0, w2.stderr);

    const twoHops = kubeconfigAt('two-hops', '/clusters/e2e-workload/clusters/e2e-workload2');
    const nodes = await k(twoHops, ['get', 'nodes', '-o', 'name']);
    assert.match(nodes.stdout, /node\/e2e-workload2-control-plane/);
    const dep = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello', namespace: 'default', labels: { 'lattice.dev/compiled': 'true' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'hello' } }, template: { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ name: 'hello', image: 'busybox', command: ['/bin/sh', '-c', 'echo hello-from-wl2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'] }] } } },
    };
    assert.equal((await k(twoHops, ['apply', '-f', '-'], yaml.dump(dep))).code, 0);
    assert.equal((await k(twoHops, ['wait', 'pod', '-l', 'app=hello', '--for=condition=Ready', '--timeout=30s'])).code, 0);
    const pod = (await k(twoHops, ['get', 'pod', '-l', 'app=hello', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const logs = await k(twoHops, ['logs', pod]);
    assert.match(logs.stdout, /^hello-from-wl2\n/);
    // logs -f streams through both hops: new lines keep arriving after the first ones.
    const follow = await kubectl(twoHops, ['logs', '-f', pod, '--request-timeout=3s'], { timeoutMs: 10_000 });
    const ticks = follow.stdout.match(/tick \d+/g) ?? [];
    assert.ok(ticks.length >= 3, `followed log: ${follow.stdout}`);
    // exec is routed only on /clusters/<c>/api/v1/namespaces/<ns>/pods/<pod>/exec (server.rs:112-124):
    // through the grandchild's own route, as /kubeconfig hands it out (the subtree registry).
    const byName = kubeconfigAt('by-name', '/clusters/e2e-workload2');
    assert.equal((await k(byName, ['get', 'pods'])).code, 0);
    const exec = await k(byName, ['exec', pod, '--', 'sh', '-c', 'echo exec-ok; exit 3']);
    assert.equal(exec.code, 3, exec.stderr);
    assert.equal(exec.stdout, 'exec-ok\n');
    const piped = await k(byName, ['exec', '-i', pod, '--', 'cat'], 'through the proxy');
    assert.equal(piped.stdout, 'through the proxy');
    // A nested exec path is upstream's catch-all handler: a websocket there is a 500 (proxy.rs:106-111);
    // SPDY on the exec route is refused by the websocket extractor (axum 0.8 rejections).
    const execPath = (prefix: string) => `${base}${prefix}/api/v1/namespaces/default/pods/${pod}/exec?command=true&stdout=true`;
    const nested = await upgradeCall(execPath('/clusters/e2e-workload/clusters/e2e-workload2'), adminToken, caPem, 'GET', 'websocket');
    assert.deepEqual({ status: nested.status, body: JSON.parse(nested.body) }, { status: 500, body: STATUS(500, 'internal error', 'InternalError') });
    assert.deepEqual(await upgradeCall(execPath('/clusters/e2e-workload2'), adminToken, caPem, 'POST', 'SPDY/3.1'), { status: 405, body: 'Request method must be `GET`' });
    assert.deepEqual(await upgradeCall(execPath('/clusters/e2e-workload2'), adminToken, caPem, 'GET', 'SPDY/3.1'), { status: 400, body: "`Upgrade` header did not include 'websocket'" });
    assert.notEqual((await k(twoHops, ['exec', pod, '--', 'true'])).code, 0, 'kubectl exec through two hops fails as upstream routes it');

    // client-node: list pods and read the log through two hops, exec through the grandchild's route.
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(twoHops);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'default' });
    assert.deepEqual(pods.items.map((p) => p.metadata?.name), [pod]);
    assert.match(await core.readNamespacedPodLog({ namespace: 'default', name: pod }), /^hello-from-wl2\n/);
    const byNameKc = new k8s.KubeConfig();
    byNameKc.loadFromFile(byName);
    const out = collector();
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      const stdin = new PassThrough();
      new k8s.Exec(byNameKc).exec('default', pod, 'hello', ['cat'], out.stream, null, stdin, false, resolve).then(() => stdin.end('client-node'), reject);
    });
    assert.equal(status.status, 'Success');
    assert.equal(out.text(), 'client-node');
  });

  it('a ServiceAccount token is refused (403) until a Cedar AccessCluster permit names it; /kubeconfig lists only what it may access', async () => {
    assert.equal((await k(proxyKc, ['create', 'serviceaccount', 'alice', '-n', 'default'])).code, 0);
    const token = (await k(proxyKc, ['create', 'token', 'alice', '-n', 'default'])).stdout.trim();
    const aliceWl = kubeconfigAt('alice-workload', '/clusters/e2e-workload', token);
    const denied = await k(aliceWl, ['get', 'namespaces']);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /Error from server \(Forbidden\): authorization failed/);
    const none = await call(`${base}/kubeconfig?format=sa`, token, caPem);
    assert.deepEqual({ status: none.status, body: JSON.parse(none.body) }, { status: 403, body: STATUS(403, 'authorization failed', 'Forbidden') });

    const permit = { apiVersion: 'lattice.dev/v1alpha1', kind: 'CedarPolicy', metadata: { name: 'alice-workload', namespace: 'lattice-system' },
      spec: { policies: 'permit(principal == Lattice::User::"system:serviceaccount:default:alice", action == Lattice::Action::"AccessCluster", resource == Lattice::Cluster::"e2e-workload");' } };
    assert.equal((await k(proxyKc, ['apply', '-f', '-'], yaml.dump(permit))).code, 0);
    await untilPermitted(`${base}/clusters/e2e-workload/api/v1/namespaces`, token, caPem);
    const allowed = await k(aliceWl, ['get', 'namespaces', '-o', 'name']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /namespace\/default/);
    // Every hop is authorized: the grandchild behind the permitted child is still refused.
    const hop = await call(`${base}/clusters/e2e-workload/clusters/e2e-workload2/api/v1/namespaces`, token, caPem);
    assert.equal(hop.status, 403);
    // ?format=sa: only the accessible cluster, the caller's own token; usable by kubectl as it is.
    const sa = await call(`${base}/kubeconfig?format=sa`, token, caPem);
    assert.equal(sa.status, 200);
    const doc = JSON.parse(sa.body);
    assert.deepEqual(doc.contexts.map((c: { name: string }) => c.name), ['e2e-workload']);
    assert.deepEqual(doc.users, [{ name: 'system:serviceaccount:default:alice', user: { token } }]);
    const saFile = join(sim.dir, 'alice-sa-kubeconfig');
    writeFileSync(saFile, sa.body);
    const viaSa = await k(saFile, ['get', 'namespaces', '-o', 'name']);
    assert.equal(viaSa.code, 0, viaSa.stderr);
    // The default format carries no credentials (no OIDCProvider: no oidc-login exec).
    const plain = JSON.parse((await call(`${base}/kubeconfig`, token, caPem)).body);
    assert.deepEqual(plain.users[0].user, {});

    // An exec-credential plugin that prints a TokenRequest token works with kubectl and client-node
    // (ordinary client behaviour; b5d50e90 hands out no such kubeconfig, docs/LATTICE-2026-04.md §7).
    const plugin = join(sim.dir, 'token-plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\nT=$(${KUBECTL_PATH} --kubeconfig ${proxyKc} create token alice -n default)\nprintf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$T"\n`);
    chmodSync(plugin, 0o755);
    const execDoc = JSON.parse(sa.body);
    execDoc.users[0].user = { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, args: [], interactiveMode: 'Never' } };
    const execFile = join(sim.dir, 'alice-exec-kubeconfig');
    writeFileSync(execFile, JSON.stringify(execDoc));
    const viaPlugin = await k(execFile, ['get', 'namespaces', '-o', 'name']);
    assert.equal(viaPlugin.code, 0, viaPlugin.stderr);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(execFile);
    const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    assert.ok(list.items.some((n) => n.metadata?.name === 'default'));
  });

  it('errors are lattice-api error.rs: 401 without a valid token, 503 for an unknown cluster (before authentication)', async () => {
    const bad = await call(`${base}/clusters/e2e-mgmt/api/v1/namespaces`, 'not-a-token', caPem);
    assert.deepEqual({ status: bad.status, body: JSON.parse(bad.body) }, { status: 401, body: STATUS(401, 'authentication failed', 'Unauthorized') });
    const missing = await call(`${base}/clusters/e2e-mgmt/api/v1/namespaces`, undefined, caPem);
    assert.equal(missing.status, 401);
    const unknown = await call(`${base}/clusters/no-such-cluster/api/v1/namespaces`, undefined, caPem);
    assert.deepEqual({ status: unknown.status, body: JSON.parse(unknown.body) }, { status: 503, body: STATUS(503, 'cluster not available', 'ServiceUnavailable') });
  });

  it('on the cell\'s own cluster the caller\'s RBAC applies (impersonation): a permitted ServiceAccount without RBAC gets kube-apiserver\'s Forbidden; discovery and the admin pass', async () => {
    const token = (await k(proxyKc, ['create', 'token', 'alice', '-n', 'default'])).stdout.trim();
    const permit = { apiVersion: 'lattice.dev/v1alpha1', kind: 'CedarPolicy', metadata: { name: 'alice-mgmt', namespace: 'lattice-system' },
      spec: { policies: 'permit(principal == Lattice::User::"system:serviceaccount:default:alice", action == Lattice::Action::"AccessCluster", resource == Lattice::Cluster::"e2e-mgmt");' } };
    assert.equal((await k(proxyKc, ['apply', '-f', '-'], yaml.dump(permit))).code, 0);
    try {
      await untilPermitted(`${base}/clusters/e2e-mgmt/api`, token, caPem);
      const user = 'system:serviceaccount:default:alice';
      const list = await call(`${base}/clusters/e2e-mgmt/api/v1/namespaces`, token, caPem);
      assert.deepEqual({ status: list.status, body: JSON.parse(list.body) }, { status: 403, body: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, details: { kind: 'namespaces' },
        message: `namespaces is forbidden: User "${user}" cannot list resource "namespaces" in API group "" at the cluster scope` } });
      const one = JSON.parse((await call(`${base}/clusters/e2e-mgmt/apis/apps/v1/namespaces/lattice-system/deployments/x`, token, caPem)).body);
      assert.equal(one.message, `deployments.apps "x" is forbidden: User "${user}" cannot get resource "deployments" in API group "apps" in the namespace "lattice-system"`);
      assert.equal((await call(`${base}/clusters/e2e-mgmt/api`, token, caPem)).status, 200, 'discovery (system:discovery)');
      const aliceMgmt = kubeconfigAt('alice-mgmt', '/clusters/e2e-mgmt', token);
      const denied = await k(aliceMgmt, ['get', 'pods', '-n', 'default']);
      assert.match(denied.stderr, /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:default:alice" cannot list resource "pods" in API group "" in the namespace "default"/);
      const exec = await upgradeCall(`${base}/clusters/e2e-mgmt/api/v1/namespaces/default/pods/p/exec?command=true`, token, caPem, 'GET', 'websocket');
      assert.equal(exec.status, 403);
      assert.match(JSON.parse(exec.body).message, /cannot create resource "pods\/exec" in API group "" in the namespace "default"/);
      // The admin ServiceAccount is cluster-admin there (install.rs:1300-1320); a child is reached with the agent's own client.
      assert.equal((await call(`${base}/clusters/e2e-mgmt/api/v1/namespaces`, adminToken, caPem)).status, 200);
      assert.equal((await call(`${base}/clusters/e2e-workload/api/v1/namespaces`, token, caPem)).status, 200);
    } finally {
      await k(proxyKc, ['delete', 'cedarpolicy', 'alice-mgmt', '-n', 'lattice-system']);
    }
  });

  it('fault proxy-ignores-access-cluster lets a caller without a permit through; without it the same call is 403', async () => {
    const token = (await k(proxyKc, ['create', 'token', 'alice', '-n', 'default'])).stdout.trim();
    const url = `${base}/clusters/e2e-workload2/api/v1/namespaces`;
    assert.equal((await call(url, token, caPem)).status, 403);
    assert.equal((await ctl(['faults', 'proxy-ignores-access-cluster'])).code, 0);
    try {
      assert.equal((await call(url, token, caPem)).status, 200);
    } finally { await ctl(['faults', '--clear']); }
    assert.equal((await call(url, token, caPem)).status, 403);
  });

  it('fault proxy-kubeconfig-lists-all-clusters hands out every cluster; without it only the permitted one', async () => {
    const token = (await k(proxyKc, ['create', 'token', 'alice', '-n', 'default'])).stdout.trim();
    const names = async () => JSON.parse((await call(`${base}/kubeconfig?format=sa`, token, caPem)).body).contexts.map((c: { name: string }) => c.name);
    assert.deepEqual(await names(), ['e2e-workload']);
    assert.equal((await ctl(['faults', 'proxy-kubeconfig-lists-all-clusters'])).code, 0);
    try {
      assert.deepEqual(await names(), ['e2e-mgmt', 'e2e-workload', 'e2e-workload2']);
    } finally { await ctl(['faults', '--clear']); }
    assert.deepEqual(await names(), ['e2e-workload']);
  });

  it('during Provisioning the parent rewrites capi-<name>/<name>-kubeconfig to the in-cluster proxy URL with the cell CA', async () => {
    assert.equal((await ctl(['faults', 'stuck-provisioning'])).code, 0);
    try {
      writeFileSync(join(sim.dir, 'stuck.yaml'), cluster('e2e-stuck', { parent: true, proxyPort: 9443 }));
      assert.equal((await k(proxyKc, ['apply', '-f', join(sim.dir, 'stuck.yaml')])).code, 0);
      const deadline = Date.now() + 30_000;
      let value = '';
      while (!value.includes('/clusters/')) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for the rewritten kubeconfig secret; last value: ${value}`);
        const r = await k(proxyKc, ['get', 'secret', 'e2e-stuck-kubeconfig', '-n', 'capi-e2e-stuck', '-o', 'jsonpath={.data.value}']);
        value = r.code === 0 ? Buffer.from(r.stdout, 'base64').toString() : '';
        await new Promise((res) => setTimeout(res, 200));
      }
      const doc = JSON.parse(value); // written as JSON (serde_json::to_string)
      assert.equal(doc.clusters[0].cluster.server, 'https://lattice-cell.lattice-system.svc:9443/clusters/e2e-stuck');
      assert.equal(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), caPem);
      assert.ok(doc.users[0].user.token, 'the credentials are kept');
    } finally { await ctl(['faults', '--clear']); }
  });

  it('lattice logout removes the saved credentials, a second logout says so', async () => {
    const first = await lattice(['logout']);
    assert.equal(first.code, 0);
    assert.equal(first.stdout, 'Logged out. Saved credentials have been removed.\n');
    assert.ok(!existsSync(join(sim.env.HOME!, '.lattice', 'kubeconfig.proxy')));
    const second = await lattice(['logout']);
    assert.equal(second.code, 0);
    assert.equal(second.stdout, 'Already logged out (no saved credentials found).\n');
  });
});
