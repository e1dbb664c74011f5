/**
 * When is a root cluster's cloud infrastructure gone? A root (the management cluster) has no parent
 * holding its CAPI Cluster: `lattice uninstall` moves the CAPI objects into a temporary kind cluster
 * (`lattice-uninstall`), deletes the CAPI Cluster there and deletes that kind cluster (lattice-facts
 * §3). So, seen from here: the cluster's API no longer answers, and neither the bootstrap nor the
 * uninstall kind cluster has a container left.
 */
import { ApiException } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { WaitAbortedError, WaitTimeoutError } from '../errors.js';
import { openCluster } from '../kube/clients.js';
import { openGet } from '../kube/raw-request.js';
import { pauseUnlessAborted } from '../timers.js';

export interface ApiAnswer { answers: boolean; seen: string }

/** Any HTTP reply, even 401/403/500, means something still serves the API; no reply means gone. */
export async function apiAnswers(kubeconfigPath: string, timeoutMs: number): Promise<ApiAnswer> {
  if (!existsSync(kubeconfigPath)) return { answers: true, seen: `its kubeconfig ${kubeconfigPath} is missing, so its API cannot be asked` };
  const client = openCluster(kubeconfigPath);
  const server = client.kc.getCurrentCluster()?.server ?? '?';
  try {
    const { close } = await openGet(client, { path: '/version', accept: 'application/json', signal: AbortSignal.timeout(timeoutMs) });
    close();
    return { answers: true, seen: `API ${server} answers` };
  } catch (err) {
    if (err instanceof ApiException) return { answers: true, seen: `API ${server} answers HTTP ${err.code}` };
    const e = err as NodeJS.ErrnoException;
    const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no reply within ${timeoutMs} ms` : (e.code ?? e.message.split('\n')[0]);
    return { answers: false, seen: `API ${server} does not answer (${why})` };
  }
}

export interface RootGoneInput {
  cluster: string;
  /** Names the cluster in messages; default `root cluster <name>`. */
  role?: string;
  /** The cluster's own kubeconfig. */
  kubeconfigPath: string;
  /** The kind clusters `lattice install`/`uninstall` use (none for a child whose parent is gone). */
  kindClusters: readonly string[];
  /** Containers of those kind clusters still present. */
  kindContainers: (clusters: readonly string[]) => Promise<string[]>;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/** How long one ask of an API may take: fixed per wait, never cut by what is left of it (a cut-short ask would pass for "no reply"). */
export const askTimeoutMs = (waitMs: number): number => Math.min(5_000, Math.max(1_000, waitMs));

/** Resolves once the cluster's API gives no reply and no kind cluster container is left; times out naming what remains. */
export async function waitForRootInfrastructureGone(input: RootGoneInput): Promise<void> {
  const resource = `infrastructure of ${input.role ?? 'root cluster'} ${input.cluster}`;
  const condition = `gone (its API gives no reply${input.kindClusters.length ? `, kind clusters ${input.kindClusters.join(', ')} have no container` : ''})`;
  const deadline = Date.now() + input.timeoutMs;
  // A machine that is gone often drops packets rather than refusing: each ask is bounded.
  const askMs = askTimeoutMs(input.timeoutMs);
  let last = 'not checked yet';
  for (;;) {
    if (input.signal?.aborted) throw new WaitAbortedError(`wait for ${resource} was cancelled; last seen: ${last}`);
    const api = await apiAnswers(input.kubeconfigPath, askMs);
    let kind = '';
    let kindGone = true;
    if (input.kindClusters.length) {
      try {
        const containers = await input.kindContainers(input.kindClusters);
        kindGone = containers.length === 0;
        kind = kindGone ? '; no kind cluster container' : `; kind containers left: ${containers.join(', ')}`;
      } catch (err) {
        kindGone = false;
        kind = `; kind containers not listed (${(err as Error).message.split('\n')[0]})`;
      }
    }
    last = `${api.seen}${kind}`;
    if (!api.answers && kindGone) return;
    if (Date.now() >= deadline) throw new WaitTimeoutError(resource, condition, last, input.timeoutMs);
    await pauseUnlessAborted(Math.min(input.intervalMs, Math.max(1, deadline - Date.now())), input.signal);
  }
}
