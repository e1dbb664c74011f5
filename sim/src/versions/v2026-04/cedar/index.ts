/**
 * The 2026-04 Cedar gates (crates/lattice-cedar at b5d50e90): real Cedar (cedar-wasm, the build of
 * cedar-policy 4.9.1 that upstream's Cargo.lock pins) over the enabled CedarPolicy objects of
 * `lattice-system`. Default deny and forbid-wins are Cedar's own; the shared-volume gate is the
 * one permissive check (only a forbid denies).
 */
import type { ObjectStore } from '../../../apiserver/types.js';
import {
  action, clusterEntity, externalEndpointEntity, meshEntity, securityOverrideEntity, serviceEntity, userEntities, volumeEntity,
} from './entities.js';
import { evaluate, type CedarVerdict } from './evaluate.js';

export { denialText, type CedarDenial, type CedarVerdict } from './evaluate.js';
export { policySetOf } from './policy-set.js';

/** Type alias kept for the contract: the target's per-cluster object store. */
export type Store = ObjectStore;
/** The workload kind in the principal's `kind` attribute: "service" for LatticeService (entities.rs:122). */
export type WorkloadKind = 'service' | 'job' | 'model';

/** mesh_auth.rs:89-136: `AllowWildcard` on `Lattice::Mesh::"<direction>"`. */
export function checkWildcard(store: Store, ns: string, serviceAccount: string, direction: 'inbound' | 'outbound' | 'advertise', kind: WorkloadKind = 'service'): CedarVerdict {
  return evaluate(store, { principal: serviceEntity(ns, serviceAccount, kind), action: action('AllowWildcard'), resource: meshEntity(direction) });
}

/** external_endpoint_auth.rs:62-139: `AccessExternalEndpoint` on `Lattice::ExternalEndpoint::"<host>:<port>"`. */
export function checkExternalEndpoint(store: Store, ns: string, service: string, ep: { host: string; port: number; protocol: string }, kind: WorkloadKind = 'service'): CedarVerdict {
  return evaluate(store, {
    principal: serviceEntity(ns, service, kind), action: action('AccessExternalEndpoint'), resource: externalEndpointEntity(ep.host, ep.port, ep.protocol),
  });
}

/** security_auth.rs:71-145: `OverrideSecurity` on `Lattice::SecurityOverride::"<id>"`. */
export function checkSecurityOverride(store: Store, ns: string, service: string, ov: { id: string; category: string }, kind: WorkloadKind = 'service'): CedarVerdict {
  return evaluate(store, { principal: serviceEntity(ns, service, kind), action: action('OverrideSecurity'), resource: securityOverrideEntity(ov.id, ov.category) });
}

/**
 * volume_auth.rs:149-185 with `require_explicit_permit = false`, as the service compiler asks
 * (owner consent is the first gate): only a forbid denies; no matching policy allows.
 */
export function checkVolumeAccess(store: Store, ns: string, service: string, volume: { namespace: string; id: string }, kind: WorkloadKind = 'service'): CedarVerdict {
  const v = evaluate(store, { principal: serviceEntity(ns, service, kind), action: action('AccessVolume'), resource: volumeEntity(volume.namespace, volume.id) });
  if (v.allowed || v.denial !== 'NoPermitPolicy') return v;
  return { allowed: true, detail: `no policy matched; allowed in permissive mode (${v.detail})` };
}

/** engine.rs:414-469: `AccessCluster` by `Lattice::User` (in its groups) on `Lattice::Cluster`. */
export function checkClusterAccess(store: Store, user: { username: string; groups: string[] }, cluster: { name: string; labels: Record<string, string> }): CedarVerdict {
  const [principal, ...rest] = userEntities(user.username, user.groups).reverse();
  return evaluate(store, { principal, action: action('AccessCluster'), resource: clusterEntity(cluster.name, cluster.labels), others: rest });
}
