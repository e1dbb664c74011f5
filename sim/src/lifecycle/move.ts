/** `clusterctl move` in-process: export a cluster's CAPI namespace and import it elsewhere. */
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { capiNamespace } from './names.js';
import { ensureNamespace, portable } from './objects.js';

const apiVersionOf = (t: { group: string; version: string }) => (t.group ? `${t.group}/${t.version}` : t.version);

function movable(t: { group: string; kind: string; namespaced: boolean }): boolean {
  return t.namespaced && (t.group.endsWith('cluster.x-k8s.io') || (t.group === '' && (t.kind === 'Secret' || t.kind === 'ConfigMap')));
}

/** One served version per resource: every version of a resource reads the same stored objects. */
function movableTypes(store: ObjectStore) {
  const seen = new Set<string>();
  return store.types().filter((t) => {
    const key = `${t.group}/${t.plural}`;
    if (!movable(t) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every CAPI object (and secret) of `capi-<cluster>`, stripped of server-owned metadata. */
export function exportCapi(store: ObjectStore, cluster: string): KubeObject[] {
  const namespace = capiNamespace(cluster);
  const out: KubeObject[] = [];
  for (const t of movableTypes(store)) {
    out.push(...store.list(apiVersionOf(t), t.kind, { namespace }).items.map(portable));
  }
  return out;
}

/** Creates or overwrites the objects in `capi-<cluster>`, status included. */
export function importCapi(store: ObjectStore, cluster: string, objects: KubeObject[]): void {
  ensureNamespace(store, capiNamespace(cluster));
  for (const o of objects) store.apply({ ...portable(o), metadata: { ...portable(o).metadata, namespace: capiNamespace(cluster) } });
}

/** Removes the moved objects from the source, finalizers first, as `clusterctl move` does. */
export function deleteMovedCapi(store: ObjectStore, cluster: string): void {
  const namespace = capiNamespace(cluster);
  for (const t of movableTypes(store)) {
    for (const o of store.list(apiVersionOf(t), t.kind, { namespace }).items) {
      if (o.metadata.finalizers?.length) store.update({ ...o, metadata: { ...o.metadata, finalizers: [] } });
      store.delete(apiVersionOf(t), t.kind, o.metadata.name, namespace);
    }
  }
}
