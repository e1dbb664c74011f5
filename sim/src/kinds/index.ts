/**
 * Registers every kind a simulated Lattice cluster serves, and writes a CustomResourceDefinition
 * object for each non-built-in one so `kubectl get crds` shows what is installed.
 */
import type { KindSchema, KubeObject, ObjectStore, ResourceType } from '../apiserver/types.js';
import { CORE_KINDS } from './core.js';
import { CAPI_KINDS, MESH_KINDS } from './crds.js';
import {
  LATTICE_CLUSTER, LATTICE_CLUSTER_SCHEMA, LATTICE_EXTERNAL_SERVICE, LATTICE_EXTERNAL_SERVICE_SCHEMA, LATTICE_SERVICE, LATTICE_SERVICE_SCHEMA,
} from './lattice.js';
import { INTERNAL_API_VERSION, type ApiVersion } from '../versions/index.js';
import { LATTICE_KINDS_V2026_04, SCHEMAS_V2026_04 } from '../versions/v2026-04/kinds.js';

export { CORE_KINDS } from './core.js';
export { CAPI_KINDS, MESH_KINDS } from './crds.js';
export { LATTICE_CLUSTER, LATTICE_SERVICE, LATTICE_EXTERNAL_SERVICE } from './lattice.js';

export const LATTICE_KINDS: ResourceType[] = [LATTICE_CLUSTER, LATTICE_SERVICE, LATTICE_EXTERNAL_SERVICE];

/** The Lattice kinds a cluster of `version` serves. */
export function latticeKindsOf(version: ApiVersion): ResourceType[] {
  return version === '2026-04' ? LATTICE_KINDS_V2026_04 : LATTICE_KINDS;
}

function registerLatticeKinds(store: ObjectStore, version: ApiVersion): void {
  if (version === '2026-04') {
    const schemas: Record<string, KindSchema | undefined> = SCHEMAS_V2026_04;
    for (const k of LATTICE_KINDS_V2026_04) store.register(k, schemas[k.kind]);
    return;
  }
  store.register(LATTICE_CLUSTER, LATTICE_CLUSTER_SCHEMA);
  store.register(LATTICE_SERVICE, LATTICE_SERVICE_SCHEMA);
  store.register(LATTICE_EXTERNAL_SERVICE, LATTICE_EXTERNAL_SERVICE_SCHEMA);
}

/** The CustomResourceDefinition object describing `types` (all versions of one group/plural). */
export function crdObjectFor(types: ResourceType[]): KubeObject {
  const first = types[0];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${first.plural}.${first.group}` },
    spec: {
      group: first.group,
      scope: first.namespaced ? 'Namespaced' : 'Cluster',
      names: { plural: first.plural, singular: first.kind.toLowerCase(), kind: first.kind, ...(first.shortNames ? { shortNames: first.shortNames } : {}) },
      versions: types.map((t, i) => ({
        name: t.version, served: true, storage: i === 0,
        ...(t.statusSubresource ? { subresources: { status: {} } } : {}),
        ...(t.printerColumns ? { additionalPrinterColumns: t.printerColumns } : {}),
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
    status: { conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }] },
  };
}

/**
 * Registers core, apps, autoscaling, the Lattice kinds of `apiVersion` (default: the internal one,
 * 2026-01), CAPI and mesh kinds (idempotent) and upserts their CRD objects. With `crds: false`
 * only the types are registered.
 */
export function registerKinds(store: ObjectStore, opts: { crds?: boolean; apiVersion?: ApiVersion } = {}): void {
  const version = opts.apiVersion ?? INTERNAL_API_VERSION;
  for (const k of CORE_KINDS) store.register(k);
  registerLatticeKinds(store, version);
  for (const k of [...CAPI_KINDS, ...MESH_KINDS]) store.register(k);
  if (opts.crds === false) return;
  const groups = new Map<string, ResourceType[]>();
  for (const k of [...latticeKindsOf(version), ...CAPI_KINDS, ...MESH_KINDS]) {
    const key = `${k.plural}.${k.group}`;
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  for (const types of groups.values()) store.apply(crdObjectFor(types));
}
