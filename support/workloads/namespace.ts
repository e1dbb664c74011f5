import { isNotFound, waitForAbsent, withRetry, RUN_ID_LABEL, type ClusterClient } from '../kube/index.js';

/** Creates a namespace labelled with the run id; an existing one is reused (and relabelled). */
export async function ensureNamespace(client: ClusterClient, name: string, runId: string): Promise<void> {
  const labels = { [RUN_ID_LABEL]: runId };
  try {
    await withRetry(`POST namespaces/${name}`, () => client.core.createNamespace({ body: { metadata: { name, labels } } }));
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    const { setHeaderOptions, PatchStrategy } = await import('@kubernetes/client-node');
    await client.core.patchNamespace({ name, body: { metadata: { labels } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }
}

/** Deletes a namespace and waits until it is gone; a namespace already gone is fine. */
export async function deleteNamespaceAndWait(client: ClusterClient, name: string, wait: { timeoutMs: number; intervalMs: number }): Promise<void> {
  try {
    await withRetry(`DELETE namespaces/${name}`, () => client.core.deleteNamespace({ name }));
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  await waitForAbsent({ client, path: '/api/v1/namespaces', name, resource: `namespace ${name} on ${client.name}`, ...wait });
}
