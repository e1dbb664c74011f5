/**
 * The platform's policies a scenario needs (CedarPolicy objects in lattice-system), shared by
 * everything the run deploys on a cluster at the same time: every holder makes sure its policies
 * exist (a cluster of the same name may have been made anew since, or a holder never released),
 * and a policy is deleted when its last holder releases it, so the mesh and the media stack deployed
 * in parallel never pull a baseline permit from under each other. Objects carry the run-id label,
 * so a killed run's leftovers are found by the next run's sweep.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isNotFound, withRetry, type ClusterClient } from '../kube/index.js';
import type { LatticeObject } from '../versions/service-spelling.js';

const PLURAL: Record<string, string> = { CedarPolicy: 'cedarpolicies' };

interface Held { users: number }
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
    // Held already, or left by a run that was killed: keep it when it says the same, else take it over.
    const current = await withRetry(`GET ${ref.plural}/${o.metadata.name}`, () => client.custom.getNamespacedCustomObject({ ...ref, name: o.metadata.name })) as { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
    if (JSON.stringify(current.spec) === JSON.stringify(o.spec) && JSON.stringify(current.metadata?.labels) === JSON.stringify(o.metadata.labels)) return;
    await withRetry(`PATCH ${ref.plural}/${o.metadata.name}`, () => client.custom.patchNamespacedCustomObject({ ...ref, name: o.metadata.name, body: { metadata: { labels: o.metadata.labels }, spec: o.spec } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
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
      const h = held.get(k);
      if (h) h.users++; else held.set(k, { users: 1 });
      mine.push(p);
      await create(client, p);
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

/** Releases of holds made without a cleanup stack; the scenario's end releases them (step-definitions/mesh.steps.ts). */
const unclaimed: Array<{ label: string; release: () => Promise<void> }> = [];

export function releaseAtScenarioEnd(label: string, release: () => Promise<void>): void {
  unclaimed.push({ label, release });
}

/** Runs every unclaimed release; resolves with one line per failure (a cluster already gone, say). */
export async function releaseUnclaimedHolds(): Promise<string[]> {
  const failures: string[] = [];
  for (const { label, release } of unclaimed.splice(0).reverse()) {
    await release().catch((e: unknown) => failures.push(`${label}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
  }
  return failures;
}
