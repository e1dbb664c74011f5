/**
 * The CedarPolicies upstream's infrastructure bootstrap applies on every 2026-04 cluster whose
 * LatticeCluster has `services` (skip_service_mesh = !services, lattice-infra bootstrap/mod.rs:301):
 * `kthena-router-wildcard`, `kthena-autoscaler-wildcard-outbound` and `proxy-cluster-access` in the
 * core phase (:470-490), `vmagent-wildcard-outbound` with monitoring on (:527-540), texts as
 * :948-1062 (names lattice-common/src/lib.rs:311-323). They are applied (created or brought back to
 * upstream's spec) once the cluster's own LatticeCluster is in its store; the mesh members the
 * same phases apply (ESO, Volcano, Kthena, KEDA, monitoring) are not played (sim/FIDELITY.md).
 */
import type { KubeObject, ObjectStore } from '../../../apiserver/types.js';
import { CEDAR_API, CEDAR_KIND, LATTICE_SYSTEM } from './policy-set.js';

const LATTICE_API = 'lattice.dev/v1alpha1';

export function bootstrapCedarPolicy(name: string, description: string, policies: string): KubeObject {
  return {
    apiVersion: CEDAR_API, kind: CEDAR_KIND, metadata: { name, namespace: LATTICE_SYSTEM },
    spec: { description, policies, priority: 0, enabled: true, propagate: true },
  };
}

const wildcard = (principal: string, direction: 'inbound' | 'outbound') => `permit(
    principal == Lattice::Service::"${principal}",
    action == Lattice::Action::"AllowWildcard",
    resource == Lattice::Mesh::"${direction}"
);`;

/** bootstrap/mod.rs:1036-1055 */
export const PROXY_CLUSTER_ACCESS = bootstrapCedarPolicy('proxy-cluster-access', 'Cluster access for lattice-operator peer route proxy', `permit(
    principal == Lattice::User::"system:serviceaccount:lattice-system:lattice-operator",
    action == Lattice::Action::"AccessCluster",
    resource
);`);

/** The core phase's three (bootstrap/mod.rs:477-488). */
const CORE = [
  bootstrapCedarPolicy('kthena-router-wildcard', 'Allow kthena-router wildcard outbound (model routing) and inbound (inference requests)',
    `${wildcard('kthena-system/kthena-router', 'outbound')}\n\n${wildcard('kthena-system/kthena-router', 'inbound')}`),
  bootstrapCedarPolicy('kthena-autoscaler-wildcard-outbound', 'Allow kthena-autoscaler wildcard outbound for model metrics scraping',
    wildcard('kthena-system/kthena-autoscaler', 'outbound')),
  PROXY_CLUSTER_ACCESS,
];
/** bootstrap/mod.rs:948-972 */
const VMAGENT = bootstrapCedarPolicy('vmagent-wildcard-outbound', 'Allow vmagent wildcard outbound for metrics scraping',
  wildcard('monitoring/vmagent-lattice-metrics', 'outbound'));

/** Which of them a cluster with this LatticeCluster spec gets (services and monitoring.enabled default true). */
export function bootstrapPoliciesFor(spec: Record<string, unknown> | undefined): KubeObject[] {
  if (spec?.services === false) return [];
  const monitoring = (spec?.monitoring as { enabled?: boolean } | undefined)?.enabled !== false;
  return monitoring ? [...CORE, VMAGENT] : CORE;
}

/** Server-side apply of upstream's manifest: created, or its spec set back to upstream's. */
export function applyCedarPolicy(store: ObjectStore, p: KubeObject): void {
  const cur = store.get(CEDAR_API, CEDAR_KIND, p.metadata.name, LATTICE_SYSTEM);
  if (!cur) { store.create(structuredClone(p)); return; }
  if (JSON.stringify(cur.spec) !== JSON.stringify(p.spec)) store.update({ ...cur, spec: structuredClone(p.spec) });
}

/** Applies the bootstrap's policies once the cluster's own LatticeCluster is in its store. */
export function seedBootstrapPolicies(store: ObjectStore, clusterName: string, signal: AbortSignal): void {
  if (!store.typeOf(CEDAR_API, CEDAR_KIND) || !store.typeOf(LATTICE_API, 'LatticeCluster')) return;
  let done = false;
  const trySeed = () => {
    if (done || signal.aborted) return;
    const own = store.get(LATTICE_API, 'LatticeCluster', clusterName);
    if (!own) return;
    done = true;
    unwatch();
    if (!store.get('v1', 'Namespace', LATTICE_SYSTEM)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LATTICE_SYSTEM } });
    for (const p of bootstrapPoliciesFor(own.spec)) applyCedarPolicy(store, p);
  };
  // Never write from inside a watch callback.
  const unwatch = store.watch(LATTICE_API, 'LatticeCluster', {}, () => setImmediate(trySeed));
  signal.addEventListener('abort', unwatch, { once: true });
  trySeed();
}
