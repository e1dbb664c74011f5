/**
 * The suite's permit on the auth proxy takes effect one policy reload after it is written (Lattice's
 * Cedar engine loads CedarPolicies from a watch, cedar/engine.rs:476-520): a 403 right after it is
 * waited out, a 403 that lasts still fails naming the policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { proxyKubeconfigFor } from '../../../support/kube/auth-proxy.js';
import type { ClusterClient } from '../../../support/kube/clients.js';

const KUBECONFIG = { clusters: [{ name: 'e2e-workload', cluster: { server: 'https://p/clusters/e2e-workload' } }], contexts: [{ name: 'e2e-workload', context: { cluster: 'e2e-workload', user: 'sa' } }], users: [{ name: 'sa', user: { token: 't' } }] };

/** An HTTPS stand-in of the proxy refusing /kubeconfig `refusals` times, then answering it. */
async function proxy(t: { after: (fn: () => void) => void }, refusals: number): Promise<{ port: number; caPem: string; asked: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-proxy-reload-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'),
    '-days', '1', '-subj', '/CN=proxy', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const caPem = readFileSync(join(dir, 'c'), 'utf8');
  let asked = 0;
  const server = https.createServer({ cert: caPem, key: readFileSync(join(dir, 'k')) }, (_req, res) => {
    asked++;
    if (asked <= refusals) { res.writeHead(403); res.end('{"message":"authorization failed"}'); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(KUBECONFIG));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  return { port: (server.address() as AddressInfo).port, caPem, asked: () => asked };
}

/** The management cluster's API calls proxyKubeconfigFor makes, answered in memory. */
function mgmt(port: number): ClusterClient {
  return {
    name: 'e2e-mgmt',
    core: {
      createNamespacedServiceAccount: async () => ({}),
      createNamespacedServiceAccountToken: async () => ({ status: { token: 'suite-token' } }),
      readNamespacedService: async () => ({ metadata: { annotations: { 'lattice-sim.dev/auth-proxy-port': String(port) } }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } }),
    },
    custom: { createNamespacedCustomObject: async () => ({}) },
  } as unknown as ClusterClient;
}

test('a 403 while the fresh permit is being loaded is waited out', async (t) => {
  const p = await proxy(t, 2);
  const path = join(mkdtempSync(join(tmpdir(), 'auth-proxy-out-')), 'kc');
  await proxyKubeconfigFor({ mgmt: mgmt(p.port), cluster: 'e2e-workload', path, runId: 'r', caPem: p.caPem, timeoutMs: 20_000, intervalMs: 20 });
  assert.equal(p.asked(), 3);
  assert.match(readFileSync(path, 'utf8'), /server: https:\/\/p\/clusters\/e2e-workload/);
});

test('a 403 that outlasts the reload fails naming the policy', async (t) => {
  const p = await proxy(t, Number.MAX_SAFE_INTEGER);
  const path = join(mkdtempSync(join(tmpdir(), 'auth-proxy-out-')), 'kc');
  await assert.rejects(
    proxyKubeconfigFor({ mgmt: mgmt(p.port), cluster: 'e2e-workload', path, runId: 'r', caPem: p.caPem, timeoutMs: 60_000, intervalMs: 500 }),
    (err: Error) => /answered 403/.test(err.message) && /lattice-acceptance-cluster-access/.test(`${err.message} ${(err as { hint?: string }).hint ?? ''}`),
  );
});
