/**
 * How one Lattice API version spells services: everything the mesh and media scenarios create or
 * look for that changed between versions, behind one interface. support/mesh, media, traffic and
 * workloads speak the domain (declarations, agreements, volumes) and ask the spelling for the
 * objects; step definitions never see it. One implementation per version under
 * support/versions/v<version>/service/.
 */
import type { ExternalDeclaration, ResourceEntry } from '../mesh/agreement.js';
import type { LatticeServiceManifest, ObjectMeta } from '../mesh/lattice-objects.js';

export type ServiceApiVersion = '2026-01' | '2026-04';

/** Any Lattice object the suite creates (LatticeService, LatticeExternalService, CedarPolicy). */
export interface LatticeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

/** One member of a mesh: what it declares and whether it probes (a script) or serves. */
export interface MeshMemberInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Declarations in the suite's model (keys = target names, `*` = any caller). */
  resources: Record<string, ResourceEntry>;
  /** Externals the member calls, with their URLs (the 2026-04 spelling inlines them). */
  externals: readonly ExternalDeclaration[];
  /** Set for a probe: the shell script its curl container runs. Unset: a server on the mesh port. */
  probeScript?: string;
}

/** How the objects Lattice compiles for a service's policy are found. */
export type PolicyObjectQuery =
  | { by: 'name'; names: Array<{ kind: string; namespace: string; name: string }> }
  | { by: 'owner'; ownerKind: string; ownerName: string; namespace: string; kinds: string[] };

export interface ServiceSpelling {
  readonly version: ServiceApiVersion;

  /** The LatticeService of one mesh member. */
  meshService(member: MeshMemberInput): LatticeObject;
  /** Objects for the mesh's externals besides the services (LatticeExternalService at 2026-01). */
  externalObjects(externals: readonly ExternalDeclaration[], namespace: string, labels: Record<string, string>): LatticeObject[];
  /**
   * Who accepts a caller of an external: its `allowedRequesters` (2026-01), or the declaration
   * itself with the platform's endpoint permit (2026-04: an unpermitted endpoint fails the whole
   * service, so "declared but not accepted" does not exist).
   */
  readonly externalAcceptance: 'allowed-requesters' | 'declaration';
  /** The merge patch setting (or with null removing) one declaration of a LatticeService. */
  resourcePatch(key: string, entry: ResourceEntry | null): Record<string, unknown>;
  /** A LatticeService read in the suite's layout (containers, resources and service at spec's top). */
  declaredView(service: LatticeObject): LatticeServiceManifest;

  /** Policies the platform must hold before these services compile (baseline, endpoints); [] without Cedar. */
  permitsFor(services: readonly LatticeObject[], runId: string): LatticeObject[];
  /** The platform's permit for one service to accept any caller; [] where a `*` declaration suffices. */
  anyCallerPermit(namespace: string, service: string, runId: string): LatticeObject[];
  /**
   * Whether the traffic's start line includes every LatticeService reporting phase Ready: upstream's
   * 2026-04 e2e waits for it (a service can run pods and still be Failed, e.g. a wildcard without
   * its permit); 1236706e's e2e waits for pods only.
   */
  readonly servicesReportReady: boolean;
  /** Whether Lattice gives the namespace of these services a waypoint. */
  expectsWaypoint(services: readonly LatticeObject[]): boolean;
  /** Where to find the policy objects Lattice compiled for a service. */
  compiledPolicyQuery(namespace: string, service: string): PolicyObjectQuery;

  /** The pod label Lattice puts on a shared volume's owner (its consumers' affinity target). */
  volumeOwnerLabel(volumeId: string): string;
  /** The media stack's LatticeServices (jellyfin, nzbget, sonarr) from this version's fixtures. */
  loadMediaServices(): LatticeObject[];
}
