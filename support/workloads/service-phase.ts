/**
 * Lattice writes a LatticeService's phase Failed with the reason when it refuses to compile it
 * (2026-01 and 2026-04 alike; 2026-04 also for a missing Cedar permit, docs §5.3-§5.4). No pod
 * will come, so a wait for pods ends at once with that reason instead of timing out.
 */
import { SuiteError } from '../errors.js';
import { waitFor, withRetry, type ClusterClient } from '../kube/index.js';
import { pauseUnlessAborted } from '../timers.js';

interface ServiceStatusObj { metadata?: { name?: string }; status?: { phase?: string; message?: string } }

/** The Failed services of a namespace with their messages. */
export async function failedServices(client: ClusterClient, namespace: string): Promise<Array<{ name: string; message: string }>> {
  const list = await withRetry(`LIST latticeservices in ${namespace}`, () => client.custom.listNamespacedCustomObject({ group: 'lattice.dev', version: 'v1alpha1', namespace, plural: 'latticeservices' })) as { items?: ServiceStatusObj[] };
  return (list.items ?? []).filter((s) => s.status?.phase === 'Failed').map((s) => ({ name: s.metadata?.name ?? '?', message: s.status?.message ?? 'no message' }));
}

/** Never resolves: rejects as soon as a LatticeService of the namespace is Failed; stops quietly when aborted. */
export async function failOnFailedServices(client: ClusterClient, namespace: string, opts: { intervalMs: number; signal: AbortSignal }): Promise<never> {
  while (!opts.signal.aborted) {
    const failed = await failedServices(client, namespace).catch(() => []);
    if (failed.length && !opts.signal.aborted) {
      throw new SuiteError(`Lattice refused ${failed.length} LatticeService(s) in ${namespace} on ${client.name}: ${failed.map((f) => `${f.name}: ${f.message}`).join('; ')}`,
        'a refusal names what is missing (a declaration, or a platform permit the scenario must state)');
    }
    await pauseUnlessAborted(opts.intervalMs, opts.signal);
  }
  return new Promise<never>(() => {});
}

interface LatticeServiceItem { metadata?: { name?: string }; status?: { phase?: string; message?: string } }

/**
 * Waits until `count` LatticeServices of the namespace report phase Ready, as upstream's 2026-04
 * e2e does before judging traffic (mesh_helpers.rs:423-500; mesh_tests.rs:262 at b5d50e90); a
 * Failed one ends the wait at once with Lattice's message.
 */
export async function waitForServicesReady(client: ClusterClient, namespace: string, count: number, wait: { timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<void> {
  await waitFor<LatticeServiceItem>({
    client, path: `/apis/lattice.dev/v1alpha1/namespaces/${namespace}/latticeservices`,
    resource: `LatticeServices in ${namespace} on ${client.name}`, conditionText: `${count} Ready`,
    timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs, ...(wait.signal ? { signal: wait.signal } : {}),
    condition: (items) => items.filter((s) => s.status?.phase === 'Ready').length >= count,
    failIf: (s) => (s.status?.phase === 'Failed' ? `Lattice refused LatticeService ${namespace}/${s.metadata?.name}: ${s.status.message ?? 'no message'}` : undefined),
    describe: (items) => (items ? `${items.filter((s) => s.status?.phase === 'Ready').length}/${count} Ready; ${items.filter((s) => s.status?.phase !== 'Ready').slice(0, 5).map((s) => `${s.metadata?.name}=${s.status?.phase ?? 'no status'}`).join(', ') || 'none waiting'}` : 'not listed yet'),
  });
}
