/**
 * How the run reaches a child cluster's API from here, as its Lattice version hands it out
 * (support/versions AccessSpelling): at 2026-01 the provider's way (Docker: the admin kubeconfig;
 * clouds: the parent's CAPI secret captured before the pivot); at 2026-04 a cloud child through the
 * management cluster's auth proxy (the CAPI secret only names the in-cluster proxy URL). Docker
 * children keep their admin kubeconfig at both versions: the independence scenario reaches a child
 * after its parent, and with it the proxy, is gone.
 */
import { join } from 'node:path';
import { openCluster, proxyKubeconfigFor } from '../kube/index.js';
import type { ProviderKind } from '../providers/types.js';
import type { RunContext } from '../run/run-context.js';

/** Whether the run reaches a child of this provider through the auth proxy. */
export function reachedThroughProxy(run: Pick<RunContext, 'spelling'>, provider: ProviderKind): boolean {
  return run.spelling.access.childKubeconfig === 'auth-proxy' && provider !== 'docker';
}

/** A kubeconfig for `cluster` through the management cluster's auth proxy (written under the run's folder). */
export async function kubeconfigThroughProxy(run: RunContext, cluster: string, signal?: AbortSignal): Promise<string> {
  const mgmt = run.clusters.require('management');
  const client = openCluster(mgmt.kubeconfigPath!, mgmt.name);
  const caData = client.kc.getCurrentCluster()?.caData;
  const wait = run.config.waits.clusterPhase;
  return proxyKubeconfigFor({
    mgmt: client, cluster, path: join(run.config.workDir, `${cluster}.kubeconfig`), runId: run.config.runId,
    ...(caData ? { caPem: Buffer.from(caData, 'base64').toString('utf8') } : {}),
    timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, ...(signal ? { signal } : {}),
  });
}
