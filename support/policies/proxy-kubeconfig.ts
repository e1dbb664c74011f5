/**
 * The kubeconfig the management cluster's access point hands a caller (`GET /kubeconfig`): one
 * cluster and context per cluster the caller's AccessCluster permits allow, nothing else
 * (b5d50e90 lattice-api/src/kubeconfig.rs:124-262, filtered by Cedar at :131-145).
 */
import https from 'node:https';
import { SuiteError } from '../errors.js';

export interface ProxyKubeconfig { status: number; clusters: string[]; body: string }

/** The cluster names of a kubeconfig document (JSON, as the access point writes it). */
export function kubeconfigClusters(body: string): string[] {
  let doc: { clusters?: Array<{ name?: string }> };
  try { doc = JSON.parse(body) as typeof doc; } catch {
    throw new SuiteError(`the access point's /kubeconfig answer is not JSON: ${body.slice(0, 120)}`, 'check that the management cluster runs Lattice 2026-04\'s auth proxy');
  }
  return (doc.clusters ?? []).map((c) => c.name ?? '?').sort();
}

/** One GET of `<base>/kubeconfig?format=sa` as the token's owner. */
export function fetchProxyKubeconfig(base: string, token: string, timeoutMs = 15_000): Promise<ProxyKubeconfig> {
  const url = new URL(`${base}/kubeconfig?format=sa`);
  return new Promise((resolve, reject) => {
    // The cell CA is the management cluster's own; the suite trusts the TLS of its own lookup, as proxyGet.
    const req = https.request(url, { method: 'GET', headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        try { resolve({ status, body, clusters: status === 200 ? kubeconfigClusters(body) : [] }); } catch (e) { reject(e as Error); }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}
