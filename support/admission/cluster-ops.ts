/** Creating bad specs, changing a cluster's parentConfig, and checking what is left. */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { getLatticeCluster, isNotFound, type ClusterClient } from '../kube/index.js';
import type { BadSpec } from './bad-specs.js';
import { refusalOf, type Refusal } from './refusal.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const G = { group: 'lattice.dev', version: 'v1alpha1' };

function ref(spec: BadSpec) {
  const m = spec.manifest as { metadata: { name: string; namespace?: string } };
  return spec.kind === 'LatticeCluster'
    ? { ...G, plural: 'latticeclusters', name: m.metadata.name }
    : { ...G, plural: 'latticeservices', name: m.metadata.name, namespace: m.metadata.namespace! };
}

/** Sends the create; the refusal, or undefined when the server took it (no retry: a refusal is the answer). */
export async function createExpectingRefusal(client: ClusterClient, spec: BadSpec): Promise<Refusal | undefined> {
  const r = ref(spec);
  try {
    if ('namespace' in r) await client.custom.createNamespacedCustomObject({ ...r, body: spec.manifest });
    else await client.custom.createClusterCustomObject({ ...r, body: spec.manifest });
    return undefined;
  } catch (err) {
    return refusalOf(err);
  }
}

/** Whether the object exists now (a failing read is an error, never "absent"). */
export async function exists(client: ClusterClient, spec: BadSpec): Promise<boolean> {
  const r = ref(spec);
  try {
    if ('namespace' in r) await client.custom.getNamespacedCustomObject(r);
    else await client.custom.getClusterCustomObject(r);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Deletes what a faulty admission let in (clean-up); absent is fine. */
export async function removeIfPresent(client: ClusterClient, spec: BadSpec): Promise<void> {
  const r = ref(spec);
  try {
    if ('namespace' in r) await client.custom.deleteNamespacedCustomObject(r);
    else await client.custom.deleteClusterCustomObject(r);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function parentConfigOf(client: ClusterClient, cluster: string): Promise<Obj | undefined> {
  const c = await getLatticeCluster(client, cluster);
  if (!c) throw new Error(`LatticeCluster ${cluster} is not on ${client.name}`);
  return (c.spec as Obj | undefined)?.parentConfig as Obj | undefined;
}

/**
 * The two changes upstream tries (integration/webhook.rs:487-540): another gRPC port, and
 * parentConfig set to null by a merge patch. Returns the refusal, or undefined when accepted.
 */
export async function changeParentConfig(client: ClusterClient, cluster: string, how: 'changed' | 'removed'): Promise<Refusal | undefined> {
  const current = await parentConfigOf(client, cluster);
  if (!current) throw new Error(`LatticeCluster ${cluster} on ${client.name} has no parentConfig to change`);
  const grpc = Number(current.grpcPort ?? 50051);
  const body = how === 'removed' ? { spec: { parentConfig: null } } : { spec: { parentConfig: { grpcPort: grpc === 9999 ? 9998 : 9999 } } };
  try {
    await client.custom.patchClusterCustomObject({ ...G, plural: 'latticeclusters', name: cluster, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    return undefined;
  } catch (err) {
    return refusalOf(err);
  }
}

/** Puts back a parentConfig a faulty admission let change (clean-up). */
export async function restoreParentConfig(client: ClusterClient, cluster: string, parentConfig: Obj): Promise<void> {
  await client.custom.patchClusterCustomObject({ ...G, plural: 'latticeclusters', name: cluster, body: { spec: { parentConfig } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}
