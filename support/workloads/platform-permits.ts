/**
 * The platform's policies a scenario needs (CedarPolicy objects in lattice-system), shared by
 * everything the run deploys on a cluster at the same time: a policy is created by its first user
 * and deleted when its last user releases it, so the mesh and the media stack deployed in parallel
 * never pull a baseline permit from under each other. Objects carry the run-id label, so a killed
 * run's leftovers are found by the next run's sweep.
 */
import { isNotFound, withRetry, type ClusterClient } from '../kube/index.js';
import type { LatticeObject } from '../versions/service-spelling.js';

const PLURAL: Record<string, string> = { CedarPolicy: 'cedarpolicies' };

interface Held { users: number; ready: Promise<void> }
const held = new Map<string, Held>();

const keyOf = (client: ClusterClient, o: LatticeObject): string => `${client.name}\u0000${o.metadata.namespace}\u0000${o.kind}\u0000${o.metadata.name}`;

function pluralOf(o: LatticeObject): string {
  const plural = PLURAL[o.kind];
  if (!plural || !o.metadata.namespace) throw new Error(`cannot apply ${o.kind} ${o.metadata.name}: not a namespaced platform policy kind`);
  return plural;
}

async function create(client: ClusterClient, o: LatticeObject): Promise<void> {
  const ref = { group: 'lattice.dev', version: 'v1alpha1', namespace: o.metadata.namespace!, plural: pluralOf(o) };
  try {
    await withRetry(`POST ${ref.plural}/${o.metadata.name}`, () => client.custom.createNamespacedCustomObject({ ...ref, body: o, fieldValidation: 'Strict' }));
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    // Left by a run that was killed: take it over with this run's content.
    const current = await withRetry(`GET ${ref.plural}/${o.metadata.name}`, () => client.custom.getNamespacedCustomObject({ ...ref, name: o.metadata.name })) as { metadata?: { resourceVersion?: string } };
    await withRetry(`PUT ${ref.plural}/${o.metadata.name}`, () => client.custom.replaceNamespacedCustomObject({ ...ref, name: o.metadata.name, body: { ...o, metadata: { ...o.metadata, resourceVersion: current.metadata?.resourceVersion } } }));
  }
}

async function remove(client: ClusterClient, o: LatticeObject): Promise<void> {
  const ref = { group: 'lattice.dev', version: 'v1alpha1', namespace: o.metadata.namespace!, plural: pluralOf(o) };
  try {
    await withRetry(`DELETE ${ref.plural}/${o.metadata.name}`, () => client.custom.deleteNamespacedCustomObject({ ...ref, name: o.metadata.name }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Makes sure the policies exist; returns the release that deletes those no other user still holds. */
export async function holdPlatformPolicies(client: ClusterClient, policies: readonly LatticeObject[], log: (l: string) => void): Promise<() => Promise<void>> {
  const mine: LatticeObject[] = [];
  try {
    for (const p of policies) {
      const k = keyOf(client, p);
      let h = held.get(k);
      if (h) h.users++;
      else {
        h = { users: 1, ready: create(client, p) };
        held.set(k, h);
        h.ready.catch(() => held.delete(k));
      }
      mine.push(p);
      await h.ready;
    }
  } catch (err) {
    await release(client, mine);
    throw err;
  }
  if (policies.length) log(`platform policies held: ${policies.map((p) => p.metadata.name).join(', ')}`);
  return () => release(client, mine);
}

async function release(client: ClusterClient, policies: readonly LatticeObject[]): Promise<void> {
  await Promise.all(policies.map(async (p) => {
    const k = keyOf(client, p);
    const h = held.get(k);
    if (!h) return;
    if (--h.users > 0) return;
    held.delete(k);
    await remove(client, p);
  }));
}
