import { withRetry, type ClusterClient } from '../kube/index.js';

interface Manifest { kind: string; metadata: { name: string; namespace?: string } }

const PLURAL: Record<string, string> = { LatticeService: 'latticeservices', LatticeExternalService: 'latticeexternalservices' };

/** Creates LatticeServices / LatticeExternalServices, batch by batch (deepest tier first). */
export async function applyLatticeObjects(client: ClusterClient, batches: readonly (readonly Manifest[])[], log: (l: string) => void): Promise<void> {
  for (const batch of batches) {
    await Promise.all(batch.map(async (m) => {
      const plural = PLURAL[m.kind];
      if (!plural || !m.metadata.namespace) throw new Error(`cannot apply ${m.kind} ${m.metadata.name}: not a namespaced Lattice kind`);
      await withRetry(`POST ${plural}/${m.metadata.name}`, () => client.custom.createNamespacedCustomObject({
        group: 'lattice.dev', version: 'v1alpha1', namespace: m.metadata.namespace!, plural, body: m,
      }));
    }));
    log(`applied ${batch.map((m) => m.metadata.name).join(', ')}`);
  }
}
