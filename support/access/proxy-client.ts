/**
 * Calls through the auth proxy as a service account: a bearer token minted by the management
 * cluster (TokenRequest), never the cluster's admin credentials. TLS: the proxy's certificate is
 * signed by the cell CA, which a client learns only from the proxy's own /kubeconfig; these
 * scenarios judge authorization, so they do not verify it (as `lattice login --insecure`, docs §4.3).
 */
import * as https from 'node:https';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { openCluster, withRetry, writeKubeconfigFile, type ClusterClient } from '../kube/index.js';
import { CELL_NAMESPACE, CELL_SERVICE, clusterPath, proxyBaseUrl, type CellServiceView } from './proxy-endpoint.js';
import { waitFor } from '../kube/index.js';

export interface ProxyAnswer { status: number; body: string }

/** Waits for the management cluster's lattice-cell Service to have an address; returns the proxy's base URL. */
export async function findProxy(mgmt: ClusterClient, wait: { timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<string> {
  const svc = await waitFor<CellServiceView & { metadata?: { name?: string } }>({
    client: mgmt, path: `/api/v1/namespaces/${CELL_NAMESPACE}/services`, name: CELL_SERVICE,
    resource: `Service ${CELL_NAMESPACE}/${CELL_SERVICE} on ${mgmt.name}`, conditionText: 'given a load-balancer address', ...wait,
    condition: (s) => proxyBaseUrl(s) !== undefined,
    describe: (s) => (s ? `ingress ${JSON.stringify(s.status?.loadBalancer?.ingress ?? [])}` : 'absent'),
  });
  return proxyBaseUrl(svc)!;
}

/** Creates the service account (kept if it exists) and mints a token for it. */
export async function serviceAccountToken(client: ClusterClient, namespace: string, name: string): Promise<string> {
  try {
    await withRetry(`POST serviceaccounts/${name}`, () => client.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, namespace } } }));
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
  const tr = await withRetry(`POST serviceaccounts/${name}/token`, () => client.core.createNamespacedServiceAccountToken({
    namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } },
  }));
  const token = tr.status?.token;
  if (!token) throw new Error(`the TokenRequest for ${namespace}/${name} on ${client.name} returned no token`);
  return token;
}

/** One GET through the proxy as the token's owner. */
export function proxyGet(base: string, token: string, cluster: string, apiPath: string, timeoutMs = 15_000): Promise<ProxyAnswer> {
  const url = new URL(base + clusterPath(cluster, apiPath));
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'GET', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}

/** A kubeconfig whose server is `<proxy>/clusters/<cluster>` and whose user is the token; a client on it. */
export async function proxiedClient(input: { base: string; token: string; cluster: string; workDir: string; who: string }): Promise<ClusterClient> {
  const name = `${input.cluster}-via-proxy-as-${input.who}`;
  const doc = {
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{ name, cluster: { server: input.base + clusterPath(input.cluster), 'insecure-skip-tls-verify': true } }],
    users: [{ name: input.who, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: input.who } }],
  };
  const path = await writeKubeconfigFile(join(input.workDir, `${name}.kubeconfig`), yaml.dump(doc));
  return openCluster(path, `${input.cluster} through the proxy as ${input.who}`);
}
