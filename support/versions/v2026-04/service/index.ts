/**
 * How Lattice 2026-04 (upstream b5d50e90) spells services: the workload under `spec.workload`,
 * Cedar permits for every relaxation, wildcard and external endpoint (default deny), a waypoint
 * only where the namespace has ServiceEntries, compiled policies under hashed names found through
 * their owner, the volume owner label `lattice.io/vol-<id>` (docs/LATTICE-2026-04.md §5, §6).
 */
import type { ResourceEntry } from '../../../mesh/agreement.js';
import type { LatticeServiceManifest } from '../../../mesh/lattice-objects.js';
import type { LatticeObject, ServiceSpelling } from '../../service-spelling.js';
import { loadMediaServices2026_04 } from './media.js';
import { meshService2026_04 } from './mesh-service.js';
import { anyCallerPermit2026_04, externalEndpointsOf, permitsFor2026_04 } from './permits.js';
import { spellResource } from './resources.js';

/** The suite's layout of a 2026-04 service: `spec.workload`'s fields at spec's top. */
function declaredView(service: LatticeObject): LatticeServiceManifest {
  const { workload, ...rest } = service.spec as { workload?: Record<string, unknown> };
  return { ...service, spec: { ...rest, ...(workload ?? {}) } } as unknown as LatticeServiceManifest;
}

export const services2026_04: ServiceSpelling = {
  version: '2026-04',
  meshService: meshService2026_04,
  // Externals are inline resource entries (mesh_fixtures.rs:188-206); LatticeExternalService is gone (docs §1).
  externalObjects: () => [],
  externalAcceptance: 'declaration',
  resourcePatch: (key: string, entry: ResourceEntry | null) => {
    if (entry === null) return { spec: { workload: { resources: { [key === '*' ? 'any-caller' : key]: null } } } };
    const [k, e] = spellResource(key, entry);
    return { spec: { workload: { resources: { [k]: e } } } };
  },
  declaredView,
  permitsFor: permitsFor2026_04,
  anyCallerPermit: anyCallerPermit2026_04,
  // mesh_tests.rs:262, mesh_random.rs:752: all LatticeServices Ready before traffic is judged.
  servicesReportReady: true,
  // Gateway <ns>-waypoint only when the namespace's policies have ServiceEntries, i.e. an external endpoint (mm/controller.rs:434-466).
  expectsWaypoint: (services) => services.some((s) => externalEndpointsOf(s).length > 0),
  // Hashed names (cnp-mesh-<h>, allow-to-<h>, ...): found by their controller owner LatticeMeshMember <svc> (docs §6; mm/controller.rs:395-404).
  compiledPolicyQuery: (namespace, service) => ({
    by: 'owner', ownerKind: 'LatticeMeshMember', ownerName: service, namespace,
    kinds: ['CiliumNetworkPolicy', 'AuthorizationPolicy', 'ServiceEntry'],
  }),
  // lattice-common/src/lib.rs:349; workload/compiler.rs:603-678.
  volumeOwnerLabel: (id) => `lattice.io/vol-${id}`,
  loadMediaServices: () => loadMediaServices2026_04(),
};
