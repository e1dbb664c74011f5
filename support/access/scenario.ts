/**
 * The proxy-access scenarios' moves, each one call for a step: service accounts with tokens on the
 * management cluster, the platform's permit, calls through the proxy until the permit has reached it.
 */
import { pause } from '../kube/retry.js';
import { WaitTimeoutError } from '../errors.js';
import type { ClusterClient } from '../kube/index.js';
import { applyObject, deleteObject, deployServices, waitForServicePods, type Wait } from '../gates/cluster-ops.js';
import { curlContainer, idleScript, latticeService } from '../gates/lattice-service.js';
import { ensureNamespace } from '../workloads/namespace.js';
import { accessClusterPermit } from './permits.js';
import { proxyGet, serviceAccountToken, type ProxyAnswer } from './proxy-client.js';

/** Where the scenarios' service accounts live on the management cluster. */
export const ACCOUNTS_NAMESPACE = 'proxy-access';
/** Where the marker pod runs on the far cluster. */
export const HOPS_NAMESPACE = 'proxy-hops';
export const MARKER_SERVICE = 'marker';

export async function makeServiceAccounts(mgmt: ClusterClient, names: readonly string[], runId: string): Promise<Record<string, string>> {
  await ensureNamespace(mgmt, ACCOUNTS_NAMESPACE, runId);
  const tokens: Record<string, string> = {};
  for (const n of names) tokens[n] = await serviceAccountToken(mgmt, ACCOUNTS_NAMESPACE, n);
  return tokens;
}

/** Applies the permit; returns its removal for the clean-up stack. */
export async function permitAccess(mgmt: ClusterClient, input: { serviceAccount: string; cluster: string; runId: string }): Promise<() => Promise<void>> {
  const permit = accessClusterPermit({ namespace: ACCOUNTS_NAMESPACE, ...input });
  await applyObject(mgmt, permit);
  return () => deleteObject(mgmt, permit);
}

/**
 * GETs through the proxy until the answer is `until` (a new permit reaches the proxy's engine on
 * its next reload); any other answer at the deadline fails naming it.
 */
export async function proxyGetUntil(input: { base: string; token: string; cluster: string; path: string; until: number; wait: Wait }): Promise<ProxyAnswer> {
  const deadline = Date.now() + input.wait.timeoutMs;
  for (;;) {
    const a = await proxyGet(input.base, input.token, input.cluster, input.path);
    if (a.status === input.until || Date.now() >= deadline) {
      if (a.status !== input.until) throw new WaitTimeoutError(`GET ${input.path} on ${input.cluster} through the proxy`, `answered ${input.until}`, `HTTP ${a.status} ${a.body.slice(0, 200)}`, input.wait.timeoutMs);
      return a;
    }
    await pause(input.wait.intervalMs, input.wait.signal);
  }
}

/** A service whose pod prints `marker` and stays up (run by Lattice, as the target runs only what it compiled). */
export async function runMarkerPod(client: ClusterClient, input: { marker: string; runId: string; wait: Wait }): Promise<string> {
  const svc = latticeService({ name: MARKER_SERVICE, namespace: HOPS_NAMESPACE, runId: input.runId, container: curlContainer(idleScript(input.marker)) });
  await deployServices(client, HOPS_NAMESPACE, [svc], input.runId);
  const [pod] = await waitForServicePods(client, HOPS_NAMESPACE, MARKER_SERVICE, input.wait);
  return pod.metadata!.name!;
}
