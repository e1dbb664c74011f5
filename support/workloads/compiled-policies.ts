/**
 * The policy objects Lattice compiled for a service, found the way the version names them
 * (ServiceSpelling.compiledPolicyQuery): by their fixed names at 2026-01 (`policy-<svc>`,
 * `allow-to-<svc>`, ...), by their controller owner `LatticeMeshMember <svc>` at 2026-04, whose
 * names are hashes (docs/LATTICE-2026-04.md §6; mm/controller.rs:395-404). Istio kinds are read at
 * v1beta1, which Istio serves next to v1 for the same objects (b5d50e90 writes v1, 1236706e mostly v1beta1).
 */
import { isNotFound, withRetry, type ClusterClient } from '../kube/index.js';
import type { PolicyObjectQuery } from '../versions/service-spelling.js';

const API: Record<string, { group: string; version: string; plural: string }> = {
  CiliumNetworkPolicy: { group: 'cilium.io', version: 'v2', plural: 'ciliumnetworkpolicies' },
  AuthorizationPolicy: { group: 'security.istio.io', version: 'v1beta1', plural: 'authorizationpolicies' },
  ServiceEntry: { group: 'networking.istio.io', version: 'v1beta1', plural: 'serviceentries' },
};

interface Owned { metadata?: { name?: string; ownerReferences?: Array<{ kind?: string; name?: string; controller?: boolean }> } }

export interface CompiledPolicy { kind: string; name: string }

function apiOf(kind: string): { group: string; version: string; plural: string } {
  const api = API[kind];
  if (!api) throw new Error(`no API known for policy kind ${kind}`);
  return api;
}

export async function compiledPolicies(client: ClusterClient, query: PolicyObjectQuery): Promise<CompiledPolicy[]> {
  if (query.by === 'name') {
    const found = await Promise.all(query.names.map(async ({ kind, namespace, name }) => {
      try {
        await withRetry(`GET ${apiOf(kind).plural}/${name}`, () => client.custom.getNamespacedCustomObject({ ...apiOf(kind), namespace, name }));
        return [{ kind, name }];
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }));
    return found.flat();
  }
  const lists = await Promise.all(query.kinds.map(async (kind) => {
    const list = await withRetry(`LIST ${apiOf(kind).plural} in ${query.namespace}`, () => client.custom.listNamespacedCustomObject({ ...apiOf(kind), namespace: query.namespace })) as { items?: Owned[] };
    return (list.items ?? [])
      .filter((o) => (o.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.kind === query.ownerKind && r.name === query.ownerName))
      .map((o) => ({ kind, name: o.metadata?.name ?? '?' }));
  }));
  return lists.flat();
}
