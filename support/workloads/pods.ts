import type { V1Pod, V1Deployment } from '@kubernetes/client-node';
import { waitFor, type ClusterClient } from '../kube/index.js';

export const isPodReady = (p: V1Pod): boolean =>
  p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata?.deletionTimestamp;

function describePods(items: V1Pod[] | undefined): string {
  if (!items) return 'not listed yet';
  const notReady = items.filter((p) => !isPodReady(p)).map((p) => `${p.metadata?.name}=${p.status?.phase ?? '?'}`);
  return `${items.length - notReady.length}/${items.length} pods Ready${notReady.length ? `; not Ready: ${notReady.slice(0, 8).join(', ')}` : ''}`;
}

/** Waits until at least `atLeast` pods of the namespace are Running AND Ready (not just Running). */
export async function waitForReadyPods(client: ClusterClient, namespace: string, input: { atLeast: number; labelSelector?: string; timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<V1Pod[]> {
  const pods = await waitFor<V1Pod>({
    client, path: `/api/v1/namespaces/${namespace}/pods`,
    ...(input.labelSelector ? { labelSelector: input.labelSelector } : {}),
    resource: `pods in ${namespace} on ${client.name}`, conditionText: `at least ${input.atLeast} Ready`,
    timeoutMs: input.timeoutMs, intervalMs: input.intervalMs, ...(input.signal ? { signal: input.signal } : {}),
    condition: (items) => items.filter(isPodReady).length >= input.atLeast,
    describe: describePods,
  });
  return pods.filter(isPodReady);
}

export const isDeploymentAvailable = (d: V1Deployment): boolean =>
  (d.status?.replicas ?? 0) > 0 && (d.status?.availableReplicas ?? 0) >= (d.status?.replicas ?? 0) && (d.spec?.replicas === undefined || (d.status?.availableReplicas ?? 0) >= d.spec.replicas);

/** Waits until a Deployment has replicas and all of them available (facts §4.6). */
export async function waitForDeploymentAvailable(client: ClusterClient, namespace: string, name: string, wait: { timeoutMs: number; intervalMs: number }): Promise<V1Deployment> {
  return waitFor<V1Deployment>({
    client, path: `/apis/apps/v1/namespaces/${namespace}/deployments`, name,
    resource: `Deployment ${namespace}/${name} on ${client.name}`, conditionText: 'available',
    ...wait,
    condition: isDeploymentAvailable,
    describe: (d) => d ? `replicas=${d.status?.replicas ?? 0} available=${d.status?.availableReplicas ?? 0}` : 'absent',
  });
}

/** Selects the pods of these services (`app.kubernetes.io/name in (...)`). */
export const serviceSelector = (services: readonly string[]): string => `app.kubernetes.io/name in (${services.join(',')})`;

/** Pods of one service (`app.kubernetes.io/name=<svc>`), newest last. */
export async function podsOf(client: ClusterClient, namespace: string, service: string): Promise<V1Pod[]> {
  const list = await client.core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${service}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp)
    .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
}
