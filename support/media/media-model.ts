/**
 * The media stack (lattice-facts §4.6) as expectations derived from its three LatticeServices:
 * claims, co-location, the marker plan and the bilateral checks (sonarr→jellyfin and sonarr→nzbget
 * allowed, jellyfin→sonarr blocked, which the suite asserts where upstream only printed it).
 */
import { SuiteError } from '../errors.js';
import { agreementBetween, explainAgreement, indexDeclarations } from '../mesh/agreement.js';
import type { MeshCheck } from '../mesh/checks.js';
import { RUN_ID_LABEL, type LatticeServiceManifest } from '../mesh/lattice-objects.js';
import { declarationsFromManifests, meshLabels } from '../mesh/manifests.js';
import type { LatticeObject } from '../versions/service-spelling.js';
import { planMarkers, type MarkerStep } from './marker-plan.js';
import { planVolumes, type VolumeOwnerLabel, type VolumePlan } from './volumes.js';

export const MEDIA_NAMESPACE = 'media';
export const MEDIA_SERVICES = ['jellyfin', 'nzbget', 'sonarr'] as const;
/** The connections §4.6 probes from inside the pods. */
export const MEDIA_PROBES: readonly { source: string; target: string }[] = [
  { source: 'sonarr', target: 'jellyfin' },
  { source: 'sonarr', target: 'nzbget' },
  { source: 'jellyfin', target: 'sonarr' },
];

export interface MediaModel {
  namespace: string;
  volumes: VolumePlan;
  markers: MarkerStep[];
  /** Bilateral expectations, urls `http://<svc>:<port>/` as upstream calls them. */
  checks: MeshCheck[];
  /** Whether Lattice gives the media namespace a waypoint (the version's rule, from the services). */
  expectsWaypoint: boolean;
}

export interface MediaModelOptions {
  /** The owner pod label of a shared volume at the run's version. */
  volumeOwnerLabel: VolumeOwnerLabel;
  /** Whether the namespace of these services gets a waypoint at the run's version. */
  expectsWaypoint: boolean;
  namespace?: string;
  probes?: readonly { source: string; target: string }[];
  /** Also prove private claims stay private (a write per private mount, read-backs elsewhere). */
  privateIsolation?: boolean;
}

/** The model from the services in the suite's layout (a spelling's `declaredView`). */
export function buildMediaModel(services: readonly LatticeServiceManifest[], options: MediaModelOptions): MediaModel {
  const namespace = options.namespace ?? MEDIA_NAMESPACE;
  const volumes = planVolumes(services, options.volumeOwnerLabel);
  const index = indexDeclarations(declarationsFromManifests(namespace, services));
  const byName = new Map(services.map((s) => [s.metadata.name, s]));
  const checks = (options.probes ?? MEDIA_PROBES).map(({ source, target }): MeshCheck => {
    const callee = byName.get(target);
    const port = callee ? Object.values(callee.spec.service?.ports ?? {})[0]?.port : undefined;
    if (!byName.has(source) || port === undefined) throw new SuiteError(`media probe ${source} -> ${target}: ${byName.has(source) ? `${target} has no service port` : `${source} is not among the services`}`, 'pass all three media services');
    const a = agreementBetween(index, source, target);
    return { source, target, url: `http://${target}:${port}/`, kind: 'service', expected: a.allowed ? 'ALLOWED' : 'BLOCKED', reason: explainAgreement(a) };
  });
  return { namespace, volumes, markers: planMarkers(volumes, options.privateIsolation ? { privateIsolation: true } : {}), checks, expectsWaypoint: options.expectsWaypoint };
}

/** Copies of the fixture manifests for one run: namespace set, run-id label added, nothing else changed. */
export function prepareMediaManifests<T extends LatticeObject | LatticeServiceManifest>(services: readonly T[], runId: string, namespace = MEDIA_NAMESPACE): T[] {
  const runLabel = meshLabels(namespace, runId)[RUN_ID_LABEL] as string;
  return services.map((s) => {
    const copy = structuredClone(s);
    copy.metadata.namespace = namespace;
    copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [RUN_ID_LABEL]: runLabel };
    return copy;
  });
}

/** Upstream's claim check: some PVC name contains each expected name; exactly one starts with `vol-`. */
export function assertClaimsPresent(model: MediaModel, pvcNames: readonly string[]): void {
  const missing = model.volumes.claims.filter((c) => !pvcNames.some((n) => n.includes(c.name))).map((c) => c.name);
  const shared = pvcNames.filter((n) => n.startsWith('vol-'));
  const expectedShared = model.volumes.claims.filter((c) => c.shared).length;
  if (missing.length > 0 || shared.length !== expectedShared) {
    throw new SuiteError(`media claims: missing ${missing.length ? missing.join(', ') : 'none'}; ${shared.length} vol- claim(s) (${shared.join(', ') || 'none'}), expected ${expectedShared}`, `claims seen: ${pvcNames.join(', ') || 'none'}`);
  }
}
