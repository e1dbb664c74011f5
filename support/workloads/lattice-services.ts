import { withRetry, type ClusterClient } from '../kube/index.js';
import { SuiteError } from '../errors.js';

interface Manifest { kind: string; metadata: { name: string; namespace?: string } }

const PLURAL: Record<string, string> = { LatticeService: 'latticeservices', LatticeExternalService: 'latticeexternalservices' };

/**
 * Creates LatticeServices / LatticeExternalServices, batch by batch (deepest tier first). Strict
 * field validation, as `kubectl apply` does by default: a field the cluster's Lattice schema does
 * not know is refused instead of silently pruned, so an object spelled for another API version
 * cannot pass for this one.
 */
export async function applyLatticeObjects(client: ClusterClient, batches: readonly (readonly Manifest[])[], log: (l: string) => void): Promise<void> {
  for (const batch of batches) {
    await Promise.all(batch.map(async (m) => {
      const plural = PLURAL[m.kind];
      if (!plural || !m.metadata.namespace) throw new Error(`cannot apply ${m.kind} ${m.metadata.name}: not a namespaced Lattice kind`);
      try {
        await withRetry(`POST ${plural}/${m.metadata.name}`, () => client.custom.createNamespacedCustomObject({
          group: 'lattice.dev', version: 'v1alpha1', namespace: m.metadata.namespace!, plural, body: m, fieldValidation: 'Strict',
        }));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/strict decoding error|unknown field/i.test(message)) {
          throw new SuiteError(`${m.kind} ${m.metadata.namespace}/${m.metadata.name} on ${client.name}: Lattice's schema refuses it: ${message.split('\n')[0]}`, 'spell the object for the cluster\'s Lattice API version (support/versions/)');
        }
        throw err;
      }
    }));
    log(`applied ${batch.map((m) => m.metadata.name).join(', ')}`);
  }
}
