/**
 * A child's copy in Pending at b5d50e90 first looks up the InfraProvider named by `spec.providerRef`
 * in lattice-system (cluster/phases/pending.rs:131-152; controller/kube_client.rs:427-437): missing,
 * or a non-Docker one without `credentials`, is a validation error returned from reconcile, so no
 * status is written and the reconcile is retried (controller/mod.rs:268-296). The parent hands its
 * InfraProviders to each child with the bootstrap manifests (lattice-cell/src/bootstrap/mod.rs:126-150).
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { portable } from '../../../lifecycle/objects.js';

const LATTICE_API = 'lattice.dev/v1alpha1';
const LATTICE_SYSTEM = 'lattice-system';

/** Why the child cannot provision yet (upstream's error Display), or undefined. */
export function infraProviderBlocker(store: ObjectStore, lc: KubeObject, provider: string): string | undefined {
  const ref = String(lc.spec?.providerRef ?? '');
  const ip = store.get(LATTICE_API, 'InfraProvider', ref, LATTICE_SYSTEM);
  if (!ip) return `validation error for unknown: InfraProvider '${ref}' not found`;
  if (provider !== 'docker' && ip.spec?.credentials == null) return `validation error for unknown: InfraProvider '${ref}' requires credentials for ${provider} provider`;
  return undefined;
}

/** The InfraProviders of lattice-system, as copies for a child's bootstrap manifests. */
export function distributableInfraProviders(store: ObjectStore): KubeObject[] {
  if (!store.typeOf(LATTICE_API, 'InfraProvider')) return [];
  return store.list(LATTICE_API, 'InfraProvider', { namespace: LATTICE_SYSTEM }).items.map((o) => { const c = portable(o); delete c.status; return c; });
}
