/**
 * Reaching a child cluster at Lattice API 2026-04 as a platform engineer does (docs/LATTICE-2026-04.md
 * §7; sim/README.md "Reaching a child at 2026-04"): the parent's CAPI kubeconfig secret points at the
 * in-cluster proxy URL, so the child is reached through the management cluster's auth proxy
 * (lattice-cell, port 8082), as a ServiceAccount of the suite's own that a Cedar AccessCluster permit
 * the suite applies lets through (upstream's e2e does the same: integration/cedar.rs:95-114, 175-226).
 */
import * as https from 'node:https';
import * as yaml from 'js-yaml';
import { SuiteError, WaitTimeoutError } from '../errors.js';
import type { ClusterClient } from './clients.js';
import { writeKubeconfigFile } from './kubeconfig-file.js';
import { RUN_ID_LABEL } from './lattice-cluster.js';
import { KubeApiError, withRetry } from './retry.js';

export const LATTICE_SYSTEM = 'lattice-system';
/** The suite's identity on the proxy: `system:serviceaccount:lattice-system:lattice-acceptance`. */
export const SUITE_SERVICE_ACCOUNT = 'lattice-acceptance';
export const SUITE_ACCESS_POLICY = 'lattice-acceptance-cluster-access';
/** The auth-proxy port of the lattice-cell Service (lattice-common/src/lib.rs:53). */
export const AUTH_PROXY_PORT = 8082;
/** Where the embedded target says the proxy listens when it could not bind 8082 on the cell's address (sim/README.md). */
const PORT_ANNOTATION = 'lattice-sim.dev/auth-proxy-port';

export class AuthProxyError extends SuiteError {}

/** The Cedar text permitting the suite's ServiceAccount AccessCluster on every cluster (upstream's form, cedar.rs:95-114). */
export function accessPermit(serviceAccount = SUITE_SERVICE_ACCOUNT): string {
  return `permit(principal == Lattice::User::"system:serviceaccount:${LATTICE_SYSTEM}:${serviceAccount}", action == Lattice::Action::"AccessCluster", resource);`;
}

const alreadyExists = (err: unknown) => err instanceof KubeApiError && err.code === 409;

/** The suite's ServiceAccount and its AccessCluster permit on the management cluster (kept if present). */
export async function ensureSuiteAccess(mgmt: ClusterClient, runId: string): Promise<void> {
  const labels = { [RUN_ID_LABEL]: runId };
  try {
    await withRetry('POST serviceaccounts', () => mgmt.core.createNamespacedServiceAccount({ namespace: LATTICE_SYSTEM, body: { metadata: { name: SUITE_SERVICE_ACCOUNT, labels } } }));
  } catch (err) { if (!alreadyExists(err)) throw err; }
  try {
    await withRetry('POST cedarpolicies', () => mgmt.custom.createNamespacedCustomObject({
      group: 'lattice.dev', version: 'v1alpha1', namespace: LATTICE_SYSTEM, plural: 'cedarpolicies',
      body: {
        apiVersion: 'lattice.dev/v1alpha1', kind: 'CedarPolicy', metadata: { name: SUITE_ACCESS_POLICY, namespace: LATTICE_SYSTEM, labels },
        spec: { description: 'lattice-acceptance reaches the clusters it tests through the auth proxy', policies: accessPermit() },
      },
    }));
  } catch (err) { if (!alreadyExists(err)) throw err; }
}

/** A bearer token of the suite's ServiceAccount (TokenRequest, one hour). */
export async function suiteToken(mgmt: ClusterClient): Promise<string> {
  const tr = await withRetry('POST serviceaccounts/token', () => mgmt.core.createNamespacedServiceAccountToken({
    name: SUITE_SERVICE_ACCOUNT, namespace: LATTICE_SYSTEM, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3600 } },
  }));
  const token = tr.status?.token;
  if (!token) throw new AuthProxyError(`TokenRequest for ${LATTICE_SYSTEM}/${SUITE_SERVICE_ACCOUNT} on ${mgmt.name} returned no token`);
  return token;
}

/** `https://<lattice-cell load-balancer address>:<auth-proxy port>`, undefined while the Service has no address. */
export async function authProxyUrl(mgmt: ClusterClient): Promise<string | undefined> {
  const svc = await withRetry('GET services/lattice-cell', () => mgmt.core.readNamespacedService({ name: 'lattice-cell', namespace: LATTICE_SYSTEM }));
  const ingress = svc.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.ip ?? ingress?.hostname;
  if (!host) return undefined;
  const port = Number(svc.metadata?.annotations?.[PORT_ANNOTATION] ?? AUTH_PROXY_PORT);
  return `https://${host}:${port}`;
}

interface KubeconfigJson {
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
}

/** GET <proxy>/kubeconfig?format=sa with the token, trusting `caPem` (the cell CA). */
function fetchProxyKubeconfig(proxy: string, token: string, caPem: string | undefined, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL('/kubeconfig?format=sa', proxy), { method: 'GET', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, ...(caPem ? { ca: caPem } : {}), timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** One cluster's part of the proxy's kubeconfig, as YAML with that context current; undefined when it is not listed. */
export function kubeconfigForCluster(doc: KubeconfigJson, cluster: string): string | undefined {
  const ctx = doc.contexts?.find((c) => c.context.cluster === cluster) ?? doc.contexts?.find((c) => c.name === cluster);
  const entry = ctx && doc.clusters?.find((c) => c.name === ctx.context.cluster);
  const user = ctx && doc.users?.find((u) => u.name === ctx.context.user);
  if (!ctx || !entry || !user) return undefined;
  return yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: [entry], contexts: [ctx], users: [user], 'current-context': ctx.name }, { lineWidth: -1, noRefs: true });
}

export interface ProxyKubeconfigInput {
  mgmt: ClusterClient;
  /** The child to reach (any cluster below the management cluster, by name). */
  cluster: string;
  /** Where to write it (mode 0600). */
  path: string;
  runId: string;
  /** The management cluster's CA for the proxy (its --kubeconfig-out is the proxy kubeconfig at 2026-04, CA = cell CA). */
  caPem?: string;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/** How long a 401/403 right after the suite's permit was written is taken for the policy not loaded yet. */
const POLICY_RELOAD_GRACE_MS = 10_000;

/**
 * Writes a kubeconfig reaching `cluster` through the auth proxy and returns its path. Waits (bounded)
 * until the proxy has an address and lists the cluster for the suite; a 401/403 that outlasts the
 * policy reload grace ends it.
 */
export async function proxyKubeconfigFor(input: ProxyKubeconfigInput): Promise<string> {
  await ensureSuiteAccess(input.mgmt, input.runId);
  const token = await suiteToken(input.mgmt);
  const started = Date.now();
  const deadline = started + input.timeoutMs;
  let last = 'not asked yet';
  for (;;) {
    if (input.signal?.aborted) throw new AuthProxyError(`reaching ${input.cluster} through ${input.mgmt.name}'s auth proxy was cancelled`);
    const proxy = await authProxyUrl(input.mgmt);
    if (!proxy) last = `lattice-system/lattice-cell on ${input.mgmt.name} has no load-balancer address`;
    else {
      try {
        const res = await fetchProxyKubeconfig(proxy, token, input.caPem, Math.min(15_000, input.timeoutMs));
        if (res.status === 401 || res.status === 403) {
          // The permit was just written: Lattice's Cedar engine loads CedarPolicies from a watch, so a
          // refusal counts only once it outlasts that reload (cedar/engine.rs:476-520).
          last = `${proxy}/kubeconfig answered ${res.status}: ${res.body.slice(0, 120)}`;
          if (Date.now() - started < POLICY_RELOAD_GRACE_MS && Date.now() < deadline) { await new Promise((r) => setTimeout(r, input.intervalMs)); continue; }
          throw new AuthProxyError(`${proxy}/kubeconfig answered ${res.status} for ${LATTICE_SYSTEM}/${SUITE_SERVICE_ACCOUNT}: ${res.body.slice(0, 120)}`, `check the CedarPolicy ${LATTICE_SYSTEM}/${SUITE_ACCESS_POLICY} on ${input.mgmt.name}`);
        }
        if (res.status === 200) {
          const text = kubeconfigForCluster(JSON.parse(res.body) as KubeconfigJson, input.cluster);
          if (text) return writeKubeconfigFile(input.path, text);
          last = `${proxy}/kubeconfig does not list ${input.cluster} yet`;
        } else last = `${proxy}/kubeconfig answered ${res.status}`;
      } catch (err) {
        if (err instanceof AuthProxyError) throw err;
        last = `${proxy}/kubeconfig: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(`${input.cluster} through ${input.mgmt.name}'s auth proxy`, 'listed in /kubeconfig?format=sa for the suite', last, input.timeoutMs);
    await new Promise((r) => setTimeout(r, input.intervalMs));
  }
}
