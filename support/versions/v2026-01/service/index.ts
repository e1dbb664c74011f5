/**
 * How Lattice 2026-01 (upstream 1236706e) spells services. No Cedar: a declaration is all a
 * service needs; a `*` inbound entry accepts any caller; every namespace with services gets a
 * waypoint; compiled policies carry the service's name.
 */
import type { ResourceEntry } from '../../../mesh/agreement.js';
import type { LatticeServiceManifest } from '../../../mesh/lattice-objects.js';
import type { ServiceSpelling } from '../../service-spelling.js';
import { loadMediaServices2026_01 } from './media.js';
import { externalObjects2026_01, meshService2026_01 } from './mesh-service.js';

export const services2026_01: ServiceSpelling = {
  version: '2026-01',
  meshService: meshService2026_01,
  externalObjects: externalObjects2026_01,
  externalAcceptance: 'allowed-requesters',
  resourcePatch: (key: string, entry: ResourceEntry | null) => ({ spec: { resources: { [key]: entry } } }),
  // The suite's layout is 2026-01's own.
  declaredView: (service) => service as unknown as LatticeServiceManifest,
  // Lattice 1236706e has no Cedar: nothing to permit (no CedarPolicy kind is served).
  permitsFor: () => [],
  anyCallerPermit: () => [],
  // 1236706e's e2e starts judging traffic once the pods run (mesh_tests.rs); the suite keeps that.
  servicesReportReady: false,
  // A waypoint Gateway `<ns>-waypoint` for every namespace with services (1236706e ingress/mod.rs:444-449).
  expectsWaypoint: () => true,
  // policy/mod.rs:500, :542, :819 at 1236706e.
  compiledPolicyQuery: (namespace, service) => ({
    by: 'name',
    names: [
      { kind: 'CiliumNetworkPolicy', namespace, name: `policy-${service}` },
      { kind: 'AuthorizationPolicy', namespace, name: `allow-to-${service}` },
      { kind: 'AuthorizationPolicy', namespace, name: `allow-waypoint-to-${service}` },
    ],
  }),
  // workload/volume.rs:172 at 1236706e.
  volumeOwnerLabel: (id) => `lattice.dev/volume-owner-${id}`,
  loadMediaServices: loadMediaServices2026_01,
};
