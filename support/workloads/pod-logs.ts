import type { ClusterClient } from '../kube/index.js';
import { podsOf } from './pods.js';

/** The recent log of every pod of each service (a restarted pod's old log is gone, as on Kubernetes). */
export async function readServiceLogs(client: ClusterClient, namespace: string, services: readonly string[], tailLines: number): Promise<string[]> {
  const texts: string[] = [];
  await Promise.all(services.map(async (svc) => {
    for (const pod of await podsOf(client, namespace, svc)) {
      try {
        const log = await client.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'main', tailLines });
        texts.push(String(log));
      } catch { /* a pod still starting has no log yet */ }
    }
  }));
  return texts;
}
