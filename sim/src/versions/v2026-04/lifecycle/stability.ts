/**
 * `is_cluster_stable` (lattice-capi/src/client.rs:470-520): the CAPI Cluster `<name>` exists and is
 * `Provisioned`, and no Machine of the cluster is `Provisioning`, `Pending` or `Deleting`.
 */
import type { ObjectStore } from '../../../apiserver/types.js';
import { capiNamespace } from '../../../lifecycle/names.js';

const CAPI_API = 'cluster.x-k8s.io/v1beta2';

export function isCapiStable(store: ObjectStore, name: string): boolean {
  const ns = capiNamespace(name);
  if (store.get(CAPI_API, 'Cluster', name, ns)?.status?.phase !== 'Provisioned') return false;
  const machines = store.list(CAPI_API, 'Machine', { namespace: ns, labelSelector: `cluster.x-k8s.io/cluster-name=${name}` }).items;
  return !machines.some((m) => ['Provisioning', 'Pending', 'Deleting'].includes(m.status?.phase));
}
