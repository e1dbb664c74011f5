import type { ClusterClient } from '../kube/index.js';
import { serviceSelector } from './pods.js';

/** The recent log of every pod of the services, from one pod list (a restarted pod's old log is gone, as on Kubernetes). */
export async function readServiceLogs(client: ClusterClient, namespace: string, services: readonly string[], tailLines: number): Promise<string[]> {
  const pods = (await client.core.listNamespacedPod({ namespace, labelSelector: serviceSelector(services) })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const texts = await Promise.all(pods.map(async (pod) => {
    try {
      return String(await client.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'main', tailLines }));
    } catch {
      return undefined; // a pod still starting has no log yet
    }
  }));
  return texts.filter((t): t is string => t !== undefined);
}
