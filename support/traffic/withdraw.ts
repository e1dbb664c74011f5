import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { waitFor, withRetry, type ClusterClient } from '../kube/index.js';

interface LatticeServiceObj { metadata: { name: string; generation?: number }; status?: { phase?: string; observedGeneration?: number } }

/**
 * Changes one `spec.resources` entry of a LatticeService (null removes it) and waits until Lattice
 * has compiled that generation (Ready, observedGeneration caught up). Returns when it did: traffic
 * from then on must follow the new declarations.
 */
export async function withdrawAndWaitCompiled(input: {
  client: ClusterClient; namespace: string; service: string; resourceKey: string; newEntry: unknown;
  wait: { timeoutMs: number; intervalMs: number }; log: (l: string) => void;
}): Promise<Date> {
  const { client, namespace, service } = input;
  const patched = await withRetry(`PATCH latticeservices/${service}`, () => client.custom.patchNamespacedCustomObject({
    group: 'lattice.dev', version: 'v1alpha1', namespace, plural: 'latticeservices', name: service,
    body: { spec: { resources: { [input.resourceKey]: input.newEntry } } },
  }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))) as LatticeServiceObj;
  const generation = patched.metadata.generation ?? 0;
  input.log(`${namespace}/${service}: resources.${input.resourceKey} ${input.newEntry === null ? 'removed' : `now ${JSON.stringify(input.newEntry)}`} (generation ${generation})`);
  await waitFor<LatticeServiceObj>({
    client, path: `/apis/lattice.dev/v1alpha1/namespaces/${namespace}/latticeservices`, name: service,
    resource: `LatticeService ${namespace}/${service} on ${client.name}`, conditionText: `compiled at generation ${generation}`, ...input.wait,
    condition: (s) => s.status?.phase === 'Ready' && (s.status?.observedGeneration ?? 0) >= generation,
    failIf: (s) => (s.status?.phase === 'Failed' && (s.status?.observedGeneration ?? 0) >= generation ? 'phase Failed' : undefined),
    describe: (s) => (s ? `phase ${s.status?.phase ?? 'none'}, observedGeneration ${s.status?.observedGeneration ?? '-'} of ${s.metadata.generation ?? '?'}` : 'absent'),
  });
  return new Date();
}
