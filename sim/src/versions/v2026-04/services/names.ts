/**
 * Names, labels and owner references of the objects b5d50e90 compiles (docs/LATTICE-2026-04.md §6).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../apiserver/types.js';

export const LATTICE_API = 'lattice.dev/v1alpha1';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** lattice-common/src/lib.rs:349 (LABEL_VOLUME_PREFIX): the owner's pods carry `lattice.io/vol-<id>: "true"`. */
export const volumeOwnerLabel = (id: string) => `lattice.io/vol-${id}`;
export const HBONE_PORT = 15008;
/** Ambient principals; the target has no CA, so the trust domain is the mesh default (FIDELITY.md). */
export const TRUST_DOMAIN = 'cluster.local';
export const principal = (ns: string, sa: string) => `${TRUST_DOMAIN}/ns/${ns}/sa/${sa}`;
export const waypointName = (ns: string) => `${ns}-waypoint`;

/** crd/mesh_member.rs:378-386: prefix + first 8 hex of SHA-256 of the parts joined with `/`. */
export function derivedName(prefix: string, parts: string[]): string {
  return prefix + createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8);
}

/** lattice-common/src/kube_utils/metadata.rs:76-90: every object is labelled with its own name. */
export function meta(name: string, namespace: string, extra: Record<string, string> = {}): KubeObject['metadata'] {
  return { name, namespace, labels: { [NAME_LABEL]: name, [MANAGED_BY_LABEL]: 'lattice', ...extra } };
}

export type OwnerRef = NonNullable<KubeObject['metadata']['ownerReferences']>[number] & { blockOwnerDeletion?: boolean };

/** The controller owner reference upstream stamps (workload/mod.rs:395-402, mm/controller.rs:395-404). */
export function ownerRef(owner: KubeObject): OwnerRef {
  return { apiVersion: LATTICE_API, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** lattice-core's sanitize_dns_label: lowercase alphanumerics, others '-', no leading non-letters, no trailing '-', ≤ 63. */
export function sanitizeDnsLabel(s: string): string {
  let out = [...s].map((c) => (/^[A-Za-z0-9]$/.test(c) ? c.toLowerCase() : '-')).join('');
  out = out.replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
  return out;
}
